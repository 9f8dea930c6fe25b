/**
 * Check `dns-system`: the system resolver (what Moonlight and every app use) returns the tunnel resolver's answer for
 * the site's names — split DNS is really applied. Started at t=0; compared once `dns-tunnel` is known.
 * Environment: plain Node.
 */
import { systemLookup, type SystemLookupOutcome } from '../probes/system-resolver';
import type { Check } from '../types';
import type { NameAnswer } from './dns-tunnel';
import { noTarget } from './targets';

function describe(o: SystemLookupOutcome): string {
  if (o.kind === 'addresses') return `returned ${o.addresses.join(', ')}`;
  if (o.kind === 'error') return `failed (${o.code})`;
  return `did not answer within ${o.timeoutMs} ms`;
}

export const dnsSystemCheck: Check = {
  id: 'dns-system',
  title: 'System resolver uses the farm DNS',
  dependsOn: ['tunnel'],
  async run(ctx, signal) {
    const names = ctx.target.site?.dnsNames ?? [];
    if (names.length === 0) return noTarget('the site lists no dnsNames', 'dnsNames in site.json');
    const timeoutMs = ctx.timing.budget({ defaultMs: 3000, rttMultiple: 6, minMs: 1000 });
    const lookups = Promise.all(names.map((n) => systemLookup(n, timeoutMs, signal).then((o) => ({ name: n, o }))));
    const tunnel = await ctx.resultOf('dns-tunnel');
    const system = await lookups;
    const evidence: Record<string, unknown> = { sent: names.map((n) => `getaddrinfo(${n}, AF_INET)`), received: system.map((s) => `${s.name}: ${describe(s.o)}`) };
    if (tunnel.status !== 'pass') return { status: 'skip', summary: 'the tunnel resolver did not resolve the site names', evidence: { ...evidence, reason: 'dependency-failed', dependency: 'dns-tunnel' } };
    const answers = (tunnel.evidence.answers as NameAnswer[] | undefined) ?? [];
    for (const s of system) {
      const expected = new Set(answers.filter((a) => a.name === s.name).flatMap((a) => a.addresses));
      const got = s.o.kind === 'addresses' ? s.o.addresses : [];
      if (!got.some((g) => expected.has(g))) {
        return {
          status: 'fail',
          summary: `the system resolver ${describe(s.o)} for ${s.name}; the tunnel resolver says ${[...expected].join(', ')}`,
          evidence: { ...evidence, reason: 'system-not-using-tunnel', name: s.name, systemOutcome: describe(s.o), expected: [...expected] },
        };
      }
    }
    return { status: 'pass', summary: `system resolver agrees with the tunnel resolver for ${names.length} name(s)`, evidence };
  },
};
