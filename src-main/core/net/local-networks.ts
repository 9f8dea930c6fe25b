/**
 * The machine's local networks: the ONE source for route conflicts (the `route-conflict` check and `up`'s preflight
 * both call `readLocalNetworks` with the tunnel's own interface and addresses), the report and the network
 * fingerprint. Linux: `ip -j addr` through the one iproute2 parser (`ip-json.ts`; recordings
 * test/fixtures/samples/linux-ip-j-*.txt), which knows up/down, loopback and tunnel links (`link_type` `none`:
 * WireGuard, wireguard-go's tun). macOS and Windows: Node's own `os.networkInterfaces()` (libuv lists interfaces that
 * are up and running, with their CIDR) — no output to parse; macOS `utun*` links are tunnels. This file is the only
 * caller of `os.networkInterfaces()` (lint). Environment: plain Node.
 *
 * Other tunnels count: a WireGuard or tun interface whose addresses overlap the farm's AllowedIPs is a conflict as
 * much as a LAN is (the kernel would route those addresses to whichever is more specific). On Linux the routes through
 * other tunnel interfaces count too (`ip -j -4/-6 route show table all`: what wg-quick, Tailscale or another VPN
 * installed for their AllowedIPs; `default` and local/broadcast/multicast routes are not networks), so another
 * tunnel's routed range is seen by the check and by `up` alike, whoever started that tunnel.
 */
import * as os from 'node:os';
import { networkText, parseIp, parsePrefix } from '../profiles/ip';
import type { ProcessRunner } from '../platform/runner';
import { parseIpAddr, parseIpRoute, type NetInterface, type NetRoute } from './ip-json';

/** One address of one interface, as the OS shows it. */
export interface LocalAddress {
  interface: string;
  /** The subnet, `network/len` (host bits cleared). */
  prefix: string;
  /** The interface's own address. */
  address: string;
  up: boolean;
  /** WireGuard, tun and other layer-3 point-to-point links (`link_type` `none`; macOS `utun*`). */
  tunnel: boolean;
  loopback: boolean;
  /** `scope link` (fe80::/10, 169.254/16), `host`, or `global`. */
  scope: string;
}

/** A network a tunnel's routes may collide with. */
export interface LocalNetwork {
  interface: string;
  /** `network/len`. */
  prefix: string;
  /** The interface is a tunnel (another VPN) rather than a LAN. */
  tunnel: boolean;
}

/** The tunnel being checked or brought up: its own interface and addresses are not "other" networks. */
export interface OwnTunnel {
  interface?: string;
  /** Its Address lines (`10.200.0.2/32` or bare IPs). */
  addresses?: readonly string[];
}

export type OsInterfaces = NodeJS.Dict<os.NetworkInterfaceInfo[]>;

/** Node's interface list: the one call in the code base (lint forbids it elsewhere). */
export function osInterfaces(): OsInterfaces {
  return os.networkInterfaces();
}

/** Addresses of iproute2 links (`parseIpAddr`). */
export function addressesOfLinks(links: readonly NetInterface[]): LocalAddress[] {
  const out: LocalAddress[] = [];
  for (const link of links) {
    for (const a of link.addresses) {
      const p = parsePrefix(`${a.address}/${a.prefixLength}`);
      if (!p.ok) continue;
      out.push({
        interface: link.name,
        prefix: networkText(p.prefix),
        address: a.address,
        up: link.flags.includes('UP'),
        tunnel: link.linkType === 'none',
        loopback: link.linkType === 'loopback' || link.flags.includes('LOOPBACK'),
        scope: a.scope ?? 'global',
      });
    }
  }
  return out;
}

/** Addresses from Node's `os.networkInterfaces()` (up interfaces only). */
export function addressesOfOs(interfaces: OsInterfaces): LocalAddress[] {
  const out: LocalAddress[] = [];
  for (const [name, addrs] of Object.entries(interfaces)) {
    for (const a of addrs ?? []) {
      if (!a.cidr) continue;
      const p = parsePrefix(a.cidr);
      if (!p.ok) continue;
      const linkLocal = /^fe80:/i.test(a.address) || /^169\.254\./.test(a.address);
      out.push({
        interface: name,
        prefix: networkText(p.prefix),
        address: a.address,
        up: true,
        tunnel: /^utun\d+$/.test(name),
        loopback: a.internal,
        scope: linkLocal ? 'link' : a.internal ? 'host' : 'global',
      });
    }
  }
  return out;
}

/** The report's interface list on macOS/Windows, in the iproute2 parser's shape (no MTU, state or MAC there). */
export function netInterfacesOfOs(interfaces: OsInterfaces = osInterfaces()): NetInterface[] {
  return Object.entries(interfaces).map(([name, addrs]) => ({
    name,
    index: null,
    mtu: null,
    state: null,
    flags: [],
    linkType: null,
    mac: null,
    addresses: (addrs ?? []).map((a) => ({ family: a.family === 'IPv4' ? 'inet' : 'inet6', address: a.address, prefixLength: Number(a.cidr?.split('/')[1] ?? 0), scope: a.internal ? 'host' : null })) as NetInterface['addresses'],
  }));
}

function ipKey(s: string): string | null {
  const ip = parseIp(s.split('/')[0]!.trim());
  return ip ? `${ip.family}|${ip.value}` : null;
}

/**
 * The networks a tunnel's routes may collide with: up, not loopback, not link/host scope, LANs and other tunnels
 * alike — minus the tunnel's own interface and, when `byAddress` (macOS/Windows, where the OS names the interface
 * `utunN` or after the adapter, not the profile), any interface carrying one of its own addresses. On Linux the
 * interface is named by the caller, so another interface that carries the same address (the same profile up under
 * another name) is another tunnel on the same routes: a conflict, which `ip route add` would also refuse.
 */
export function conflictNetworks(addrs: readonly LocalAddress[], own: OwnTunnel = {}, byAddress = true): LocalNetwork[] {
  const mine = new Set((byAddress ? (own.addresses ?? []) : []).map(ipKey).filter((k): k is string => k !== null));
  const ownIfaces = new Set(addrs.filter((a) => mine.has(ipKey(a.address) ?? '')).map((a) => a.interface));
  if (own.interface) ownIfaces.add(own.interface);
  const out: LocalNetwork[] = [];
  const seen = new Set<string>();
  for (const a of addrs) {
    if (!a.up || a.loopback || a.scope === 'link' || a.scope === 'host' || ownIfaces.has(a.interface)) continue;
    const key = `${a.interface}|${a.prefix}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ interface: a.interface, prefix: a.prefix, tunnel: a.tunnel });
  }
  return out;
}

/**
 * Networks routed through other tunnels (Linux): unicast routes whose device is an up tunnel link, as
 * `{interface, prefix, up, tunnel: true, scope: 'global'}` addresses (the route's destination is the "subnet").
 */
export function tunnelRouteAddresses(links: readonly NetInterface[], routes: readonly NetRoute[]): LocalAddress[] {
  const tunnels = new Set(links.filter((l) => l.linkType === 'none' && l.flags.includes('UP')).map((l) => l.name));
  const out: LocalAddress[] = [];
  for (const r of routes) {
    if (!r.dev || !tunnels.has(r.dev) || r.dst === 'default' || (r.type !== null && r.type !== 'unicast')) continue;
    const p = parsePrefix(r.dst.includes('/') ? r.dst : `${r.dst}/${r.dst.includes(':') ? 128 : 32}`);
    if (!p.ok || p.prefix.length === 0) continue;
    const prefix = networkText(p.prefix);
    if (/^fe80:|^ff/i.test(prefix)) continue; // link-local and multicast: no farm routes there
    out.push({ interface: r.dev, prefix, address: r.prefsrc ?? '', up: true, tunnel: true, loopback: false, scope: 'global' });
  }
  return out;
}

export interface ReadLocalOptions {
  /** Linux: read another network namespace (`ip -n NS`; lab tests). */
  netns?: string;
  platform?: NodeJS.Platform;
  signal?: AbortSignal;
  /** macOS/Windows (tests): the interface list instead of Node's. */
  interfaces?: OsInterfaces;
}

/**
 * Every address of every interface (Linux: `ip -j addr`; elsewhere Node's list), and on Linux the networks routed
 * through other tunnels. A failed route read leaves the addresses (the routes only add to them).
 */
export async function readLocalAddresses(runner: ProcessRunner, o: ReadLocalOptions = {}): Promise<LocalAddress[]> {
  if ((o.platform ?? process.platform) !== 'linux') return addressesOfOs(o.interfaces ?? osInterfaces());
  const ip = async (args: string[]) => (await runner.run('ip', [...(o.netns ? ['-n', o.netns] : []), '-j', ...args], { timeoutMs: 10_000, signal: o.signal })).stdout;
  const links = parseIpAddr(await ip(['addr']));
  const routes: NetRoute[] = [];
  for (const family of ['-4', '-6']) {
    try {
      routes.push(...parseIpRoute(await ip([family, 'route', 'show', 'table', 'all'])));
    } catch {}
  }
  return [...addressesOfLinks(links), ...tunnelRouteAddresses(links, routes)];
}

/** The local networks (LANs and other tunnels) a tunnel's routes may collide with, on any OS. */
export async function readLocalNetworks(runner: ProcessRunner, own: OwnTunnel = {}, o: ReadLocalOptions = {}): Promise<LocalNetwork[]> {
  const linux = (o.platform ?? process.platform) === 'linux';
  return conflictNetworks(await readLocalAddresses(runner, o), own, !(linux && own.interface));
}
