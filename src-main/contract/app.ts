/** Contract: application-level calls and events (info, round trip, renderer logs, policy). Environment: any. */
import { z } from 'zod';
import { call, event } from './define';

export const LogLevelSchema = z.enum(['debug', 'info', 'warn', 'error']);

/** A renderer log record's fields, as JSON text (main keeps at most 2 KiB of a whole record). */
export const LOG_FIELDS_MAX_CHARS = 8192;

/** JSON length of a value; Infinity when it cannot be serialised (cyclic, BigInt). */
function jsonLength(v: unknown): number {
  try {
    return JSON.stringify(v)?.length ?? 0;
  } catch {
    return Infinity;
  }
}

export const AppInfoSchema = z.object({
  version: z.string(),
  platform: z.string(),
  /** `electron` in the desktop app, `harness` in the browser harness. */
  host: z.enum(['electron', 'harness']),
  dataDir: z.string(),
});

export const PolicyValueSchema = z.object({
  key: z.string(),
  value: z.unknown(),
  source: z.string(),
  locked: z.boolean(),
});
export const PolicyViewSchema = z.object({
  managedByName: z.string().nullable(),
  supportUrl: z.string().nullable(),
  values: z.array(PolicyValueSchema),
  refused: z.array(z.object({ source: z.string(), reason: z.string() })),
  unknownKeys: z.array(z.object({ source: z.string(), key: z.string() })),
});
export type PolicyView = z.infer<typeof PolicyViewSchema>;

export const appCalls = {
  'app.info': call(z.object({}).strict(), AppInfoSchema),
  /** A round trip through the real host: echoes the nonce with the host's clock. */
  'app.ping': call(
    z.object({ nonce: z.string().min(1).max(128) }).strict(),
    z.object({ nonce: z.string(), host: z.enum(['electron', 'harness']), receivedAt: z.string() }),
  ),
  /**
   * Renderer logs are forwarded to the main log (redacted there). Main sets ts/level/src/msg and keeps the fields under
   * `renderer`, cut to 2 KiB per record and rate-limited (core/log/renderer-log.ts); here the request itself is bounded.
   */
  'log.write': call(
    z
      .object({
        level: LogLevelSchema,
        msg: z.string().max(4000),
        fields: z
          .record(z.string().max(64), z.unknown())
          .refine((f) => Object.keys(f).length <= 32 && jsonLength(f) <= LOG_FIELDS_MAX_CHARS, `at most 32 fields and ${LOG_FIELDS_MAX_CHARS} characters of JSON`)
          .optional(),
      })
      .strict(),
    z.null(),
  ),
  'policy.get': call(z.object({}).strict(), PolicyViewSchema),
};

export const appEvents = {
  'policy.changed': event(PolicyViewSchema),
  /** A short notice for the artist (also shown as a desktop notification by the shell when the window is hidden). */
  'app.notice': event(z.object({ level: z.enum(['info', 'warning', 'error']), text: z.string() })),
};
