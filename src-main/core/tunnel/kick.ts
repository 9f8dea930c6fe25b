/**
 * After `up`, send one datagram into the tunnel so WireGuard handshakes at once instead of on the first real packet.
 * Target: the profile's DNS server when it is routed through the tunnel, else the first host of the first routed
 * prefix narrower than /0. UDP port 9 (discard): nothing listens, the packet only has to enter the tunnel.
 * Environment: plain Node.
 */
import * as dgram from 'node:dgram';
import { formatIp, networkOf, parseIp, parsePrefix, prefixesOverlap } from '../profiles/ip';
import type { WgProfile } from '../profiles';

export function kickTarget(p: WgProfile): string | null {
  const prefixes = p.peers.flatMap((x) => x.allowedIps).map((s) => parsePrefix(s)).flatMap((r) => (r.ok ? [r.prefix] : []));
  for (const d of p.interface.dns) {
    const ip = parseIp(d);
    if (ip && ip.family === 4 && prefixes.some((q) => prefixesOverlap(q, { family: 4, addr: ip.value, length: 32 }))) return d;
  }
  const narrow = prefixes.find((q) => q.family === 4 && q.length > 0 && q.length <= 32);
  if (!narrow) return null;
  const net = networkOf(narrow);
  return formatIp(4, narrow.length >= 31 ? net : net + 1n);
}

export function kick(target: string): Promise<void> {
  return new Promise((resolve) => {
    const sock = dgram.createSocket('udp4');
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
