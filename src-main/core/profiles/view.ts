/**
 * The public view of a stored profile (what the renderer, the CLI list and logs may see): no private or preshared
 * key, the public key derived. Environment: plain Node.
 */
import type { ProfileView } from '../../contract/profiles';
import type { StoredRecord } from './store-record';
import { formatEndpoint } from './serialize';

export function viewOf(rec: StoredRecord): ProfileView {
  const i = rec.profile.interface;
  const first = rec.profile.peers[0];
  return {
    name: rec.name,
    endpoint: first?.endpoint ? formatEndpoint(first.endpoint) : null,
    addresses: [...i.addresses],
    publicKey: rec.publicKey,
    dns: [...i.dns],
    dnsSearch: [...i.dnsSearch],
    mtu: i.mtu,
    mtuOverride: rec.mtuOverride,
    warnings: rec.warnings,
    site: rec.site,
    origin: rec.origin,
    importedAt: rec.importedAt,
    sourceFileName: rec.sourceFileName,
    peers: rec.profile.peers.map((p) => ({
      publicKey: p.publicKey,
      endpoint: p.endpoint ? formatEndpoint(p.endpoint) : null,
      allowedIps: [...p.allowedIps],
      persistentKeepalive: p.persistentKeepalive,
      hasPresharedKey: p.hasPresharedKey,
    })),
  };
}
