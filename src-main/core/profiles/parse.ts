/**
 * `parseProfile`: one WireGuard profile (bytes or text) → a validated `WgProfile` or line-numbered errors, plus
 * warnings. Verdict rules: docs/profiles.md. Never resolves hostnames, never runs anything, never keeps the user's
 * bytes. Environment: plain Node.
 */
import { globalRedactor } from '../log/redact';
import { decodeProfileBytes, splitLines } from './decode';
import { hasHostBits, networkText } from './ip';
import { publicKeyOf } from './keys';
import { suggestName } from './names';
import { scanLine } from './parse-lines';
import { err, newScanState, portability, warn, type ScanState } from './scan';
import type { ParseOptions, ParseResult, WgPeer, WgProfile } from './types';

/** Upper bound on lines and peers: far above any real profile, keeps hostile input cheap. */
const MAX_LINES = 5000;
const MAX_PEERS = 1000;

export function parseProfile(input: string | Uint8Array, opts: ParseOptions): ParseResult {
  const { name: suggestedName, suggested: nameSuggested } = suggestName(opts.fileName);
  const decoded = decodeProfileBytes(input);
  const st = newScanState();
  st.errors.push(...decoded.errors);
  st.warnings.push(...decoded.warnings);
  if (decoded.errors.length === 0) {
    const lines = splitLines(decoded.text);
    if (lines.length > MAX_LINES) err(st, null, 'file.too-large', `The file has ${lines.length} lines; a WireGuard profile has a few dozen (limit ${MAX_LINES}).`);
    else lines.forEach((raw, i) => scanLine(st, i + 1, raw, opts));
    if (st.peers.length > MAX_PEERS) err(st, null, 'file.too-large', `The file has ${st.peers.length} peers (limit ${MAX_PEERS}).`);
  }
  registerSecrets(st);
  if (decoded.errors.length === 0) finish(st);
  const profile = st.errors.length === 0 ? build(st) : null;
  return { profile, errors: sortIssues(st.errors), warnings: sortIssues(dedupe(st.warnings)), suggestedName, nameSuggested };
}

function registerSecrets(st: ScanState): void {
  if (st.privateKey) globalRedactor.addSecret(st.privateKey.value);
  for (const p of st.peers) if (p.presharedKey) globalRedactor.addSecret(p.presharedKey);
}

/** Whole-file rules, applied once every line is known to be well-formed. */
function finish(st: ScanState): void {
  if (st.interfaceCount === 0) {
    err(st, null, 'interface.missing', 'The file has no [Interface] section: this is not a WireGuard client profile. Ask IT for the complete .conf file.');
    return;
  }
  if (!st.privateKey && !st.ifaceSeen.has('privatekey')) {
    err(st, st.interfaceLine, 'key.missing-private', 'The [Interface] section has no PrivateKey: Longhaul needs the complete profile including this computer\'s private key. Ask IT for the full file.');
  }
  const ownPublic = st.privateKey ? publicKeyOf(st.privateKey.value) : null;
  if (ownPublic) globalRedactor.addPublicKey(ownPublic); // shown as "this computer's public key"; logs and reports keep it
  const seen = new Map<string, number>();
  for (const peer of st.peers) {
    if (!peer.publicKey) {
      if (peer.seen.has('publickey')) continue; // its line already has an error
      err(st, peer.line, 'peer.missing-public-key', 'This [Peer] has no PublicKey: add the gateway\'s public key (PublicKey = …) or remove the empty section.');
      continue;
    }
    const first = seen.get(peer.publicKey.value);
    if (first !== undefined) {
      err(st, peer.publicKey.line, 'peer.duplicate', `This peer has the same PublicKey as the peer at line ${first}: merge the two [Peer] sections into one.`);
    } else seen.set(peer.publicKey.value, peer.line);
    if (peer.publicKey.value === ownPublic) {
      err(st, peer.publicKey.line, 'peer.self', 'This peer\'s PublicKey is this computer\'s own public key (derived from PrivateKey): put the gateway\'s public key here.');
    }
  }
  if (st.errors.length > 0) return;
  warnings(st);
}

function warnings(st: ScanState): void {
  if (st.peers.length === 0) warn(st, null, 'peer.none', 'The profile has no [Peer]: the tunnel would have nowhere to send traffic. Ask IT for the gateway\'s [Peer] section.');
  for (const peer of st.peers) {
    if (peer.allowedIps.length === 0) warn(st, peer.line, 'allowedips.none', 'This [Peer] has no AllowedIPs: no traffic will go through it. Add e.g. AllowedIPs = 10.8.0.0/24.');
    if (!peer.endpoint) warn(st, peer.line, 'endpoint.none', 'This [Peer] has no Endpoint: this computer cannot start the connection. Add Endpoint = host:port.');
    for (const p of peer.allowedIps) {
      if (hasHostBits(p)) warn(st, peer.line, 'allowedips.host-bits', `AllowedIPs ${p.text} has host bits set; it means ${networkText(p)}. Write ${networkText(p)}.`);
      if (p.length === 0) {
        warn(st, peer.line, 'route.full-tunnel', `AllowedIPs ${p.text} sends all ${p.family === 4 ? 'IPv4' : 'IPv6'} traffic through the tunnel (full tunnel). On Windows this also blocks the local network; IT can use ${p.family === 4 ? '0.0.0.0/1, 128.0.0.0/1' : '::/1, 8000::/1'} instead.`);
      }
    }
  }
  const hasV6 = st.addresses.some((a) => a.family === 6);
  if (st.mtu && st.mtu.value < 1280 && hasV6) {
    warn(st, st.mtu.line, 'mtu.low-ipv6', `MTU ${st.mtu.value} is below 1280, the minimum IPv6 needs, and the profile has an IPv6 address: IPv6 will not work. Use MTU ≥ 1280.`);
  }
  if (st.dnsSearch.length > 0 && st.dns.length === 0) {
    warn(st, st.dnsLine, 'dns.search-only', 'DNS lists only search domains and no server: wg-quick ignores them. Add the farm\'s DNS server address (e.g. DNS = 10.8.0.1, farm.example).');
  }
  for (const family of [4, 6] as const) {
    const server = st.dns.find((d) => (family === 6) === d.includes(':'));
    if (server && !st.addresses.some((a) => a.family === family)) {
      portability(st, st.dnsLine, `DNS server ${server} is IPv${family} but the profile has no IPv${family} Address: NetworkManager drops it. Ask IT for an IPv${family} address or an IPv${family === 4 ? 6 : 4} DNS server.`);
    }
  }
  if (st.addresses.length === 0) warn(st, st.interfaceLine, 'address.none', 'The [Interface] has no Address: the tunnel would have no IP address. Ask IT for the Address line.');
}

function build(st: ScanState): WgProfile | null {
  if (!st.privateKey) return null;
  const peers: WgPeer[] = st.peers.map((p) => ({
    publicKey: p.publicKey?.value ?? '',
    presharedKey: p.presharedKey,
    allowedIps: p.allowedIps.map((a) => a.text),
    endpoint: p.endpoint,
    persistentKeepalive: p.keepalive,
  }));
  return {
    interface: {
      privateKey: st.privateKey.value,
      addresses: st.addresses.map((a) => a.text),
      dns: [...st.dns],
      dnsSearch: [...st.dnsSearch],
      mtu: st.mtu?.value ?? null,
      listenPort: st.listenPort,
      table: st.table,
      hooks: { preUp: [...st.hooks.preUp], postUp: [...st.hooks.postUp], preDown: [...st.hooks.preDown], postDown: [...st.hooks.postDown] },
    },
    peers,
  };
}

function dedupe<T extends { line: number | null; code: string; message: string }>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((i) => {
    const k = `${i.line}|${i.code}|${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function sortIssues<T extends { line: number | null }>(items: T[]): T[] {
  return [...items].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}
