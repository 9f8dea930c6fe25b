/**
 * Check `route-conflict`: the profiles issue's rule (`findRouteConflicts`): an AllowedIPs prefix (longer than /0)
 * overlapping the subnet of an up, non-tunnel interface (or another tunnel) — over `os.networkInterfaces()`, which
 * lists interfaces that are up and running. The findings travel in the evidence; the diagnosis rule returns them.
 * Environment: plain Node.
 */
import * as os from 'node:os';
import { findRouteConflicts, type LocalNetwork } from '../../profiles';
import type { Check } from '../types';

export function localNetworks(exclude: string): LocalNetwork[] {
  const out: LocalNetwork[] = [];
  for (const [name, addrs] of Object.entries(os.networkInterfaces())) {
    if (name === exclude) continue;
    for (const a of addrs ?? []) if (!a.internal && a.cidr) out.push({ interface: name, prefix: a.cidr });
  }
  return out;
}

export const routeConflictCheck: Check = {
  id: 'route-conflict',
  title: 'No local network overlaps the tunnel routes',
  dependsOn: [],
  async run(ctx) {
    const peers = ctx.target.peers.map((p) => ({ allowedIps: p.allowedIps }));
    const allowed = peers.flatMap((p) => p.allowedIps);
    const nets = localNetworks(ctx.target.interfaceName);
    const findings = findRouteConflicts({ peers } as Parameters<typeof findRouteConflicts>[0], nets, [], [], ctx.target.profileName);
    const evidence = { allowedIps: allowed, localNetworks: nets.map((n) => `${n.interface} ${n.prefix}`), findings };
    const errors = findings.filter((f) => f.severity === 'error');
    if (errors.length > 0) return { status: 'fail', summary: errors.map((f) => f.detail).join(' '), evidence: { ...evidence, reason: 'conflict' } };
    if (findings.length > 0) return { status: 'warn', summary: findings.map((f) => f.detail).join(' '), evidence: { ...evidence, reason: 'overlap' } };
    return { status: 'pass', summary: `${allowed.length} route(s), no overlap with ${nets.length} local network(s)`, evidence };
  },
};
