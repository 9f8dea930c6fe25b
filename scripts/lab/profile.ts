/** The artist's wg-quick profile the lab hands to Longhaul (or brings up itself with `artistUp`). */
import type { KeyPair } from './keys';
import type { LabNames } from './names';

export interface ArtistProfileOptions {
  /** Use the host name the artist namespace resolves (`/etc/netns/<artist>/hosts`) instead of the relay's address. */
  endpointByName?: boolean;
  /** Override the endpoint entirely (e.g. an unresolvable host name for a failure test). */
  endpoint?: string;
  /** Override the peer public key (e.g. a wrong key). */
  peerPublicKey?: string;
  persistentKeepalive?: number;
  mtu?: number;
  /** Omit `DNS =` (no resolvconf needed). */
  noDns?: boolean;
}

export function artistProfileText(n: LabNames, artist: KeyPair, gateway: KeyPair, o: ArtistProfileOptions = {}): string {
  const lines = ['[Interface]', `PrivateKey = ${artist.privateKey}`, `Address = ${n.addr.artistTunnel}/32`];
  if (!o.noDns) lines.push(`DNS = ${n.addr.gatewayTunnel}`);
  if (o.mtu !== undefined) lines.push(`MTU = ${o.mtu}`);
  lines.push('', '[Peer]', `PublicKey = ${o.peerPublicKey ?? gateway.publicKey}`);
  lines.push(`Endpoint = ${o.endpoint ?? (o.endpointByName ? `${n.endpointHost}:${n.endpoint.split(':')[1]}` : n.endpoint)}`);
  lines.push(`AllowedIPs = ${n.addr.tunnelNet}`);
  if (o.persistentKeepalive !== undefined) lines.push(`PersistentKeepalive = ${o.persistentKeepalive}`);
  return lines.join('\n') + '\n';
}
