/**
 * Every finding Longhaul can raise: a stable code (support greps these), its severity and what it depends on.
 * Texts live in `texts.en.ts`, keyed by the same codes, so they can be translated without touching logic.
 * Environment: any (no Node, no DOM) — the renderer may import the types through the contract.
 *
 * Adding a finding: add a line here and its text in every catalogue; the type system refuses a missing text.
 */
export type Severity = 'error' | 'warning' | 'info';

export interface FindingDefinition {
  severity: Severity;
  /**
   * Codes this finding depends on: when any of them is present in the same diagnosis, this finding is suppressed
   * (no DNS or MTU noise without a handshake) — Tailscale's health-model rule.
   */
  dependsOn: readonly FindingCode[];
}

const TUNNEL = ['tunnel.down', 'tunnel.no-handshake'] as const;

export const FINDING_DEFINITIONS = {
  // tunnel
  'tunnel.down': { severity: 'error', dependsOn: [] },
  'tunnel.no-handshake': { severity: 'error', dependsOn: ['tunnel.down'] },
  'tunnel.stale': { severity: 'warning', dependsOn: TUNNEL },
  // reachability
  'icmp.unreachable': { severity: 'warning', dependsOn: TUNNEL },
  // DNS
  'dns.resolver-unreachable': { severity: 'error', dependsOn: TUNNEL },
  'dns.name-unresolved': { severity: 'error', dependsOn: [...TUNNEL, 'dns.resolver-unreachable'] },
  'dns.system-not-using-tunnel': { severity: 'error', dependsOn: [...TUNNEL, 'dns.resolver-unreachable'] },
  // MTU / large payloads
  'mtu.blackhole': { severity: 'error', dependsOn: TUNNEL },
  'tcp.large-payload-stalled': { severity: 'error', dependsOn: [...TUNNEL, 'mtu.blackhole', 'stream.sunshine-not-listening'] },
  // routing
  'route.conflict': { severity: 'error', dependsOn: [] },
  'route.overlap-inactive': { severity: 'warning', dependsOn: [] },
  // stream host
  'stream.sunshine-not-listening': { severity: 'error', dependsOn: [...TUNNEL, 'dns.name-unresolved'] },
  'stream.path-mtu-too-small': { severity: 'error', dependsOn: [...TUNNEL, 'mtu.blackhole'] },
  // stream fitness (docs/capacity.md): the line measured with a stream-shaped iperf3 test
  'stream.capacity-low': { severity: 'warning', dependsOn: TUNNEL },
  'stream.capacity-too-low': { severity: 'error', dependsOn: TUNNEL },
  'stream.capacity-unmeasured': { severity: 'warning', dependsOn: TUNNEL },
  'net.loss': { severity: 'warning', dependsOn: TUNNEL },
  'net.bufferbloat': { severity: 'warning', dependsOn: TUNNEL },
  // meta
  'checks.no-target': { severity: 'warning', dependsOn: [] },
  'policy.source-refused': { severity: 'warning', dependsOn: [] },
} as const satisfies Record<string, { severity: Severity; dependsOn: readonly string[] }>;

export type FindingCode = keyof typeof FINDING_DEFINITIONS;

export const FINDING_CODES = Object.keys(FINDING_DEFINITIONS) as FindingCode[];

export function isFindingCode(code: string): code is FindingCode {
  return Object.prototype.hasOwnProperty.call(FINDING_DEFINITIONS, code);
}
