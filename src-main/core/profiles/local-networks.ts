/**
 * The machine's local networks, for route conflicts. Linux: `ip -j addr` (iproute2 JSON: one array of links, each with
 * `ifname`, `flags`, `link_type`, `addr_info[{family, local, prefixlen, scope}]`; recording test/fixtures/samples/
 * linux-ip-j-addr-wg-full-tunnel.txt), which knows up/down and tunnel links. macOS and Windows: Node's own
 * `os.networkInterfaces()` (interfaces that are up, with their CIDR) — no output to parse. Environment: plain Node.
 */
import * as os from 'node:os';
import type { ProcessRunner } from '../platform/runner';
import { networkText, parsePrefix } from './ip';

export interface LocalAddress {
  interface: string;
  /** The subnet, `network/len` (host bits cleared). */
  prefix: string;
  /** The interface's own address. */
  address: string;
  up: boolean;
  /** WireGuard (and other layer-3 point-to-point) links: `link_type` `none`. */
  tunnel: boolean;
  loopback: boolean;
  /** `scope link` (fe80::/10, 169.254/16) or `host`. */
  scope: string;
}

interface IpAddrInfo {
  family?: string;
  local?: string;
  prefixlen?: number;
  scope?: string;
}
interface IpLink {
  ifname?: string;
  flags?: string[];
  link_type?: string;
  addr_info?: IpAddrInfo[];
}

export function parseIpJAddr(stdout: string): LocalAddress[] {
  const data = JSON.parse(stdout) as unknown;
  if (!Array.isArray(data)) throw new Error('ip -j addr: expected a JSON array');
  const out: LocalAddress[] = [];
  for (const link of data as IpLink[]) {
    if (!link || typeof link.ifname !== 'string') continue;
    const flags = Array.isArray(link.flags) ? link.flags : [];
    for (const a of link.addr_info ?? []) {
      if ((a.family !== 'inet' && a.family !== 'inet6') || typeof a.local !== 'string' || typeof a.prefixlen !== 'number') continue;
      const p = parsePrefix(`${a.local}/${a.prefixlen}`);
      if (!p.ok) continue;
      out.push({
        interface: link.ifname,
        prefix: networkText(p.prefix),
        address: a.local,
        up: flags.includes('UP'),
        tunnel: link.link_type === 'none',
        loopback: link.link_type === 'loopback' || flags.includes('LOOPBACK'),
        scope: a.scope ?? 'global',
      });
    }
  }
  return out;
}

/** The subnets a tunnel's routes may collide with: up, not a tunnel, not loopback, not link/host scope. */
export function lanNetworks(addrs: readonly LocalAddress[], excludeInterfaces: readonly string[] = []): LocalAddress[] {
  return addrs.filter((a) => a.up && !a.tunnel && !a.loopback && a.scope !== 'link' && a.scope !== 'host' && !excludeInterfaces.includes(a.interface));
}

export async function readLinuxLocalNetworks(
  runner: ProcessRunner,
  opts: { excludeInterfaces?: readonly string[]; netns?: string } = {},
): Promise<LocalAddress[]> {
  const args = opts.netns ? ['-n', opts.netns, '-j', 'addr'] : ['-j', 'addr'];
  const r = await runner.run('ip', args, { timeoutMs: 10_000 });
  return lanNetworks(parseIpJAddr(r.stdout), opts.excludeInterfaces ?? []);
}

/** Local networks from Node's `os.networkInterfaces()` (up interfaces only); macOS `utun*` links are tunnels. */
export function localNetworksFromOs(
  interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]> = os.networkInterfaces(),
  excludeInterfaces: readonly string[] = [],
): LocalAddress[] {
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
  return lanNetworks(out, excludeInterfaces);
}

/** The LAN subnets a tunnel's routes may collide with, on any OS. */
export async function readLocalNetworks(runner: ProcessRunner, opts: { excludeInterfaces?: readonly string[] } = {}): Promise<LocalAddress[]> {
  if (process.platform === 'linux') return readLinuxLocalNetworks(runner, opts);
  return localNetworksFromOs(os.networkInterfaces(), opts.excludeInterfaces ?? []);
}
