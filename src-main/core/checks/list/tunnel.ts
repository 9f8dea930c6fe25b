/**
 * Check `tunnel`: the interface exists and a WireGuard handshake is recent. A fresh tunnel may not have handshaken yet
 * (WireGuard waits for traffic), so we send one datagram into the tunnel and watch for the handshake until a
 * deadline. Linux reads `ip -j link` / `wg show`; elsewhere the interface is found by its address (handshake age
 * unknown there: UNVERIFIED adapters for macOS/Windows arrive with the tunnel issue). Environment: plain Node.
 */
import * as dgram from 'node:dgram';
import * as os from 'node:os';
import { ProcessError } from '../../platform/runner';
import { parseIpLinkJson, parseLatestHandshakes } from '../../net/interface-linux';
import type { Check, CheckContext, CheckOutcome } from '../types';

const FRESH_SEC = 180; // WireGuard's REJECT_AFTER_TIME: older sessions are dead
const DEFAULT_MTU = 1420;

function kick(host: string | undefined): void {
  if (!host) return;
  const s = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
  s.on('error', () => s.close());
  s.send(Buffer.from('longhaul'), 9, host, () => s.close());
}

export function kickTarget(ctx: CheckContext): string | undefined {
  const t = ctx.target;
  const ip = (s: string) => s.split('/')[0]!;
  const fromAllowed = t.peers.flatMap((p) => p.allowedIps).find((a) => !a.endsWith('/0') && !a.includes(':'));
  return t.dns[0] ?? t.site?.streamHosts[0]?.host ?? (fromAllowed ? firstHost(ip(fromAllowed)) : undefined);
}

function firstHost(net: string): string {
  const p = net.split('.').map(Number);
  if (p.length === 4 && p[3] === 0) p[3] = 1;
  return p.join('.');
}

async function linuxTunnel(ctx: CheckContext, signal: AbortSignal): Promise<CheckOutcome> {
  const ifname = ctx.target.interfaceName;
  const runner = ctx.system.runner;
  let link;
  try {
    const r = await runner.run('ip', ['-j', 'link', 'show', 'dev', ifname], { timeoutMs: 5000, signal, okCodes: 'any' });
    link = r.code === 0 ? parseIpLinkJson(r.stdout, ifname) : null;
    if (!link) {
      return { status: 'fail', summary: `interface ${ifname} does not exist`, evidence: { reason: 'absent', interface: ifname, sent: `ip -j link show dev ${ifname}`, received: r.stderr.trim() || r.stdout.trim() } };
    }
  } catch (err) {
    if (err instanceof ProcessError && err.kind === 'not-found') return { status: 'skip', summary: '`ip` is not installed', evidence: { reason: 'tool-missing' } };
    throw err;
  }
  const evidence: Record<string, unknown> = { interface: ifname, mtu: link.mtu, operstate: link.operstate };
  const readAge = async (): Promise<number | null> => {
    const r = await runner.run('wg', ['show', ifname, 'latest-handshakes'], { timeoutMs: 5000, okCodes: 'any' });
    if (r.code !== 0) {
      evidence.wgError = r.stderr.trim();
      return null;
    }
    const hs = parseLatestHandshakes(r.stdout).filter((h) => h.latest > 0);
    if (hs.length === 0) return Infinity;
    return Math.max(0, Math.round(Date.now() / 1000) - Math.max(...hs.map((h) => h.latest)));
  };
  let age = await readAge();
  if (age === null && /not permitted|permission denied/i.test(String(evidence.wgError))) {
    // `wg show` needs CAP_NET_ADMIN: without it the handshake age is unknown, the other checks still tell the truth.
    return { status: 'warn', summary: `${ifname} up, MTU ${link.mtu}; handshake age not readable without admin rights`, evidence: { ...evidence, reason: 'handshake-unreadable', handshakeAgeSec: null } };
  }
  if (age === null) return { status: 'fail', summary: `${ifname} exists but is not a WireGuard interface we can read`, evidence: { ...evidence, reason: 'not-wireguard' } };
  if (age > FRESH_SEC) {
    kick(kickTarget(ctx));
    const deadline = ctx.timing.deadline({ defaultMs: 2500, rttMultiple: 6, minMs: 1500 }, signal);
    while (age > FRESH_SEC && !deadline.aborted) {
      await new Promise((r) => setTimeout(r, 50));
      age = (await readAge()) ?? Infinity;
    }
  }
  if (age > FRESH_SEC) {
    return { status: 'fail', summary: `no handshake with the gateway on ${ifname}`, evidence: { ...evidence, reason: 'no-handshake', handshakeAgeSec: Number.isFinite(age) ? age : null } };
  }
  return { status: 'pass', summary: `${ifname} up, MTU ${link.mtu}, handshake ${age} s ago`, evidence: { ...evidence, handshakeAgeSec: age } };
}

function otherTunnel(ctx: CheckContext): CheckOutcome {
  const want = new Set(ctx.target.addresses.map((a) => a.split('/')[0]));
  for (const [name, addrs] of Object.entries(os.networkInterfaces())) {
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
