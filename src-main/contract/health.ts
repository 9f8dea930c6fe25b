/**
 * Contract: live health (`core/health`). Environment: any (zod only).
 * Live conditions — a stale handshake, a tunnel that vanished, a fix that is ready — are findings (the diagnosis
 * document's `Finding`, `diagnosis.ts`) with the subject they are about, when they were first seen and how long they
 * had to hold before being shown. `health.get` returns what is visible now; `health.changed` is pushed, debounced,
 * whenever that changes (a finding appears, clears or its text changes — not when only its evidence ticks).
 * Payload of both: `{ findings: HealthFinding[] }`, dependents suppressed, errors first. Empty = healthy.
 */
import { z } from 'zod';
import { call, event } from './define';
import { FindingSchema } from './diagnosis';

export const HealthFindingSchema = FindingSchema.extend({
  /** The stored profile (= tunnel) the condition is about; null when it is about the app as a whole. */
  subject: z.string().nullable(),
  /** ISO UTC time the condition was first seen (it became visible `timeToVisibleMs` later). */
  since: z.string(),
  timeToVisibleMs: z.number(),
});
export type HealthFinding = z.infer<typeof HealthFindingSchema>;

export const HealthSchema = z.object({ findings: z.array(HealthFindingSchema) });
export type Health = z.infer<typeof HealthSchema>;

export const healthCalls = {
  'health.get': call(z.object({}).strict(), HealthSchema),
};

export const healthEvents = {
  'health.changed': event(HealthSchema),
};
