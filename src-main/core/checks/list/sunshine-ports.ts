/** Check `sunshine-ports`: TCP 47984, 47989, 48010 on each stream host. Environment: plain Node. */
import { SUNSHINE_TCP_PORTS } from '../../net/sunshine-ports';
import { tcpConnect } from '../../net/tcp-connect';
import type { Check } from '../types';
import { noTarget } from './targets';

export const sunshinePortsCheck: Check = {
  id: 'sunshine-ports',
  title: 'Streaming service ports',
  dependsOn: ['tunnel'],
  async run(ctx, signal) {
    const hosts = ctx.target.site?.streamHosts ?? [];
    if (hosts.length === 0) return noTarget('the site lists no stream host', 'streamHosts in site.json');
    const timeoutMs = ctx.timing.budget({ defaultMs: 3000, rttMultiple: 5, minMs: 1000 });
    // One lookup per host name (shared with the TLS check); a name that does not resolve is connected to by name, so
    // its outcome reads as before.
    const addrs = await Promise.all(hosts.map((h) => ctx.addresses.resolve(h.host, timeoutMs, signal)));
    const results = await Promise.all(
      hosts.flatMap((h, i) => {
        const a = addrs[i]!;
        return SUNSHINE_TCP_PORTS.map((p) => tcpConnect(h.host, p, timeoutMs, signal, a.ok ? a.address : undefined));
      }),
    );
    for (const r of results) if (r.outcome === 'open') ctx.timing.sample(r.ms, 'tcp');
    const evidence: Record<string, unknown> = { sent: results.map((r) => `TCP SYN ${r.host}:${r.port}`), received: results.map((r) => `${r.host}:${r.port} ${r.outcome}`) };
    const refused = results.filter((r) => r.outcome === 'refused');
    if (refused.length > 0) {
      const host = refused[0]!.host;
      const closedPorts = refused.filter((r) => r.host === host).map((r) => r.port);
      return { status: 'fail', summary: `${host}: nothing listens on ${closedPorts.join(', ')}`, evidence: { ...evidence, reason: 'not-listening', host, closedPorts } };
    }
    const silent = results.filter((r) => r.outcome !== 'open');
    if (silent.length > 0) return { status: 'warn', summary: `${silent.map((r) => `${r.host}:${r.port}`).join(', ')}: no answer`, evidence: { ...evidence, reason: 'no-answer' } };
    return { status: 'pass', summary: `${hosts.length} host(s): ${SUNSHINE_TCP_PORTS.join(', ')} open`, evidence };
  },
};
