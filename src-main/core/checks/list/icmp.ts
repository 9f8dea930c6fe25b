/** Check `icmp`: one echo to the tunnel's DNS server / gateway; gives the run its first RTT. Environment: plain Node. */
import type { Check } from '../types';
import { gatewayTarget, noGateway } from './targets';

export const icmpCheck: Check = {
  id: 'icmp',
  title: 'Ping the gateway through the tunnel',
  dependsOn: ['tunnel'],
  async run(ctx, signal) {
    const host = gatewayTarget(ctx.target);
    if (!host) return noGateway();
    const timeoutMs = ctx.timing.budget({ defaultMs: 2000, rttMultiple: 4, minMs: 800 });
    const r = await ctx.system.ping.ping({ host, payload: 56, timeoutMs, signal });
    if (r.outcome === 'reply' && r.rttMs !== null) ctx.timing.sample(r.rttMs, 'icmp');
    const evidence = { target: host, sent: 'ICMP echo, 56 bytes, DF', outcome: r.outcome, received: r.detail, rttMs: r.rttMs };
    if (r.outcome === 'reply') return { status: 'pass', summary: `${host} answers in ${r.rttMs} ms`, evidence };
    return { status: 'warn', summary: `${host} does not answer ping (${r.outcome})`, evidence: { ...evidence, reason: 'no-echo' } };
  },
};
