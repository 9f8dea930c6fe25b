/**
 * The exit-code table of docs/cli.md ("Exit codes per command"), parsed, so tests run what the documentation says
 * and the two cannot drift. Environment: plain Node (tests only).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CliIO } from '../../src-main/cli/command';
import { runCli } from '../../src-main/cli/main';

export const CLI_DOC = path.resolve(__dirname, '../../docs/cli.md');

export type Where = 'unit' | 'lab' | 'capacity-stream';
export interface ExitRow {
  /** `COMMANDS[].name`, or `(any)` for what every command shares. */
  command: string;
  exit: number;
  when: string;
  verifiedBy: Where[];
}

/** `command|exit`: the key a test case is filed under. */
export const rowKey = (command: string, exit: number) => `${command}|${exit}`;

export function exitTable(text = fs.readFileSync(CLI_DOC, 'utf8')): ExitRow[] {
  const section = text.split(/^## Exit codes per command$/m)[1];
  if (!section) throw new Error('docs/cli.md: no "## Exit codes per command" section');
  const lines = section.split('\n').filter((l) => l.startsWith('|'));
  const [header, rule, ...rows] = lines;
  if (header?.replace(/\s+/g, '') !== '|command|exit|when|verifiedby|' || !rule?.startsWith('|---')) throw new Error(`docs/cli.md: unexpected table header: ${header}`);
  return rows.map((l, i) => {
    const cells = l.split('|').slice(1, -1).map((c) => c.trim());
    const [command, exit, when, by] = cells as [string, string, string, string];
    const name = /^`([^`]+)`$/.exec(command)?.[1] ?? (command === '(any)' ? command : null);
    const where = by.split(',').map((w) => w.trim());
    if (cells.length !== 4 || !name || !/^\d+$/.test(exit) || where.some((w) => w !== 'unit' && w !== 'lab' && w !== 'capacity-stream')) {
      throw new Error(`docs/cli.md exit table, row ${i + 1}: expected | \`command\` | code | when | unit/lab |, got: ${l} (verified by: unit, lab = test/lab/cli-json.test.ts, capacity-stream = test/lab/capacity-stream.test.ts)`);
    }
    return { command: name, exit: Number(exit), when, verifiedBy: where as Where[] };
  });
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `longhaul ARGV` in-process, with the given working directory and environment. */
export async function runInProcess(argv: string[], opts: { cwd: string; env?: Record<string, string | undefined> }): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTTY: false, env: opts.env ?? process.env, cwd: opts.cwd };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

/**
 * The environment in-process CLI tests run under: a data directory, the file secret store, the test build (so the
 * policy test override is read). Returns the function that restores what was there.
 */
export function setCliTestEnv(dataDir: string): () => void {
  const keys = ['LONGHAUL_DATA_DIR', 'LONGHAUL_SECRET_STORE', 'LONGHAUL_TEST_BUILD'] as const;
  const saved = keys.map((k) => [k, process.env[k]] as const);
  Object.assign(process.env, { LONGHAUL_DATA_DIR: dataDir, LONGHAUL_SECRET_STORE: 'file', LONGHAUL_TEST_BUILD: '1' });
  return () => {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}
