/**
 * IP addresses and prefixes as the WireGuard tools accept them (`inet_pton`: no leading zeros in IPv4 octets, no
 * zone ids kept), with bigint arithmetic for overlap checks. Environment: plain Node (`node:net` validators).
 */
import * as net from 'node:net';

export type Family = 4 | 6;

export interface IpValue {
  family: Family;
  value: bigint;
  /** Canonical text (IPv4 dotted decimal, IPv6 lowercase). */
  text: string;
}

export interface Prefix {
  family: Family;
  /** The address as written (may have host bits set). */
  addr: bigint;
  length: number;
  /** `<addr>/<length>` with the address as written, canonical spelling. */
  text: string;
}

export function bitsOf(family: Family): number {
  return family === 4 ? 32 : 128;
}

export function parseIp(s: string): IpValue | null {
  if (s.includes('%')) return null;
  if (net.isIPv4(s)) {
    const parts = s.split('.').map(Number);
    let v = 0n;
    for (const p of parts) v = (v << 8n) | BigInt(p);
    return { family: 4, value: v, text: s };
  }
  if (net.isIPv6(s)) {
    const v = ipv6ToBigint(s.toLowerCase());
    return v === null ? null : { family: 6, value: v, text: s.toLowerCase() };
  }
  return null;
}

function ipv6ToBigint(s: string): bigint | null {
  let head = s;
  let tailV4: number[] | null = null;
  const lastColon = s.lastIndexOf(':');
  const last = s.slice(lastColon + 1);
  if (last.includes('.')) {
    if (!net.isIPv4(last)) return null;
    tailV4 = last.split('.').map(Number);
    head = s.slice(0, lastColon + 1) + '0:0';
  }
  const halves = head.split('::');
  if (halves.length > 2) return null;
  const left = halves[0] ? halves[0].split(':') : [];
  const right = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const fill = halves.length === 2 ? 8 - left.length - right.length : 0;
  const groups = [...left, ...Array<string>(Math.max(fill, 0)).fill('0'), ...right];
  if (groups.length !== 8) return null;
  let v = 0n;
  for (const g of groups) {
    if (!/^[0-9a-f]{1,4}$/.test(g)) return null;
    v = (v << 16n) | BigInt(parseInt(g, 16));
  }
  if (tailV4) v = (v & ~0xffffffffn) | BigInt(((tailV4[0] << 24) >>> 0) + (tailV4[1] << 16) + (tailV4[2] << 8) + tailV4[3]);
  return v;
}

export function formatIp(family: Family, value: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((sh) => String((value >> sh) & 0xffn)).join('.');
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  // RFC 5952: compress the longest run (≥ 2) of zero groups.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

export type PrefixError = 'address' | 'length' | 'length-leading-zero';

/**
 * Parse `addr[/len]`. A missing length means a host prefix (/32, /128), as `wg` and `ip` do. `len` must be decimal
 * ≤ 32/128; a leading zero (`/024`) is reported separately because `wg` accepts it and WireGuard for Windows does not.
 */
export function parsePrefix(s: string): { ok: true; prefix: Prefix; leadingZero: boolean } | { ok: false; error: PrefixError } {
  const slash = s.indexOf('/');
  const addrText = slash >= 0 ? s.slice(0, slash) : s;
  const lenText = slash >= 0 ? s.slice(slash + 1) : null;
  const ip = parseIp(addrText);
  if (!ip) return { ok: false, error: 'address' };
  const max = bitsOf(ip.family);
  let length = max;
  let leadingZero = false;
  if (lenText !== null) {
    if (!/^[0-9]{1,3}$/.test(lenText)) return { ok: false, error: 'length' };
    length = Number(lenText);
    if (length > max) return { ok: false, error: 'length' };
    leadingZero = lenText.length > 1 && lenText.startsWith('0');
  }
  const text = `${formatIp(ip.family, ip.value)}/${length}`;
  return { ok: true, prefix: { family: ip.family, addr: ip.value, length, text }, leadingZero };
}

export function maskOf(family: Family, length: number): bigint {
  const bits = BigInt(bitsOf(family));
  const all = (1n << bits) - 1n;
  return length === 0 ? 0n : (all >> (bits - BigInt(length))) << (bits - BigInt(length));
}

export function networkOf(p: Pick<Prefix, 'family' | 'addr' | 'length'>): bigint {
  return p.addr & maskOf(p.family, p.length);
}

export function hasHostBits(p: Prefix): boolean {
  return networkOf(p) !== p.addr;
}

export function prefixesOverlap(a: Pick<Prefix, 'family' | 'addr' | 'length'>, b: Pick<Prefix, 'family' | 'addr' | 'length'>): boolean {
  if (a.family !== b.family) return false;
  const len = Math.min(a.length, b.length);
  const m = maskOf(a.family, len);
  return (a.addr & m) === (b.addr & m);
}

/** `network/len` text of a prefix (host bits cleared). */
export function networkText(p: Pick<Prefix, 'family' | 'addr' | 'length'>): string {
  return `${formatIp(p.family, networkOf(p))}/${p.length}`;
}
