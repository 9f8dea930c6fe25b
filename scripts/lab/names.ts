/**
 * Lab naming and addressing: every name a lab creates derives from its id (0–99), so labs never collide (namespaces,
 * veth ends, WireGuard interfaces — whose wireguard-go sockets in /var/run/wireguard are shared by all namespaces).
 * All names are ≤ 15 characters (IFNAMSIZ − 1). Environment: plain Node (scripts/).
 *
 * Topology (one /24 per link, addresses only need to be unique inside a namespace, but include the id for readability):
 *
 *   lh<id>a (artist)            lh<id>p (path: UDP relay)              lh<id>g (gateway)
 *   lh<id>a0 172.30.<id>.2 ── lh<id>p0 172.30.<id>.1 | lh<id>p1 172.31.<id>.1 ── lh<id>g0 172.31.<id>.2
 *   tunnel lh<id>art 10.200.<id>.2/32 ═══ WireGuard over the relay ═══ lh<id>gw 10.200.<id>.1/24
 *
 * There is no IP forwarding in the path namespace: WireGuard UDP reaches the gateway only through the relay (except
 * in the capacity-kernel-path scenario, faults/capacity.ts useKernelPath, which forwards it in the kernel).
 */

export const LAB_ID_MIN = 0;
export const LAB_ID_MAX = 99;
export const WG_PORT = 51820;

export interface LabNames {
  id: number;
  ns: { artist: string; path: string; gateway: string };
  veth: { artist: string; pathA: string; pathG: string; gateway: string };
  /** The gateway's WireGuard interface. */
  gatewayIf: string;
  /** The artist profile's name = the interface Longhaul (or wg-quick) creates in the artist namespace. */
  profileName: string;
  addr: {
    artistUnderlay: string;
    pathArtistSide: string;
    pathGatewaySide: string;
    gatewayUnderlay: string;
    gatewayTunnel: string;
    artistTunnel: string;
    /** The tunnel subnet (CIDR). */
    tunnelNet: string;
  };
  /** What the artist profile puts in `Endpoint =`: the relay. */
  endpoint: string;
  /** Host name the artist namespace resolves to the relay (written to /etc/netns/<artist>/hosts). */
  endpointHost: string;
}

export function assertLabId(id: number): void {
  if (!Number.isInteger(id) || id < LAB_ID_MIN || id > LAB_ID_MAX) {
    throw new Error(`lab id must be an integer ${LAB_ID_MIN}–${LAB_ID_MAX}, got ${String(id)}`);
  }
}

export function labNames(id: number): LabNames {
  assertLabId(id);
  const p = `lh${id}`;
  return {
    id,
    ns: { artist: `${p}a`, path: `${p}p`, gateway: `${p}g` },
    veth: { artist: `${p}a0`, pathA: `${p}p0`, pathG: `${p}p1`, gateway: `${p}g0` },
    gatewayIf: `${p}gw`,
    profileName: `${p}art`,
    addr: {
      artistUnderlay: `172.30.${id}.2`,
      pathArtistSide: `172.30.${id}.1`,
      pathGatewaySide: `172.31.${id}.1`,
      gatewayUnderlay: `172.31.${id}.2`,
      gatewayTunnel: `10.200.${id}.1`,
      artistTunnel: `10.200.${id}.2`,
      tunnelNet: `10.200.${id}.0/24`,
    },
    endpoint: `172.30.${id}.1:${WG_PORT}`,
    endpointHost: `gateway.lab${id}.test`,
  };
}

/** Every name in the lab is a valid Linux interface/namespace name (checked by the unit test). */
export function allNames(n: LabNames): string[] {
  return [...Object.values(n.ns), ...Object.values(n.veth), n.gatewayIf, n.profileName];
}
