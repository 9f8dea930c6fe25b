/**
 * Contract: the self-checks (Checks page). Environment: any (zod only).
 * `checks.run` starts a run and returns its id at once; progress streams as `checks.progress`, the diagnosis arrives as
 * `checks.done`. `checks.applyFix` applies a finding's fix (today: `mtu.blackhole` → a local MTU override beside the
 * profile, reconnect, re-run).
 */
import { z } from 'zod';
import { call, event } from './define';
import { CheckResultSchema, DiagnosisSchema, FindingCodeSchema } from './diagnosis';
import { IssuedIdSchema, ProfileNameSchema, StoredProfileRefSchema } from './names';

const NAME = StoredProfileRefSchema;
const RUN_ID = IssuedIdSchema;

/** A finished run: THE diagnosis document (`diagnosis.ts`) plus the run's id, whether it was cancelled, and what
 * the app can fix. */
export const ChecksDoneSchema = DiagnosisSchema.extend({
  runId: RUN_ID,
  cancelled: z.boolean(),
  /** Findings whose fix the app can apply (`checks.applyFix`), e.g. `mtu.blackhole` unless policy locks the MTU. */
  fixable: z.array(FindingCodeSchema),
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
