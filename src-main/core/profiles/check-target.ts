/**
 * Build what the checks test (`CheckTarget`) from a parsed profile file or a stored profile's view, plus a site.
 * The private key never enters the target: only its derived public key. Environment: plain Node.
 */
import type { ProfileView, Site } from '../../contract/profiles';
import { publicKeyOf } from './keys';
import { formatEndpoint } from './serialize';
import type { WgProfile } from './types';
import type { CheckSite, CheckTarget } from '../checks/types';
import { capacityProbeOf } from './capacity-probe';

export function checkSite(site: Site | null | undefined): CheckSite | null {
  if (!site) return null;
  return {
    name: site.name,
    dnsNames: [...(site.dnsNames ?? [])],
    streamHosts: (site.streamHosts ?? []).map((h) => ({ name: h.name, host: h.host })),
    probe: site.probe ? { host: site.probe.host, port: site.probe.port } : null,
    capacityProbe: capacityProbeOf(site),
  };
}

export function targetFromProfile(profile: WgProfile, name: string, interfaceName: string | null, site: Site | null): CheckTarget {
  let publicKey: string | null = null;
  try {
    publicKey = publicKeyOf(profile.interface.privateKey);
  } catch {}
  return {
    profileName: name,
    interfaceName: interfaceName ?? name,
    addresses: [...profile.interface.addresses],
    dns: [...profile.interface.dns],
    mtu: profile.interface.mtu,
    peers: profile.peers.map((p) => ({ publicKey: p.publicKey, endpoint: p.endpoint ? formatEndpoint(p.endpoint) : null, allowedIps: [...p.allowedIps] })),
    publicKey,
    site: checkSite(site),
  };
}

export function targetFromView(view: ProfileView, interfaceName: string | null, site: Site | null): CheckTarget {
  return {
    profileName: view.name,
    interfaceName: interfaceName ?? view.name,
    addresses: [...view.addresses],
    dns: [...view.dns],
    mtu: view.mtuOverride ?? view.mtu,
    peers: view.peers.map((p) => ({ publicKey: p.publicKey, endpoint: p.endpoint, allowedIps: [...p.allowedIps] })),
    publicKey: view.publicKey,
    site: checkSite(site ?? view.site),
  };
}
