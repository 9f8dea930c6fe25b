/**
 * Value checks for single profile keys. Each returns the parsed value or a problem text; the caller attaches the line
 * and the code. Rules: wireguard-tools v1.0.20210914 (`src/config.c`, `wg-quick/linux.bash`) narrowed by Longhaul's
 * verdict rules (docs/profiles.md). Environment: plain Node.
 */
import { echo, quote } from '../log/quote';
import { parseIp, parsePrefix, type Prefix } from './ip';

export type Check<T> = { ok: true; value: T; notes?: string[] } | { ok: false; code: string; message: string };

const ok = <T>(value: T, notes?: string[]): Check<T> => ({ ok: true, value, notes });
const bad = (code: string, message: string): Check<never> => ({ ok: false, code, message });

/** Characters a shell would expand or interpret (wg-quick splits `Address`/`DNS` unquoted: globbing happens). */
const SHELL_META = /[*?[\]{}$`'"\\;&|<>()~!^]/;

export function hasShellMeta(value: string): boolean {
  return SHELL_META.test(value);
}

export function checkPort(value: string, what: string): Check<number> {
  if (/^[0-9]+$/.test(value)) {
    const n = Number(value);
    if (n <= 65535) return ok(n);
    return bad('port.invalid', `${what} ${echo(value)} is out of range: use a port number from 0 to 65535 (wg would silently wrap it to ${n % 65536}).`);
  }
  return bad('port.invalid', `${what} ${quote(value)} is not a port number: write it as plain digits (0–65535); service names and signs are not accepted.`);
}

export function checkMtu(value: string): Check<number> {
  if (!/^[1-9][0-9]*$/.test(value)) {
    const hint = /^0[0-9]+$/.test(value) || /^0x/i.test(value) ? ' (iproute2 would read a leading 0 as octal or hex)' : '';
    return bad('mtu.invalid', `MTU ${quote(value)} is not a plain decimal number${hint}: write e.g. MTU = 1420.`);
  }
  const n = Number(value);
  if (n < 576 || n > 65535) return bad('mtu.invalid', `MTU ${echo(value)} is out of range: use a value from 576 to 65535 (1420 is the usual WireGuard MTU).`);
  return ok(n);
}

export function checkKeepalive(value: string): Check<number | null> {
  if (/^off$/i.test(value)) {
    return ok(null, ['PersistentKeepalive = off is accepted by wg-quick but rejected by WireGuard for Windows, the Apple app and NetworkManager; write 0 or remove the line.']);
  }
  if (!/^[0-9]+$/.test(value)) return bad('keepalive.invalid', `PersistentKeepalive ${quote(value)} is not a number: use 0 (off) to 65535 seconds, 25 is usual.`);
  const n = Number(value);
  if (n > 65535) return bad('keepalive.invalid', `PersistentKeepalive ${echo(value)} is out of range: use 0 (off) to 65535 seconds, 25 is usual.`);
  return ok(n === 0 ? null : n);
}

export function checkTable(value: string): Check<string> {
  if (value === 'off' || value === 'auto' || value === 'main') return ok(value);
  return bad(
    'table.invalid',
    `Table = ${echo(value)} is not supported: Longhaul accepts only "off", "auto" or "main" (lowercase). Other tables bypass wg-quick's policy routing; remove the line to use the default.`,
  );
}

const LABEL = /^[a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?$/;

export function isHostname(host: string): boolean {
  const h = host.endsWith('.') ? host.slice(0, -1) : host;
  if (h.length === 0 || h.length > 253) return false;
  if (/^[0-9.]+$/.test(h)) return false; // all-numeric: an (invalid) IPv4 address, not a name
  return h.split('.').every((l) => LABEL.test(l));
}

export function checkEndpoint(value: string): Check<{ host: string; port: number }> {
  let host: string;
  let portText: string;
  const notes: string[] = [];
  if (value.startsWith('[')) {
    const close = value.indexOf(']');
    if (close < 0) return bad('endpoint.invalid', `Endpoint ${quote(value)} has "[" without "]": write [IPv6-address]:port.`);
    host = value.slice(1, close);
    if (value[close + 1] !== ':') return bad('endpoint.invalid', `Endpoint ${quote(value)} has no port after "]": write [${echo(host)}]:51820.`);
    portText = value.slice(close + 2);
    const ip = parseIp(host);
    if (!ip) return bad('endpoint.invalid', `Endpoint ${quote(value)}: brackets must contain an IPv6 address; write a hostname or IPv4 address without brackets.`);
    if (ip.family === 4) notes.push(`Endpoint [${echo(host)}] puts an IPv4 address in brackets: WireGuard for Windows rejects this; write ${echo(host)}:${echo(portText)}.`);
    host = ip.text;
  } else {
    const colon = value.lastIndexOf(':');
    if (colon < 0) return bad('endpoint.invalid', `Endpoint ${quote(value)} has no port: write host:port, e.g. ${echo(value)}:51820.`);
    host = value.slice(0, colon);
    portText = value.slice(colon + 1);
    if (host.includes(':')) {
      if (parseIp(host)?.family === 6) {
        return bad('endpoint.ipv6-unbracketed', `Endpoint ${quote(value)} is an IPv6 address without brackets: write [${echo(host)}]:${echo(portText)}.`);
      }
      return bad('endpoint.invalid', `Endpoint ${quote(value)} is not host:port: write e.g. vpn.example.com:51820 or [2001:db8::1]:51820.`);
    }
    const ip = parseIp(host);
    if (ip) host = ip.text;
    else if (!isHostname(host)) {
      return bad('endpoint.invalid', `Endpoint host ${quote(host)} is not a valid hostname or IP address: write e.g. vpn.example.com:51820 (no scheme, no path).`);
    }
  }
  if (host === '') return bad('endpoint.invalid', `Endpoint ${quote(value)} has no host: write host:port.`);
  const port = checkPort(portText, 'Endpoint port');
  if (!port.ok) return port;
  if (port.value === 0) notes.push('Endpoint port 0 can never be reached; ask IT for the gateway\'s real port (usually 51820).');
  return ok({ host, port: port.value }, notes);
}

export interface ListSplit {
  items: string[];
  emptyItems: boolean;
  spaceSeparated: boolean;
}

/** Split the way wg-quick does (`${value//,/ }` unquoted: commas and whitespace), noting what others read differently. */
export function splitWgQuickList(value: string): ListSplit {
  const byComma = value.split(',').map((s) => s.trim());
  const emptyItems = value.trim() !== '' && byComma.some((s) => s === '');
  const spaceSeparated = byComma.some((s) => /\s/.test(s));
  return { items: value.split(/[,\s]+/).filter((s) => s !== ''), emptyItems, spaceSeparated };
}

export function checkAddress(item: string): Check<Prefix> {
  const r = parsePrefix(item);
  if (!r.ok) {
    return bad(
      'address.invalid',
      r.error === 'address'
        ? `Address ${quote(item)} is not an IP address: write e.g. 10.8.0.2/32 or fd00::2/128.`
        : `Address ${quote(item)} has an invalid prefix length: use /0–/32 for IPv4 and /0–/128 for IPv6.`,
    );
  }
  if (r.leadingZero) {
    return bad('address.invalid', `Address ${quote(item)} has a prefix length with a leading zero, which ip(8) reads as octal: write /${Number(item.split('/')[1])}.`);
  }
  return ok(r.prefix);
}

export function checkAllowedIp(item: string): Check<Prefix> {
  const r = parsePrefix(item);
  if (!r.ok) {
    return bad(
      'allowedips.invalid',
      r.error === 'address'
        ? `AllowedIPs entry ${quote(item)} is not an IP prefix: write e.g. 10.8.0.0/24.`
        : `AllowedIPs entry ${quote(item)} has an invalid prefix length: use /0–/32 for IPv4 and /0–/128 for IPv6.`,
    );
  }
  const notes = r.leadingZero ? [`AllowedIPs entry ${quote(item)}: WireGuard for Windows rejects a leading zero in the prefix length; write /${r.prefix.length}.`] : [];
  return ok(r.prefix, notes);
}
