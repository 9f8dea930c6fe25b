/**
 * The adapter from the checks engine (core/checks: `runChecks` + `diagnose`) to the stream gate. Environment: plain
 * Node. The engine's results carry ids `tunnel`, `dns-system`, `tls`, `path-mtu`, `sunshine-ports` (and others the
 * gate ignores); the diagnosis' findings are attached to the item they came from, and an error finding turns its item
 * red even when the check itself only warned (a blackhole is found by the path-MTU check but is an error).
 *
 * The faces supply `target(profile)` (profile store + site → CheckTarget); the CLI does so in cli/commands/stream.ts.
 */
import { runDiagnosis } from '../checks/run';
import type { CheckResult, CheckSystem, CheckTarget } from '../checks/types';
import { makeFinding, type Finding } from '../findings/finding';
import { gatewayTarget } from '../checks/list/targets';
import { GATE_ITEMS, portsItem, resolveHostItem, type GateCheckResult, type GateRun, type GateRunner } from './gate';
import { probeSunshine } from './sunshine-probe';

/** Which findings belong to which gate item. */
const FINDINGS_BY_CHECK: Record<string, readonly string[]> = {
  tunnel: ['tunnel.down', 'tunnel.no-handshake', 'tunnel.stale'],
  'dns-system': ['dns.system-not-using-tunnel', 'dns.name-unresolved', 'dns.resolver-unreachable'],
  tls: ['tcp.large-payload-stalled'],
  'path-mtu': ['mtu.blackhole'],
  'sunshine-ports': ['stream.sunshine-not-listening'],
};

export function gateItemsFromChecks(results: readonly CheckResult[], findings: readonly Finding[]): GateCheckResult[] {
  const out: GateCheckResult[] = [];
  for (const { id } of GATE_ITEMS) {
    const r = results.find((x) => x.id === id);
    if (!r) continue;
    const f = findings.find((x) => (FINDINGS_BY_CHECK[id] ?? []).includes(x.code));
    const status = f?.severity === 'error' ? 'fail' : r.status;
    const item: GateCheckResult = { id, status, summary: f && f.severity === 'error' ? `${f.title}: ${f.detail}` : r.summary, evidence: r.evidence };
    if (f) {
      item.findingCode = f.code;
      item.fix = f.fix;
    }
    out.push(item);
  }
  return out;
}

export interface ChecksGateDeps {
  /** Build the CheckTarget for a profile (name or file); the faces own profile/site resolution. */
  target(profile: string | undefined): Promise<CheckTarget>;
  system: CheckSystem;
}

/** Make sure the engine's stream-host checks (TLS 47984, Sunshine ports) test THIS host. */
export function withStreamHost(target: CheckTarget, host: string): CheckTarget {
  const site = target.site ?? { name: 'stream', dnsNames: [], streamHosts: [], probe: null };
  if (site.streamHosts.some((h) => h.host === host)) return target;
  return { ...target, site: { ...site, streamHosts: [{ name: host, host }, ...site.streamHosts] } };
}

export function createChecksGateRunner(deps: ChecksGateDeps): GateRunner {
  return {
    async run(req): Promise<GateRun> {
      const hostItem = resolveHostItem(req.host, req.signal);
      let target: CheckTarget;
      try {
        target = withStreamHost(await deps.target(req.profile), req.host);
      } catch (err) {
        // No tunnel to check is itself a red gate: the stream is meant to go through the tunnel.
        const probe = await probeSunshine(req.host, { signal: req.signal });
        const f = makeFinding('tunnel.down', { interface: req.profile ?? '', profile: req.profile ?? '' });
        const fix = req.profile ? f.fix : 'Connect to the farm first (Connect, or `longhaul up PROFILE`), or name the tunnel with --profile NAME.';
        const items = [await hostItem, { id: 'tunnel', status: 'fail' as const, summary: (err as Error).message, findingCode: f.code, fix }, portsItem(probe)];
        for (const i of items) req.onProgress?.(i);
        return { checks: items, pathMtu: null, probe };
      }
      const d = await runDiagnosis(target, deps.system, { signal: req.signal });
      const items = [await hostItem, ...gateItemsFromChecks(d.checks, d.findings)];
      for (const i of items) req.onProgress?.(i);
      return { checks: items, pathMtu: d.pathMtu, vpnDetectionApplies: true, tunnel: { profileName: target.profileName, interfaceName: target.interfaceName, gateway: gatewayTarget(target) ?? null } };
    },
  };
}
