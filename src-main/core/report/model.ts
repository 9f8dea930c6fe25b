/**
 * The support report's document model (`report.json`, `schemaVersion: 1`) as zod schemas; the JSON Schema published at
 * docs/report.schema.json is generated from `ReportSchema` (see schema.ts). Environment: any.
 *
 * Every collected part is a `Section`: `ok` with data, `failed` with the (anonymised) error, or `unavailable` when
 * the part does not apply or its source is not built in. A report is always produced, whatever fails.
 * Compatibility: fields are only ever added; a breaking change bumps schemaVersion.
 */
import { z } from 'zod';
import { DiagnosisSchema } from '../../contract/diagnosis';
import { CapacitySchema } from '../../contract/stream';

export const SUPPORT_ID_RE = /^LH-\d{8}-[0-9a-f]{8}$/;

export function sectionOf<T extends z.ZodType>(data: T) {
  return z.object({
    status: z.enum(['ok', 'failed', 'unavailable']),
    /** Why the part is missing (failed/unavailable). */
    error: z.string().nullable(),
    data: data.nullable(),
  });
}
export type Section<T> = { status: 'ok' | 'failed' | 'unavailable'; error: string | null; data: T | null };

export const ReportVerdictSchema = z.enum(['healthy', 'degraded', 'broken', 'unknown']);
export type ReportVerdict = z.infer<typeof ReportVerdictSchema>;

export const ToolSchema = z.object({
  name: z.string(),
  path: z.string().nullable(),
  version: z.string().nullable(),
  error: z.string().nullable(),
});

export const InterfaceSchema = z.object({
  name: z.string(),
  index: z.number().nullable(),
  mtu: z.number().nullable(),
  state: z.string().nullable(),
  flags: z.array(z.string()),
  linkType: z.string().nullable(),
  mac: z.string().nullable(),
  addresses: z.array(z.object({ family: z.string(), address: z.string(), prefixLength: z.number(), scope: z.string().nullable() })),
});

export const RouteSchema = z.object({
  dst: z.string(),
  gateway: z.string().nullable(),
  dev: z.string().nullable(),
  table: z.string(),
  protocol: z.string().nullable(),
  scope: z.string().nullable(),
  prefsrc: z.string().nullable(),
  metric: z.number().nullable(),
  mtu: z.number().nullable(),
  type: z.string().nullable(),
});

/** OS DNS configuration: structured per OS (`kind`), plus the raw text each came from (anonymised, capped). */
export const DnsSchema = z.object({
  kind: z.enum(['linux', 'macos', 'windows', 'other']),
  sources: z.array(
    z.object({
      /** `/etc/resolv.conf`, `resolvectl status`, `scutil --dns`, `Get-DnsClientServerAddress`, `Get-DnsClientNrptPolicy`. */
      name: z.string(),
      status: z.enum(['ok', 'failed', 'unavailable']),
      error: z.string().nullable(),
      parsed: z.unknown(),
      raw: z.string().nullable(),
    }),
  ),
});

export const EnvironmentSchema = z.object({
  os: z.object({ platform: z.string(), release: z.string(), version: z.string(), arch: z.string() }),
  node: z.string(),
  /** sha256 of node-machine-id's OS id with an app-specific salt; null when unreadable. Never the raw id. */
  machineIdHash: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
  tools: sectionOf(z.array(ToolSchema)),
  interfaces: sectionOf(z.array(InterfaceSchema)),
  routes: sectionOf(z.array(RouteSchema)),
  rules: sectionOf(z.array(z.record(z.string(), z.unknown()))),
  dns: sectionOf(DnsSchema),
});

export const ProfileInEffectSchema = z.object({
  name: z.string(),
  /** `file`, `store`, `policy`. */
  source: z.string(),
  /** The parsed profile with private and preshared keys replaced by [REDACTED-KEY]. */
  profile: z.unknown(),
  warnings: z.array(z.string()),
});

export const PolicyInEffectSchema = z.object({
  values: z.array(z.object({ key: z.string(), value: z.unknown(), source: z.string(), locked: z.boolean() })),
  refused: z.array(z.object({ source: z.string(), reason: z.string() })),
  unknownKeys: z.array(z.object({ source: z.string(), key: z.string() })),
});

export const LogsSchema = z.object({
  /** Per-file cap in bytes (the newest bytes are kept) and total cap. */
  capPerFileBytes: z.number(),
  capTotalBytes: z.number(),
  files: z.array(z.object({ name: z.string(), sizeBytes: z.number(), truncated: z.boolean(), text: z.string() })),
});

export const RedactionSchema = z.object({
  mode: z.enum(['normal', 'strict']),
  rules: z.array(z.string()),
  counts: z.object({
    keysRemoved: z.number(),
    homePaths: z.number(),
    usernames: z.number(),
    ipsMapped: z.number(),
    publicKeysMapped: z.number(),
    hostnamesMapped: z.number(),
  }),
});

export const ReportSchema = z.object({
  schemaVersion: z.literal(1),
  supportId: z.string().regex(SUPPORT_ID_RE),
  createdAt: z.string(),
  app: z.object({ name: z.string(), version: z.string(), face: z.string() }),
  verdict: ReportVerdictSchema,
  redaction: RedactionSchema,
  /** THE diagnosis document (`contract/diagnosis.ts`), exactly as `diagnose --json` prints it. */
  diagnosis: sectionOf(DiagnosisSchema),
  environment: EnvironmentSchema,
  tunnel: sectionOf(z.unknown()),
  profile: sectionOf(ProfileInEffectSchema),
  site: sectionOf(z.unknown()),
  streams: sectionOf(z.array(z.unknown())),
  /** The last stream-fitness outcome for the profile (docs/capacity.md); absent in reports from before it existed. */
  capacity: sectionOf(CapacitySchema).optional(),
  policy: sectionOf(PolicyInEffectSchema),
  logs: sectionOf(LogsSchema),
});
export type Report = z.infer<typeof ReportSchema>;

export const ok = <T>(data: T): Section<T> => ({ status: 'ok', error: null, data });
export const failed = <T>(error: string): Section<T> => ({ status: 'failed', error, data: null });
export const unavailable = <T>(why: string): Section<T> => ({ status: 'unavailable', error: why, data: null });
