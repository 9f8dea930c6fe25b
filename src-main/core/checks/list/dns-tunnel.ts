/**
 * Check `dns-tunnel`: the profile's DNS server, asked directly through the tunnel with our own UDP client and a hard
 * deadline. Any response proves the resolver listens; each site `dnsNames` entry must resolve. Without dnsNames a
 * probe name is asked (its NXDOMAIN still proves the resolver listens). Environment: plain Node.
 */
import { queryDns, type DnsQueryOutcome } from '../probes/dns-udp';
import type { Check } from '../types';
import { noTarget } from './targets';

export const PROBE_NAME = 'longhaul-probe.invalid';

export interface NameAnswer {
  name: string;
  server: string;
  outcome: DnsQueryOutcome['kind'];
  rcode: string | null;
  addresses: string[];
}

function describe(o: DnsQueryOutcome): string {
  if (o.kind === 'response') return `${o.rcode}${o.addresses.length ? ` ${o.addresses.join(', ')}` : ''}`;
  if (o.kind === 'port-unreachable') return 'ICMP port unreachable (nothing listens on port 53)';
  if (o.kind === 'timeout') return `no answer within ${o.timeoutMs} ms`;
  return o.message;
}

export const dnsTunnelCheck: Check = {
  id: 'dns-tunnel',
  title: 'Farm DNS through the tunnel',
  dependsOn: ['tunnel'],
  async run(ctx, signal) {
    const servers = ctx.target.dns.filter((d) => /^[\d.]+$|:/.test(d));
    if (servers.length === 0) return noTarget('the profile has no DNS server', 'DNS = in the profile');
    const names = ctx.target.site?.dnsNames.length ? ctx.target.site.dnsNames : [PROBE_NAME];
    const timeoutMs = ctx.timing.budget({ defaultMs: 2500, rttMultiple: 5, minMs: 800 });
    const asks = servers.flatMap((server) => names.map((name) => ({ server, name })));
    const outcomes = await Promise.all(asks.map((a) => queryDns({ server: a.server, name: a.name, timeoutMs, signal }).then((o) => ({ ...a, o }))));
    for (const { o } of outcomes) if (o.kind === 'response') ctx.timing.sample(o.rttMs, 'dns');
    const answers: NameAnswer[] = outcomes.map(({ server, name, o }) => ({
      name,
      server,
      outcome: o.kind,
      rcode: o.kind === 'response' ? o.rcode : null,
      addresses: o.kind === 'response' ? o.addresses : [],
    }));
    const evidence: Record<string, unknown> = {
      sent: asks.map((a) => `A? ${a.name} @${a.server}:53 (UDP, ${timeoutMs} ms deadline)`),
      received: outcomes.map(({ server, name, o }) => `${name} @${server}: ${describe(o)}`),
      answers,
    };
    const listening = new Set(outcomes.filter((x) => x.o.kind === 'response').map((x) => x.server));
    const deaf = servers.filter((s) => !listening.has(s));
    if (listening.size === 0) {
      const first = outcomes[0]!;
      return {
        status: 'fail',
        summary: `resolver ${deaf.join(', ')} does not answer: ${describe(first.o)}`,
        evidence: { ...evidence, reason: 'resolver-unreachable', server: first.server, outcome: describe(first.o) },
      };
    }
    if (names[0] === PROBE_NAME) return { status: 'pass', summary: `resolver ${[...listening].join(', ')} answers (no site names to resolve)`, evidence };
    const unresolved = [...new Set(answers.filter((a) => listening.has(a.server) && a.addresses.length === 0).map((a) => a.name))];
    if (unresolved.length > 0) {
      const a = answers.find((x) => x.name === unresolved[0] && listening.has(x.server))!;
      return { status: 'fail', summary: `${unresolved.join(', ')} do not resolve (${a.rcode})`, evidence: { ...evidence, reason: 'names-unresolved', unresolved, server: a.server, rcode: a.rcode } };
    }
    return { status: 'pass', summary: `${names.length} site name(s) resolve via ${[...listening].join(', ')}`, evidence };
  },
};
