/** Where checks aim, and the shared "nothing to test" outcome. Environment: plain Node. */
import type { CheckOutcome, CheckTarget } from '../types';

/** The tunnel's DNS server, else the first stream host, else the site's probe host. */
export function gatewayTarget(t: CheckTarget): string | undefined {
  const v4 = (h: string | undefined) => (h && /^\d+\.\d+\.\d+\.\d+$/.test(h) ? h : undefined);
  return v4(t.dns.find((d) => v4(d))) ?? v4(t.site?.streamHosts.find((h) => v4(h.host))?.host) ?? v4(t.site?.probe?.host);
}

export function noTarget(why: string, missing: string): CheckOutcome {
  return { status: 'skip', summary: `nothing to test: ${why}`, evidence: { reason: 'no-target', why, missing } };
}

/** The outcome of a check that needs `gatewayTarget` when there is none. */
export function noGateway(): CheckOutcome {
  return noTarget('no DNS server in the profile and no stream host in the site', 'DNS in the profile');
}
