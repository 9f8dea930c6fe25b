/**
 * Route conflicts (issue rule): an AllowedIPs prefix longer than /0 that overlaps the subnet of an up interface — a
 * LAN or another tunnel's interface (`core/net/local-networks.ts`, the one source) — or the routes of another
 * connected Longhaul tunnel is an error (`route.conflict`); an overlap with a stored but inactive profile is a
 * warning (`route.overlap-inactive`). Environment: plain Node.
 */
import { makeFinding, type Finding } from '../findings/finding';
import { networkText, parsePrefix, prefixesOverlap, type Prefix } from './ip';
import type { WgProfile } from './types';

/** A local network (`core/net` `readLocalNetworks`); `prefix` may carry host bits. */
export interface LocalNetwork {
  interface: string;
  prefix: string;
  /** Another tunnel's interface rather than a LAN. */
  tunnel?: boolean;
}

export interface ConnectedTunnel {
  /** Profile name (or interface name for a tunnel Longhaul did not start). */
  name: string;
  interface: string;
  /** Its AllowedIPs / routed prefixes. */
  prefixes: string[];
}

export interface StoredProfileRoutes {
  name: string;
  allowedIps: string[];
}

function parsed(list: readonly string[]): Prefix[] {
  const out: Prefix[] = [];
  for (const s of list) {
    const p = parsePrefix(s);
    if (p.ok) out.push(p.prefix);
  }
  return out;
}

export function findRouteConflicts(
  profile: Pick<WgProfile, 'peers'>,
  localNetworks: readonly LocalNetwork[],
  otherTunnels: readonly ConnectedTunnel[],
  storedProfiles: readonly StoredProfileRoutes[],
  self?: string,
): Finding[] {
  const mine = parsed(profile.peers.flatMap((p) => p.allowedIps)).filter((p) => p.length > 0);
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const push = (f: Finding, key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    findings.push(f);
  };
  const tunnelsOverlapping = (p: Prefix) =>
    new Set(otherTunnels.filter((t) => (self === undefined || t.name !== self) && parsed(t.prefixes).some((q) => q.length > 0 && prefixesOverlap(p, q))).map((t) => t.interface));
  for (const p of mine) {
    const prefix = networkText(p);
    const reportedAsTunnel = tunnelsOverlapping(p);
    // One finding per (route, interface): another tunnel shows both its own address (/32) and the routes through it;
    // the widest overlapping network of each interface is the one named.
    const widest = new Map<string, { lan: LocalNetwork; net: Prefix }>();
    for (const lan of localNetworks) {
      const l = parsePrefix(lan.prefix);
      if (!l.ok || !prefixesOverlap(p, l.prefix)) continue;
      // A connected Longhaul tunnel whose routes overlap is reported below, with its name and routes.
      if (lan.tunnel && reportedAsTunnel.has(lan.interface)) continue;
      const key = lan.tunnel ? lan.interface : `${lan.interface}|${networkText(l.prefix)}`;
      const had = widest.get(key);
      if (!had || l.prefix.length < had.net.length) widest.set(key, { lan, net: l.prefix });
    }
    for (const { lan, net } of widest.values()) {
      const other = networkText(net);
      const conflictWith = lan.tunnel ? `the network ${other} of another tunnel` : `your local network ${other}`;
      push(
        makeFinding('route.conflict', { prefix, conflictWith, interface: lan.interface, conflictPrefix: other }, { prefix, localPrefix: other, interface: lan.interface, kind: lan.tunnel ? 'tunnel-interface' : 'local' }),
        `c|${prefix}|${other}|${lan.interface}`,
      );
    }
    for (const t of otherTunnels) {
      if (self !== undefined && t.name === self) continue;
      for (const q of parsed(t.prefixes).filter((x) => x.length > 0)) {
        if (!prefixesOverlap(p, q)) continue;
        const other = networkText(q);
        push(
          makeFinding('route.conflict', { prefix, conflictWith: `the connected tunnel "${t.name}" (${other})`, interface: t.interface, conflictPrefix: other }, { prefix, tunnelPrefix: other, tunnel: t.name, interface: t.interface, kind: 'tunnel' }),
          `t|${prefix}|${other}|${t.name}`,
        );
      }
    }
    for (const s of storedProfiles) {
      if (self !== undefined && s.name === self) continue;
      if (otherTunnels.some((t) => t.name === s.name)) continue; // connected: already an error above
      for (const q of parsed(s.allowedIps).filter((x) => x.length > 0)) {
        if (!prefixesOverlap(p, q)) continue;
        const other = networkText(q);
        push(
          makeFinding('route.overlap-inactive', { prefix, otherProfile: s.name, otherPrefix: other }, { prefix, otherProfile: s.name, otherPrefix: other }),
          `s|${prefix}|${other}|${s.name}`,
        );
      }
    }
  }
  return findings;
}
