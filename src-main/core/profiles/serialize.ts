/**
 * `serializeProfile`: a fresh canonical wg-quick file from a `WgProfile` — never the user's bytes. Only keys every
 * client understands are written, one per line, in a fixed order, so parse → serialise → parse is stable and the
 * tunnel backend gets exactly what was validated. Environment: any.
 */
import type { WgEndpoint, WgProfile } from './types';

export function formatEndpoint(e: WgEndpoint): string {
  return e.host.includes(':') ? `[${e.host}]:${e.port}` : `${e.host}:${e.port}`;
}

export function serializeProfile(p: WgProfile, opts: { mtuOverride?: number | null } = {}): string {
  const i = p.interface;
  const out: string[] = ['[Interface]', `PrivateKey = ${i.privateKey}`];
  if (i.listenPort !== null) out.push(`ListenPort = ${i.listenPort}`);
  if (i.addresses.length > 0) out.push(`Address = ${i.addresses.join(', ')}`);
  const dns = [...i.dns, ...i.dnsSearch];
  if (dns.length > 0) out.push(`DNS = ${dns.join(', ')}`);
  const mtu = opts.mtuOverride ?? i.mtu;
  if (mtu !== null) out.push(`MTU = ${mtu}`);
  if (i.table !== null) out.push(`Table = ${i.table}`);
  for (const [key, list] of [
    ['PreUp', i.hooks.preUp],
    ['PostUp', i.hooks.postUp],
    ['PreDown', i.hooks.preDown],
    ['PostDown', i.hooks.postDown],
  ] as const) {
    for (const cmd of list) out.push(`${key} = ${cmd}`);
  }
  for (const peer of p.peers) {
    out.push('', '[Peer]', `PublicKey = ${peer.publicKey}`);
    if (peer.presharedKey !== null) out.push(`PresharedKey = ${peer.presharedKey}`);
    if (peer.allowedIps.length > 0) out.push(`AllowedIPs = ${peer.allowedIps.join(', ')}`);
    if (peer.endpoint !== null) out.push(`Endpoint = ${formatEndpoint(peer.endpoint)}`);
    if (peer.persistentKeepalive !== null) out.push(`PersistentKeepalive = ${peer.persistentKeepalive}`);
  }
  return out.join('\n') + '\n';
}
