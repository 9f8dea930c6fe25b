/**
 * Which network the machine is on, as a stable, opaque id (per-network capacity memory, docs/capacity.md): the
 * MAC of the next hop towards the tunnel's endpoint (the home router, or the endpoint itself when it is on the LAN)
 * and whether the way out is Wi-Fi or wired. Environment: plain Node.
 *
 * Linux only: `ip -j route get <endpoint>` → next hop (`gateway`, else the endpoint: on-link) and `dev` — when that
 * answer comes from a policy table (a full tunnel: `"table":"51820"`), again with the fwmark of the `not fwmark`
 * rule that names the table (`ip -j rule show`, bypassMark), as the endpoint's own packets are routed;
 * `ip -j neigh show dev <dev>` → the next hop's `lladdr`; `/sys/class/net/<dev>/wireless` (or `phy80211`) → wifi,
 * else wired; on Wi-Fi, `iw dev <dev> link` → the SSID where readable (iw-link.ts; unverified: no Wi-Fi here), so two
 * networks behind one router (a guest SSID, a 2.4/5 GHz split) are told apart. Both `ip` outputs go through the one
 * iproute2 parser (ip-json.ts; recordings test/fixtures/net/).
 * id = sha256('longhaul-network-v1\0' + mac + '\0' + kind [+ '\0' + ssid]), first 16 hex characters: the raw MAC
 * and SSID are never stored, logged or returned. No SSID (iw missing or failing, not associated, another namespace):
 * the id is the MAC and kind alone. Returns null — "network unknown", nothing remembered per network — on
 * macOS/Windows, when the endpoint is not an IP literal (networkIdForEndpoint then uses the running tunnel's resolved
 * endpoint), when `ip` fails (no route: exit 2), when the next hop has no MAC (a tunnel or point-to-point interface,
 * or no neighbour entry yet), or on output that does not parse.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import type { ProcessRunner } from '../platform/runner';
import { checkEndpoint } from '../profiles/values';
import { parseIpNeigh, parseIpRoute, parseIpRule } from './ip-json';
import { parseIwLinkSsid } from './iw-link';

export type NetworkKind = 'wifi' | 'wired';

export interface NetworkIdentity {
  /** 16 hex characters. */
  id: string;
  kind: NetworkKind;
  /** The interface towards the endpoint (for messages; not part of the id). */
  dev: string;
}

export interface NetworkIdentityOptions {
  platform?: NodeJS.Platform;
  /** Linux: read another network namespace (`ip -n NS`; lab tests). */
  netns?: string;
  signal?: AbortSignal;
  /** Whether `/sys/class/net/<dev>/<entry>` exists (tests); default fs.existsSync. */
  sysExists?: (p: string) => boolean;
}

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

export function networkIdOf(mac: string, kind: NetworkKind, ssid: string | null = null): string {
  const tail = kind === 'wifi' && ssid ? `\0${ssid}` : '';
  return createHash('sha256').update(`longhaul-network-v1\0${mac.toLowerCase()}\0${kind}${tail}`).digest('hex').slice(0, 16);
}

/** The interface kind from sysfs: cfg80211 devices have `wireless` (wireless extensions) or `phy80211`. */
export function interfaceKind(dev: string, exists: (p: string) => boolean = fs.existsSync): NetworkKind {
  if (!/^[^/\0]{1,15}$/.test(dev) || dev === '.' || dev === '..') return 'wired';
  return exists(`/sys/class/net/${dev}/wireless`) || exists(`/sys/class/net/${dev}/phy80211`) ? 'wifi' : 'wired';
}

/** The decision on recorded outputs (pure): the `ip -j route get` and `ip -j neigh show dev` texts, and the SSID. */
export function identityFrom(endpointIp: string, routeGet: string, neighOf: (dev: string) => string | null, kindOf: (dev: string) => NetworkKind, ssid: string | null = null): NetworkIdentity | null {
  const route = parseIpRoute(routeGet)[0];
  if (!route?.dev) return null;
  const hop = route.gateway ?? endpointIp;
  const neigh = neighOf(route.dev);
  if (neigh === null) return null;
  const mac = parseIpNeigh(neigh, route.dev).find((n) => n.dst === hop && n.lladdr !== null)?.lladdr?.toLowerCase();
  if (!mac || !MAC.test(mac) || mac === '00:00:00:00:00:00') return null;
  const kind = kindOf(route.dev);
  return { id: networkIdOf(mac, kind, ssid), kind, dev: route.dev };
}

const MAIN_TABLES = new Set(['main', 'local', 'default']);

/**
 * The fwmark that steers packets out of policy-routing table `table`: wg-quick's full-tunnel rule
 * `not fwmark 0xca6c lookup 51820` (`ip -j rule show`: `{"not":null,"fwmark":"0xca6c","table":"51820"}`, recording
 * test/fixtures/samples/linux-ip-j-rule-wg-quick.txt), as a number; null when no such rule names that table.
 */
export function bypassMark(ruleShow: string, table: string): number | null {
  for (const r of parseIpRule(ruleShow)) {
    if (!('not' in r) || String(r.table) !== table || typeof r.fwmark !== 'string') continue;
    const mark = Number(r.fwmark.split('/')[0]);
    if (Number.isInteger(mark) && mark > 0 && mark <= 0xffffffff) return mark;
  }
  return null;
}

/** The IP of a WireGuard `Endpoint` (`1.2.3.4:51820`, `[2001:db8::1]:51820`; the profile parser's own rules), or null
 * for a name (not resolved here) or an endpoint that does not parse. */
export function endpointIpOf(endpoint: string | null | undefined): string | null {
  if (!endpoint) return null;
  const e = checkEndpoint(endpoint);
  return e.ok && net.isIP(e.value.host) !== 0 ? e.value.host : null;
}

/**
 * The network of a tunnel's first peer (see endpointIpOf, readNetworkIdentity): its id, or null. The configured
 * endpoint when it is an IP; when it is a name (`gateway.farm.example:51820`, the usual case), the address the running
 * tunnel resolved it to, from `live` (the tunnel status's endpoint, as `wg show` reports it) — asked only then, and
 * never resolved here (a lookup through the tunnel's own DNS could answer differently from what wg used).
 */
export async function networkIdForEndpoint(
  runner: ProcessRunner,
  endpoint: string | null | undefined,
  o: NetworkIdentityOptions = {},
  live?: () => Promise<string | null>,
): Promise<string | null> {
  let ip = endpointIpOf(endpoint);
  if (!ip && live) ip = endpointIpOf(await live().catch(() => null));
  return ip ? ((await readNetworkIdentity(runner, ip, o))?.id ?? null) : null;
}

/** `live` for networkIdForEndpoint from the tunnel service: the named tunnel's current endpoint, or null. */
export function liveEndpointOf(tunnels: { statuses(name: string | null): Promise<readonly { name: string; endpoint: string | null }[]> }, name: string): () => Promise<string | null> {
  return async () => (await tunnels.statuses(name)).find((t) => t.name === name)?.endpoint ?? null;
}

/** The network towards `endpointIp` (an IP literal), or null (see the header: never throws). */
export async function readNetworkIdentity(runner: ProcessRunner, endpointIp: string, o: NetworkIdentityOptions = {}): Promise<NetworkIdentity | null> {
  if ((o.platform ?? process.platform) !== 'linux' || net.isIP(endpointIp) === 0) return null;
  const ip = async (args: string[]) => (await runner.run('ip', [...(o.netns ? ['-n', o.netns] : []), '-j', ...args], { timeoutMs: 5_000, signal: o.signal, env: { LC_ALL: 'C' } })).stdout;
  try {
    let routeGet = await ip(['route', 'get', endpointIp]);
    const table = parseIpRoute(routeGet)[0]?.table ?? 'main';
    if (!MAIN_TABLES.has(table)) {
      // A full tunnel (wg-quick, AllowedIPs 0.0.0.0/0): the unmarked answer is the tunnel's own table; the endpoint's
      // packets carry the interface's fwmark and leave through the underlay. Ask with that mark.
      const mark = bypassMark(await ip([net.isIPv6(endpointIp) ? '-6' : '-4', 'rule', 'show']), table);
      if (mark !== null) routeGet = await ip(['route', 'get', endpointIp, 'mark', String(mark)]);
    }
    const dev = parseIpRoute(routeGet)[0]?.dev;
    if (!dev) return null;
    const neigh = await ip(['neigh', 'show', 'dev', dev]);
    const kind = interfaceKind(dev, o.sysExists);
    const ssid = kind === 'wifi' && !o.netns ? await readSsid(runner, dev, o.signal) : null;
    return identityFrom(endpointIp, routeGet, () => neigh, () => kind, ssid);
  } catch {
    return null;
  }
}

/** `iw dev <dev> link` → the SSID, or null (iw not installed, failing, or not associated). Never throws. */
async function readSsid(runner: ProcessRunner, dev: string, signal: AbortSignal | undefined): Promise<string | null> {
  try {
    // Exit status ignored: iw prints the association block before a station query that may fail (iw-link.ts).
    const r = await runner.run('iw', ['dev', dev, 'link'], { timeoutMs: 3_000, signal, env: { LC_ALL: 'C' }, okCodes: 'any', maxOutputBytes: 64 * 1024 });
    return parseIwLinkSsid(r.stdout);
  } catch {
    return null;
  }
}
