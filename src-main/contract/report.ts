/**
 * Contract: the support report ("Run diagnostics"). Environment: any (zod only).
 * Reports are addressed by support ID, never by a path the renderer chooses: main keeps the paths it wrote.
 * `report.open` / `report.showInFolder` are shell actions (main performs them through its ShellActions delegate).
 */
import { z } from 'zod';
import { call, event } from './define';
import { StoredProfileRefSchema } from './names';

export const SupportIdSchema = z.string().regex(/^LH-\d{8}-[0-9a-f]{8}$/, 'a support ID looks like LH-20260101-0123abcd');
export const ReportVerdictViewSchema = z.enum(['healthy', 'degraded', 'broken', 'unknown']);

export const ReportCreatedSchema = z.object({
  supportId: SupportIdSchema,
  /** Where the zip was written (the user's own disk). */
  path: z.string(),
  verdict: ReportVerdictViewSchema,
  /** The one-page summary (what "Copy summary" copies). */
  summary: z.string(),
  /** True when policy names a support upload URL (the UI then offers "Upload"). */
  uploadAvailable: z.boolean(),
  uploaded: z.boolean(),
  uploadError: z.string().nullable(),
});
export type ReportCreated = z.infer<typeof ReportCreatedSchema>;

export const ReportStepSchema = z.enum(['profile', 'diagnose', 'environment', 'tunnel', 'site', 'streams', 'policy', 'logs', 'anonymize', 'write', 'upload']);

export const reportCalls = {
  /** Collect, redact and write a report (progress as `report.progress`). Never changes tunnel state. */
  'report.create': call(
    z
      .object({
        strict: z.boolean().default(false),
        upload: z.boolean().default(false),
        /** A profile name in the store (never a path: the renderer does not choose files main reads); omitted = none. */
        profile: StoredProfileRefSchema.optional(),
      })
      .strict(),
    ReportCreatedSchema,
  ),
  'report.open': call(z.object({ supportId: SupportIdSchema }).strict(), z.null()),
  'report.showInFolder': call(z.object({ supportId: SupportIdSchema }).strict(), z.null()),
  'report.summary': call(z.object({ supportId: SupportIdSchema }).strict(), z.object({ text: z.string() })),
  'report.upload': call(z.object({ supportId: SupportIdSchema }).strict(), z.object({ uploaded: z.literal(true), url: z.string() })),
};

export const reportEvents = {
  'report.progress': event(z.object({ step: ReportStepSchema, done: z.number().int().min(0), total: z.number().int().min(1) })),
};
