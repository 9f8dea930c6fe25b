/**
 * The rows of docs/cli.md's exit-code table that test/lab/cli-json.test.ts proves against the real lab (lab ids
 * 81–84). test/unit/cli/exit-codes.test.ts checks this list is exactly the table's `lab` rows. Environment: any.
 */
export const LAB_EXIT_CASES = [
  'up|0',
  'up|1',
  'down|0',
  'status|0',
  'status|1',
  'diagnose|0',
  'diagnose|1',
  'stream|0',
  'stream|1',
  'sunshine probe|0',
  'report|0',
] as const;
