/**
 * Parser for `wg show <iface> dump` and `wg show all dump`. Environment: any.
 *
 * Format (wg(8), WireGuard/wireguard-tools src/man/wg.8, COMMANDS/show; recordings in
 * test/fixtures/samples/linux-wg-show-*-dump-*.txt): tab-separated. Interface line: private-key, public-key,
 * listen-port, fwmark (`off` or a number). Peer lines: public-key, preshared-key (`(none)`), endpoint (`(none)`),
 * allowed-ips (comma-separated, `(none)`), latest-handshake (unix seconds, 0 = never), rx bytes, tx bytes,
 * persistent-keepalive (`off` or seconds). `all dump` prepends the interface name to every line.
 *
 * The private and preshared keys in the output are registered with the redactor and dropped: nothing parsed here
 * carries a secret.
 */
import { globalRedactor } from '../log/redact';

export interface WgDumpPeer {
  publicKey: string;
  hasPresharedKey: boolean;
  /** `host:port` as wg prints it, or null. */
  endpoint: string | null;
  allowedIps: string[];
  /** Unix seconds of the latest handshake, or null when there never was one. */
  latestHandshake: number | null;
  rxBytes: number;
  txBytes: number;
  persistentKeepalive: number | null;
}

export interface WgDumpInterface {
  name: string;
  publicKey: string | null;
  listenPort: number | null;
  fwmark: number | null;
  peers: WgDumpPeer[];
}

export class WgDumpError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WgDumpError';
  }
}

const none = (v: string): string | null => (v === '(none)' || v === '' ? null : v);

function int(v: string, what: string, line: number): number {
  if (!/^\d+$/.test(v)) throw new WgDumpError(`wg dump line ${line}: ${what} "${v}" is not a number`);
  return Number(v);
}

function parseInterfaceFields(name: string, f: string[], line: number): WgDumpInterface {
  if (f.length !== 4) throw new WgDumpError(`wg dump line ${line}: interface line has ${f.length} fields, expected 4`);
  const [priv, pub, port, fwmark] = f as [string, string, string, string];
  if (none(priv)) globalRedactor.addSecret(priv);
  return {
    name,
    publicKey: none(pub),
    listenPort: port === '0' ? null : int(port, 'listen port', line),
    fwmark: fwmark === 'off' ? null : fwmark.startsWith('0x') ? parseInt(fwmark, 16) : int(fwmark, 'fwmark', line),
    peers: [],
  };
}

function parsePeerFields(f: string[], line: number): WgDumpPeer {
  if (f.length !== 8) throw new WgDumpError(`wg dump line ${line}: peer line has ${f.length} fields, expected 8`);
  const [pub, psk, endpoint, allowed, hs, rx, tx, ka] = f as [string, string, string, string, string, string, string, string];
  if (none(psk)) globalRedactor.addSecret(psk);
  const handshake = int(hs, 'latest handshake', line);
  return {
    publicKey: pub,
    hasPresharedKey: none(psk) !== null,
    endpoint: none(endpoint),
    allowedIps: none(allowed) === null ? [] : allowed.split(','),
    latestHandshake: handshake === 0 ? null : handshake,
    rxBytes: int(rx, 'rx bytes', line),
    txBytes: int(tx, 'tx bytes', line),
    persistentKeepalive: ka === 'off' ? null : int(ka, 'persistent keepalive', line),
  };
}

function lines(text: string): string[] {
  return text.replace(/\r\n/g, '\n').split('\n').filter((l) => l.trim() !== '');
}

/** `wg show <iface> dump`: the first line describes the interface, the rest its peers. */
export function parseWgDump(text: string, iface: string): WgDumpInterface {
  const ls = lines(text);
  if (ls.length === 0) throw new WgDumpError('wg dump: empty output');
  const out = parseInterfaceFields(iface, ls[0]!.split('\t'), 1);
  ls.slice(1).forEach((l, i) => out.peers.push(parsePeerFields(l.split('\t'), i + 2)));
  return out;
}

/** `wg show all dump`: every line starts with the interface name; an interface line (5 fields) opens each block. */
export function parseWgDumpAll(text: string): WgDumpInterface[] {
  const out: WgDumpInterface[] = [];
  lines(text).forEach((l, i) => {
    const [name, ...rest] = l.split('\t');
    if (!name) return;
    if (rest.length === 4) out.push(parseInterfaceFields(name, rest, i + 1));
    else {
      const cur = out.find((x) => x.name === name);
      if (!cur) throw new WgDumpError(`wg dump line ${i + 1}: peer of "${name}" before its interface line`);
      cur.peers.push(parsePeerFields(rest, i + 1));
    }
  });
  return out;
}

/** Totals over peers (what the status shows for a one-peer client). */
export function totals(d: WgDumpInterface): { rxBytes: number; txBytes: number; latestHandshake: number | null } {
  let rx = 0;
  let tx = 0;
  let hs: number | null = null;
  for (const p of d.peers) {
    rx += p.rxBytes;
    tx += p.txBytes;
    if (p.latestHandshake !== null && (hs === null || p.latestHandshake > hs)) hs = p.latestHandshake;
  }
  return { rxBytes: rx, txBytes: tx, latestHandshake: hs };
}
