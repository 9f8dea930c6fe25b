/**
 * Diagnosis rules: check results → findings (the foundation's catalogue), dependents suppressed, verdict.
 * One rule per check id; each reads only the result's status and evidence. Environment: plain Node.
 */
import { makeFinding, sortFindings, suppressDependents, verdictOf, type Finding, type Verdict } from '../findings/finding';
import type { CheckResult, CheckTarget } from './types';

/** What the rules conclude from a run's results (the run adds its identity and timing: `run.ts`). */
export interface RulesOutcome {
  findings: Finding[];
  verdict: Verdict;
  pathMtu: number | null;
  rttMs: number | null;
}

type Rule = (r: CheckResult, t: CheckTarget) => Finding[];

const ev = (r: CheckResult, k: string): string | number | null => {
  const v = r.evidence[k];
  return typeof v === 'string' || typeof v === 'number' ? v : null;
};

const RULES: Record<string, Rule> = {
  tunnel(r, t) {
    if (r.status !== 'fail') return [];
    if (r.evidence.reason === 'absent' || r.evidence.reason === 'not-wireguard') {
      return [makeFinding('tunnel.down', { interface: t.interfaceName, profile: t.profileName }, r.evidence)];
    }
    const endpoint = t.peers[0]?.endpoint ?? 'the gateway';
    const port = endpoint.includes(':') ? endpoint.slice(endpoint.lastIndexOf(':') + 1) : '51820';
    return [makeFinding('tunnel.no-handshake', { endpoint, port, publicKey: t.publicKey ?? '(see the profile)' }, r.evidence)];
  },
  icmp(r) {
    return r.status === 'warn' ? [makeFinding('icmp.unreachable', { target: ev(r, 'target') }, r.evidence)] : [];
  },
  'dns-tunnel'(r, t) {
    if (r.status !== 'fail') return [];
    if (r.evidence.reason === 'resolver-unreachable') {
      return [makeFinding('dns.resolver-unreachable', { server: ev(r, 'server'), outcome: ev(r, 'outcome'), tunnelInterface: t.interfaceName }, r.evidence)];
    }
    const unresolved = (r.evidence.unresolved as string[] | undefined) ?? [];
    return [makeFinding('dns.name-unresolved', { name: unresolved.join(', '), server: ev(r, 'server'), rcode: ev(r, 'rcode') }, r.evidence)];
  },
  'dns-system'(r, t) {
    if (r.status !== 'fail') return [];
    return [makeFinding('dns.system-not-using-tunnel', { name: ev(r, 'name'), systemOutcome: ev(r, 'systemOutcome'), dns: t.dns.join(', ') }, r.evidence)];
  },
  'path-mtu'(r) {
    if (r.status !== 'fail' || r.evidence.reason !== 'blackhole') return [];
    const pathMtu = ev(r, 'pathMtu');
    return [
      makeFinding(
        'mtu.blackhole',
        { pathMtu, tunnelMtu: ev(r, 'tunnelMtu'), moonlightPacketSize: ev(r, 'moonlightPacketSize') },
        { ...r.evidence, setMtu: pathMtu },
      ),
    ];
  },
  tls(r) {
    if (r.status !== 'fail' || r.evidence.reason !== 'stalled') return [];
    return [makeFinding('tcp.large-payload-stalled', { target: ev(r, 'target'), timeoutMs: ev(r, 'timeoutMs') }, r.evidence)];
  },
  'sunshine-ports'(r) {
    if (r.status !== 'fail') return [];
    const ports = (r.evidence.closedPorts as number[] | undefined) ?? [];
    return [makeFinding('stream.sunshine-not-listening', { host: ev(r, 'host'), closedPorts: ports.join(', ') }, r.evidence)];
  },
  'route-conflict'(r) {
    // The profiles module built these findings (findRouteConflicts); they travel in the evidence.
    return r.status === 'pass' ? [] : ((r.evidence.findings as Finding[] | undefined) ?? []);
  },
};

function noTargetFinding(r: CheckResult): Finding[] {
  if (r.status !== 'skip' || r.evidence.reason !== 'no-target') return [];
  return [makeFinding('checks.no-target', { check: r.title, why: ev(r, 'why'), missing: ev(r, 'missing') }, { check: r.id, ...r.evidence })];
}

export function diagnose(results: readonly CheckResult[], target: CheckTarget, rttMs: number | null): RulesOutcome {
  const raw = results.flatMap((r) => [...(RULES[r.id]?.(r, target) ?? []), ...noTargetFinding(r)]);
  const findings = sortFindings(suppressDependents(raw));
  const mtu = results.find((r) => r.id === 'path-mtu');
  const pathMtu = mtu && typeof mtu.evidence.pathMtu === 'number' ? mtu.evidence.pathMtu : null;
  return { findings, verdict: verdictOf(findings), pathMtu, rttMs: rttMs === null ? null : Math.round(rttMs * 10) / 10 };
}
