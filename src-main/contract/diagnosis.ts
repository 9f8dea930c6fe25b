/**
 * THE diagnosis document, declared once: `longhaul diagnose --json` prints it, the `checks.done` event carries it (plus
 * the run's id, whether it was cancelled and what the app can fix), and the support report embeds it
 * (`report.json#/diagnosis/data`, docs/report.schema.json). A finding is declared here and nowhere else.
 * Environment: any (zod only).
 *
 * FINDING_CODES is the single list of finding codes: the findings catalogue (`core/findings/definitions.ts`,
 * `texts.en.ts`) is typed `Record<FindingCode, …>`, so a code added here without its definition and text, or a
 * definition without a code here, does not compile. Codes are stable: support greps them.
 * Compatibility: fields are only ever added; a breaking change bumps `schemaVersion`.
 */
import { z } from 'zod';

export const FINDING_CODES = [
  // tunnel
  'tunnel.down',
  'tunnel.no-handshake',
  'tunnel.stale',
  'tunnel.vanished',
  // reachability
  'icmp.unreachable',
  // DNS
  'dns.resolver-unreachable',
  'dns.name-unresolved',
  'dns.system-not-using-tunnel',
  // MTU / large payloads
  'mtu.blackhole',
  'tcp.large-payload-stalled',
  // routing
  'route.conflict',
  'route.overlap-inactive',
  // stream host
  'stream.sunshine-not-listening',
  'stream.path-mtu-too-small',
  // stream fitness (the line's capacity, issue 14)
  'stream.capacity-low',
  'stream.capacity-too-low',
  'stream.capacity-unmeasured',
  'stream.capacity-fell',
  'net.loss',
  'net.bufferbloat',
  // meta
  'checks.no-target',
  'checks.fix-available',
  'policy.source-refused',
] as const;
export const FindingCodeSchema = z.enum(FINDING_CODES);
export type FindingCode = z.infer<typeof FindingCodeSchema>;

export const SeveritySchema = z.enum(['error', 'warning', 'info']);
export type Severity = z.infer<typeof SeveritySchema>;

export const VerdictSchema = z.enum(['healthy', 'degraded', 'broken']);
export type Verdict = z.infer<typeof VerdictSchema>;

/** A finding (Tailscale's health model): stable code, severity, plain texts, the evidence, what it depends on. */
export const FindingSchema = z.object({
  code: FindingCodeSchema,
  severity: SeveritySchema,
  title: z.string(),
  detail: z.string(),
  fix: z.string(),
  /** What was measured (what was sent, what came back); the check's or the live condition's own record. */
  evidence: z.record(z.string(), z.unknown()),
  /** Codes whose presence suppresses this finding (no DNS noise without a handshake). */
  dependsOn: z.array(FindingCodeSchema),
});
export type Finding = z.infer<typeof FindingSchema>;

export const CheckStatusSchema = z.enum(['pass', 'warn', 'fail', 'skip']);

export const CheckResultSchema = z.object({
  id: z.string(),
  title: z.string(),
  status: CheckStatusSchema,
  durationMs: z.number(),
  summary: z.string(),
  /** What was sent and what came back; plus `reason` codes the diagnosis rules read. */
  evidence: z.record(z.string(), z.unknown()),
});
export type CheckResultView = z.infer<typeof CheckResultSchema>;

export const DiagnosisSchema = z.object({
  schemaVersion: z.literal(1),
  /** The stored profile's name, or the `.conf` file's name (the CLI). */
  profile: z.string(),
  interface: z.string(),
  /** The site file's name, null when the profile has none. */
  site: z.string().nullable(),
  /** ISO UTC time the checks started. */
  startedAt: z.string(),
  durationMs: z.number(),
  verdict: VerdictSchema,
  /** Largest packet that crosses the tunnel (null: not measured). */
  pathMtu: z.number().nullable(),
  rttMs: z.number().nullable(),
  /** Dependents already suppressed, errors first. */
  findings: z.array(FindingSchema),
  checks: z.array(CheckResultSchema),
});
export type Diagnosis = z.infer<typeof DiagnosisSchema>;
