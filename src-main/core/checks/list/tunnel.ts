/**
 * Check `tunnel`: the interface exists and a WireGuard handshake is recent. A fresh tunnel may not have handshaken yet
 * (WireGuard waits for traffic), so we send one datagram into the tunnel and watch for the handshake until a
 * deadline. Linux reads `ip -j link` / `wg show`; elsewhere the interface is found by its address (handshake age
 * unknown there: UNVERIFIED adapters for macOS/Windows arrive with the tunnel issue). Environment: plain Node.
 */
import { handshakeAgeSec, isHandshakeFresh, kick, kickTarget } from '../../net/handshake';
import { osInterfaces } from '../../net/local-networks';
import { ProcessError } from '../../platform/runner';
import { parseLatestHandshakes, readLinkWithOutput } from '../../net/interface-linux';
import type { Check, CheckContext, CheckOutcome } from '../types';

const DEFAULT_MTU = 1420;

/** The kick's target: the tunnel's DNS server or a stream host when routed, else the first routed host. */
export function checkKickTarget(ctx: CheckContext): string | null {
  const t = ctx.target;
  return kickTarget({ allowedIps: t.peers.flatMap((p) => p.allowedIps), candidates: [...t.dns, ...(t.site?.streamHosts.map((h) => h.host) ?? [])] });
}

async function linuxTunnel(ctx: CheckContext, signal: AbortSignal): Promise<CheckOutcome> {
  const ifname = ctx.target.interfaceName;
  const runner = ctx.system.runner;
  let link;
  try {
    const r = await readLinkWithOutput(runner, ifname, signal);
    link = r.link;
    if (!link) {
      return { status: 'fail', summary: `interface ${ifname} does not exist`, evidence: { reason: 'absent', interface: ifname, sent: `ip -j link show dev ${ifname}`, received: r.received } };
    }
  } catch (err) {
    if (err instanceof ProcessError && err.kind === 'not-found') return { status: 'skip', summary: '`ip` is not installed', evidence: { reason: 'tool-missing' } };
    throw err;
  }
  const evidence: Record<string, unknown> = { interface: ifname, mtu: link.mtu, operstate: link.state ?? 'UNKNOWN' };
  /** Age of the newest handshake (null = never), or 'unreadable' when `wg show` failed. */
  const readAge = async (): Promise<number | null | 'unreadable'> => {
    const r = await runner.run('wg', ['show', ifname, 'latest-handshakes'], { timeoutMs: 5000, okCodes: 'any' });
    if (r.code !== 0) {
      evidence.wgError = r.stderr.trim();
      return 'unreadable';
    }
    const latest = Math.max(0, ...parseLatestHandshakes(r.stdout).map((h) => h.latest));
    return handshakeAgeSec(latest, Math.round(Date.now() / 1000));
  };
  const first = await readAge();
  if (first === 'unreadable' && /not permitted|permission denied/i.test(String(evidence.wgError))) {
    // `wg show` needs CAP_NET_ADMIN: without it the handshake age is unknown, the other checks still tell the truth.
    return { status: 'warn', summary: `${ifname} up, MTU ${link.mtu}; handshake age not readable without admin rights`, evidence: { ...evidence, reason: 'handshake-unreadable', handshakeAgeSec: null } };
  }
  if (first === 'unreadable') return { status: 'fail', summary: `${ifname} exists but is not a WireGuard interface we can read`, evidence: { ...evidence, reason: 'not-wireguard' } };
  let age: number | null = first;
  if (!isHandshakeFresh(age)) {
    const target = checkKickTarget(ctx);
    if (target) void kick(target);
    const deadline = ctx.timing.deadline({ defaultMs: 2500, rttMultiple: 6, minMs: 1500 }, signal);
    while (!isHandshakeFresh(age) && !deadline.aborted) {
      await new Promise((r) => setTimeout(r, 50));
      const next = await readAge();
      age = next === 'unreadable' ? null : next;
    }
  }
  if (!isHandshakeFresh(age)) {
    return { status: 'fail', summary: `no handshake with the gateway on ${ifname}`, evidence: { ...evidence, reason: 'no-handshake', handshakeAgeSec: age } };
  }
  return { status: 'pass', summary: `${ifname} up, MTU ${link.mtu}, handshake ${age} s ago`, evidence: { ...evidence, handshakeAgeSec: age } };
}

function otherTunnel(ctx: CheckContext): CheckOutcome {
  const want = new Set(ctx.target.addresses.map((a) => a.split('/')[0]));
  for (const [name, addrs] of Object.entries(osInterfaces())) {
    if ((addrs ?? []).some((a) => want.has(a.address))) {
      return { status: 'pass', summary: `tunnel address is on ${name} (handshake age not read on ${ctx.system.platform})`, evidence: { interface: name, mtu: ctx.target.mtu ?? DEFAULT_MTU, handshakeAgeSec: null } };
    }
  }
  return { status: 'fail', summary: 'no interface carries the tunnel address', evidence: { reason: 'absent', interface: ctx.target.interfaceName } };
}

export const tunnelCheck: Check = {
  id: 'tunnel',
  title: 'Tunnel interface and handshake',
  dependsOn: [],
  run: (ctx, signal) => (ctx.system.platform === 'linux' ? linuxTunnel(ctx, signal) : Promise.resolve(otherTunnel(ctx))),
};

/** The tunnel MTU the other checks bound themselves by. */
export function tunnelMtuOf(evidence: Record<string, unknown>, profileMtu: number | null): number {
  return typeof evidence.mtu === 'number' ? evidence.mtu : (profileMtu ?? DEFAULT_MTU);
}
