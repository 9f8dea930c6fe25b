/**
 * WireGuard handshake freshness and the kick, for the tunnel state machine (`core/tunnel/status.ts`: stale), `up`
 * (kick, then wait for the first handshake) and the `tunnel` check (kick, then wait for a fresh one). Environment:
 * plain Node.
 *
 * Fresh: a handshake at most REJECT_AFTER_TIME (180 s, WireGuard's `messages.h`/whitepaper §6.1) ago; older sessions
 * are dead and the next packet starts a new handshake. With PersistentKeepalive the peer re-handshakes by itself, so
 * staleness allows that interval on top. The kick: one UDP datagram to port 9 (discard) of a routed address — nothing
 * listens, the packet only has to enter the tunnel so WireGuard handshakes at once instead of on the first real one.
 */
import * as dgram from 'node:dgram';
import { formatIp, networkOf, parseIp, parsePrefix, prefixesOverlap, type Prefix } from '../profiles/ip';

export { HANDSHAKE_FRESH_SEC, handshakeAgeSec, freshnessLimitSec, isHandshakeFresh } from './handshake-age';

export interface KickInputs {
  /** The peers' AllowedIPs. */
  allowedIps: readonly string[];
  /** Preferred targets, in order (the tunnel's DNS servers, then stream hosts): used when they are routed IPs. */
  candidates?: readonly string[];
}

/**
 * Where to send the kick: the first candidate that is an IP address inside a routed prefix (the DNS server routed
 * through the tunnel, a stream host), else the first host of the first routed IPv4 prefix narrower than /0; null when
 * nothing routed can be named (full tunnel without a routed DNS server).
 */
export function kickTarget(k: KickInputs): string | null {
  const prefixes: Prefix[] = k.allowedIps.map((s) => parsePrefix(s)).flatMap((r) => (r.ok ? [r.prefix] : []));
  for (const c of k.candidates ?? []) {
    const ip = parseIp(c);
    if (ip && prefixes.some((q) => prefixesOverlap(q, { family: ip.family, addr: ip.value, length: ip.family === 4 ? 32 : 128 }))) return c;
  }
  const narrow = prefixes.find((q) => q.family === 4 && q.length > 0 && q.length <= 32);
  if (!narrow) return null;
  const net = networkOf(narrow);
  return formatIp(4, narrow.length >= 31 ? net : net + 1n);
}

/** Send the kick; resolves once sent (or failed: a kick is best effort). */
export function kick(target: string): Promise<void> {
  return new Promise((resolve) => {
    const sock = dgram.createSocket(target.includes(':') ? 'udp6' : 'udp4');
    sock.on('error', () => {
      sock.close();
      resolve();
    });
    sock.send(Buffer.from('longhaul'), 9, target, () => {
      sock.close();
      resolve();
    });
  });
}
