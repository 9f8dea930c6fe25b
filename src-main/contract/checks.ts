/**
 * Contract: the self-checks (Checks page). Environment: any (zod only).
 * `checks.run` starts a run and returns its id at once; progress streams as `checks.progress`, the diagnosis arrives as
 * `checks.done`. `checks.applyFix` applies a finding's fix (today: `mtu.blackhole` → a local MTU override beside the
 * profile, reconnect, re-run).
 */
import { z } from 'zod';
import { call, event } from './define';
import { IssuedIdSchema, ProfileNameSchema, StoredProfileRefSchema } from './names';

const NAME = StoredProfileRefSchema;
const RUN_ID = IssuedIdSchema;

export const CheckStatusSchema = z.enum(['pass', 'warn', 'fail', 'skip']);

export const CheckResultSchema = z.object({
  id: z.string(),
  title: z.string(),
  status: CheckStatusSchema,
  durationMs: z.number(),
  summary: z.string(),
  evidence: z.record(z.string(), z.unknown()),
});
export type CheckResultView = z.infer<typeof CheckResultSchema>;

export const FindingViewSchema = z.object({
  code: z.string(),
  severity: z.enum(['error', 'warning', 'info']),
  title: z.string(),
  detail: z.string(),
  fix: z.string(),
  evidence: z.record(z.string(), z.unknown()),
  dependsOn: z.array(z.string()),
});
export type FindingView = z.infer<typeof FindingViewSchema>;

export const VerdictSchema = z.enum(['healthy', 'degraded', 'broken']);

export const ChecksDoneSchema = z.object({
  runId: RUN_ID,
  profile: z.string(),
  verdict: VerdictSchema,
  pathMtu: z.number().nullable(),
  rttMs: z.number().nullable(),
  durationMs: z.number(),
  cancelled: z.boolean(),
  findings: z.array(FindingViewSchema),
  checks: z.array(CheckResultSchema),
  /** Findings whose fix the app can apply (`checks.applyFix`), e.g. `mtu.blackhole` unless policy locks the MTU. */
  fixable: z.array(z.string()),
});
export type ChecksDone = z.infer<typeof ChecksDoneSchema>;

export const ChecksProgressSchema = z.object({
  runId: RUN_ID,
  id: z.string(),
  title: z.string(),
  state: z.enum(['running', 'done']),
  result: CheckResultSchema.optional(),
});

export const checksCalls = {
  /** Start the checks against a stored profile's tunnel. Never changes tunnel state. */
  'checks.run': call(
    z.object({ profile: NAME, interface: ProfileNameSchema.optional() }).strict(),
    z.object({ runId: RUN_ID, checks: z.array(z.object({ id: z.string(), title: z.string() })) }),
  ),
  'checks.cancel': call(z.object({ runId: RUN_ID }).strict(), z.object({ cancelled: z.boolean() })),
  /** The latest finished run for a profile (the page shows it on open). */
  'checks.last': call(z.object({ profile: NAME }).strict(), ChecksDoneSchema.nullable()),
  /** Apply a finding's fix from a finished run: stores the MTU override, reconnects, starts a new run. */
  'checks.applyFix': call(
    z.object({ runId: RUN_ID, code: z.literal('mtu.blackhole') }).strict(),
    z.object({ profile: z.string(), mtuOverride: z.number(), reconnected: z.boolean(), newRunId: RUN_ID.nullable() }),
  ),
};

export const checksEvents = {
  'checks.progress': event(ChecksProgressSchema),
  'checks.done': event(ChecksDoneSchema),
};
