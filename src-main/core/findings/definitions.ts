/**
 * Every finding Longhaul can raise: its severity, what it depends on and, for a live condition the health tracker
 * holds (`core/health`), how long it must persist before it is shown. The codes themselves are the contract's
 * `FINDING_CODES` (`contract/diagnosis.ts`, the one list: the renderer, the report schema and support see the same
 * enum); this table is typed by them, so a code without a definition here does not compile.
 * Texts live in `texts.en.ts`, keyed by the same codes, so they can be translated without touching logic.
 * Environment: any (no Node, no DOM).
 *
 * Adding a finding: add its code to `FINDING_CODES`, a line here and its text in every catalogue.
 */
import type { FindingCode, Severity } from '../../contract/diagnosis';

export { FINDING_CODES, type FindingCode, type Severity } from '../../contract/diagnosis';

export interface FindingDefinition {
  severity: Severity;
  /**
   * Codes this finding depends on: when any of them is present in the same diagnosis (or the live health), this
   * finding is suppressed (no DNS or MTU noise without a handshake) — Tailscale's health-model rule.
   */
  dependsOn: readonly FindingCode[];
  /**
   * Live conditions only (raised by the health tracker, not by a check): the condition must hold this long before it
   * becomes visible, so a blip does not flash in the tray (Tailscale's `TimeToVisible`). Default 0.
   */
  timeToVisibleMs?: number;
}

const TUNNEL = ['tunnel.down', 'tunnel.no-handshake'] as const;

export const FINDING_DEFINITIONS = {
  // tunnel
  'tunnel.down': { severity: 'error', dependsOn: [] },
  'tunnel.no-handshake': { severity: 'error', dependsOn: ['tunnel.down'] },
  // live: no handshake for longer than the freshness threshold while traffic is sent (core/tunnel/status.ts)
  'tunnel.stale': { severity: 'warning', dependsOn: [...TUNNEL, 'tunnel.vanished'], timeToVisibleMs: 5_000 },
  // live: the interface Longhaul brought up is gone
  'tunnel.vanished': { severity: 'error', dependsOn: [], timeToVisibleMs: 0 },
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
  'stream.capacity-fell': { severity: 'warning', dependsOn: TUNNEL },
  'net.loss': { severity: 'warning', dependsOn: TUNNEL },
  'net.bufferbloat': { severity: 'warning', dependsOn: TUNNEL },
  // meta
  'checks.no-target': { severity: 'warning', dependsOn: [] },
  // live: the last checks of a tunnel found something the app can fix (`checks.applyFix`)
  'checks.fix-available': { severity: 'info', dependsOn: ['tunnel.down', 'tunnel.vanished'], timeToVisibleMs: 0 },
  'policy.source-refused': { severity: 'warning', dependsOn: [] },
} as const satisfies Record<FindingCode, FindingDefinition>;

export function definitionOf(code: FindingCode): FindingDefinition {
  return FINDING_DEFINITIONS[code];
}
