/**
 * Check `route-conflict`: the profiles issue's rule (`findRouteConflicts`): an AllowedIPs prefix (longer than /0)
 * overlapping the subnet of an up interface — a LAN or another tunnel — read by `core/net` `readLocalNetworks`, the
 * same function with the same inputs (this tunnel's interface and addresses) as `up`'s preflight, so the check and
 * `up` agree. The findings travel in the evidence; the diagnosis rule returns them. Environment: plain Node.
 */
import { readLocalNetworks } from '../../net/local-networks';
import { findRouteConflicts } from '../../profiles';
import { ProcessError } from '../../platform/runner';
import type { Check } from '../types';

export const routeConflictCheck: Check = {
  id: 'route-conflict',
  title: 'No local network overlaps the tunnel routes',
  dependsOn: [],
  async run(ctx, signal) {
    const peers = ctx.target.peers.map((p) => ({ allowedIps: p.allowedIps }));
    const allowed = peers.flatMap((p) => p.allowedIps);
    let nets;
    try {
      nets = await readLocalNetworks(ctx.system.runner, { interface: ctx.target.interfaceName, addresses: ctx.target.addresses }, { platform: ctx.system.platform, signal });
    } catch (err) {
      if (err instanceof ProcessError && err.kind === 'not-found') return { status: 'skip', summary: '`ip` is not installed', evidence: { reason: 'tool-missing' } };
      throw err;
    }
    const findings = findRouteConflicts({ peers } as Parameters<typeof findRouteConflicts>[0], nets, [], [], ctx.target.profileName);
    const evidence = { allowedIps: allowed, localNetworks: nets.map((n) => `${n.interface} ${n.prefix}${n.tunnel ? ' (tunnel)' : ''}`), findings };
    const errors = findings.filter((f) => f.severity === 'error');
    if (errors.length > 0) return { status: 'fail', summary: errors.map((f) => f.detail).join(' '), evidence: { ...evidence, reason: 'conflict' } };
    if (findings.length > 0) return { status: 'warn', summary: findings.map((f) => f.detail).join(' '), evidence: { ...evidence, reason: 'overlap' } };
    return { status: 'pass', summary: `${allowed.length} route(s), no overlap with ${nets.length} local network(s)`, evidence };
  },
};
