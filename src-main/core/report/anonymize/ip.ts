/**
 * IP address classification and consistent pseudonym pools for the report anonymiser. Environment: plain Node.
 *
 * Rules (after NetBird's anonymiser, ../shared/facts/diagnostics-and-deployment.md §3):
 *  - kept always: unspecified, loopback, link-local, multicast, reserved/broadcast (this also keeps netmasks such as
 *    255.255.255.0), the split-default halves 0.0.0.0/1 and 128.0.0.0/1 network addresses, and a few well-known
 *    public resolvers (they identify nobody and support needs them);
 *  - private ranges (RFC 1918, CGNAT 100.64/10, IPv6 ULA fc00::/7): kept in normal mode, mapped in strict mode;
 *  - everything else is "public" and mapped — INCLUDING addresses already inside the documentation ranges
 *    (192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32) and the benchmark range 198.18/15. That is how the
 *    collision is handled: every documentation-range address in a report is a pseudonym, so reading it back is never
 *    ambiguous, and because every input of those ranges goes through the same injective table no two inputs share one.
 */
import * as net from 'node:net';

export type IpClass = 'keep' | 'private' | 'public';

function v4ToInt(ip: string): number {
  const p = ip.split('.').map(Number);
  return ((p[0]! << 24) | (p[1]! << 16) | (p[2]! << 8) | p[3]!) >>> 0;
}
export function intToV4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}
function inV4(n: number, base: string, bits: number): boolean {
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  return (n & mask) >>> 0 === (v4ToInt(base) & mask) >>> 0;
}

const V4_KEEP_EXACT = new Set(['0.0.0.0', '128.0.0.0', '8.8.8.8', '8.8.4.4', '1.1.1.1', '1.0.0.1', '9.9.9.9', '149.112.112.112']);
const V4_KEEP_NETS: [string, number][] = [
  ['0.0.0.0', 8],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
];
const V4_PRIVATE_NETS: [string, number][] = [
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['100.64.0.0', 10],
];

export function classifyV4(ip: string): IpClass {
  if (V4_KEEP_EXACT.has(ip)) return 'keep';
  const n = v4ToInt(ip);
  if (V4_KEEP_NETS.some(([b, l]) => inV4(n, b, l))) return 'keep';
  if (V4_PRIVATE_NETS.some(([b, l]) => inV4(n, b, l))) return 'private';
  return 'public';
}

/** True for the three IPv4 documentation ranges (RFC 5737). */
export function isDocV4(ip: string): boolean {
  const n = v4ToInt(ip);
  return inV4(n, '192.0.2.0', 24) || inV4(n, '198.51.100.0', 24) || inV4(n, '203.0.113.0', 24);
}

/** Expand an IPv6 address to eight 16-bit groups (IPv4 tail folded in). Input must satisfy net.isIPv6. */
export function v6Groups(ip: string): number[] {
  let s = ip.split('%')[0]!;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    const n = v4ToInt(v4[1]!);
    s = s.slice(0, -v4[1]!.length) + `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = s.includes('::') ? s.split('::') : [s, undefined];
  const h = head ? head.split(':').filter((x) => x !== '') : [];
  const t = tail ? tail.split(':').filter((x) => x !== '') : [];
  const fill = tail === undefined ? [] : new Array<string>(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].map((g) => parseInt(g, 16));
}

/** RFC 5952 text for eight groups (longest zero run compressed, lowercase). */
export function groupsToV6(g: readonly number[]): string {
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

const V6_KEEP_EXACT = new Set(['2001:4860:4860::8888', '2001:4860:4860::8844', '2606:4700:4700::1111', '2606:4700:4700::1001', '2620:fe::fe', '2620:fe::9', '8000::']);

/** Returns the embedded IPv4 of an IPv4-mapped address (::ffff:a.b.c.d), else null. */
export function mappedV4(g: readonly number[]): string | null {
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return intToV4(((g[6]! << 16) | g[7]!) >>> 0);
  return null;
}

export function classifyV6(g: readonly number[]): IpClass {
  const text = groupsToV6(g);
  if (V6_KEEP_EXACT.has(text)) return 'keep';
  if (g.every((x) => x === 0)) return 'keep'; // ::
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return 'keep'; // ::1
  if ((g[0]! & 0xffc0) === 0xfe80) return 'keep'; // link-local
  if ((g[0]! & 0xff00) === 0xff00) return 'keep'; // multicast
  if ((g[0]! & 0xfe00) === 0xfc00) return 'private'; // ULA
  return 'public';
}

export function isDocV6(g: readonly number[]): boolean {
  return g[0] === 0x2001 && g[1] === 0x0db8;
}

export function isIPv4(s: string): boolean {
  return net.isIPv4(s);
}
export function isIPv6(s: string): boolean {
  return net.isIPv6(s);
}

/** Sequential allocator over the documentation ranges: 192.0.2.1–254, then 198.51.100.1–254, then 203.0.113.1–254. */
export function docV4(index: number): string | null {
  const bases = ['192.0.2.0', '198.51.100.0', '203.0.113.0'];
  const block = Math.floor(index / 254);
  if (block >= bases.length) return null;
  return intToV4(v4ToInt(bases[block]!) + (index % 254) + 1);
}
/** Strict-mode internal IPv4 pool: 198.18.0.1 … 198.19.255.254 (RFC 2544 benchmark range, never a real peer). */
export function internalV4(index: number): string | null {
  if (index >= 131_070) return null;
  return intToV4(v4ToInt('198.18.0.0') + index + 1);
}
/** Public IPv6 pool 2001:db8:ffff::/48 and strict internal pool 2001:db8:1::/48; index+1 fills the last 32 bits. */
export function docV6(index: number, internal: boolean): string {
  const n = index + 1;
  return groupsToV6([0x2001, 0x0db8, internal ? 0x0001 : 0xffff, 0, 0, 0, (n >>> 16) & 0xffff, n & 0xffff]);
}
