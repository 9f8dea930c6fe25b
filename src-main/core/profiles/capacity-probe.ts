/**
 * The site file's `capacityProbe` (docs/site-file.md) as the host and port list the measurement uses: `port` first,
 * then `ports`, without repeats; neither given → iperf3's 5201. Environment: any.
 */
import type { Site } from '../../contract/profiles';

/** iperf3's default port (iperf.h `PORT`); core/capacity/protocol.ts re-exports it. */
export const IPERF_DEFAULT_PORT = 5201;

export interface CapacityProbeTarget {
  host: string;
  ports: number[];
}

export function capacityProbeOf(site: Pick<Site, 'capacityProbe'> | null | undefined): CapacityProbeTarget | null {
  const p = site?.capacityProbe;
  if (!p) return null;
  const ports = [...new Set([...(p.port !== undefined ? [p.port] : []), ...(p.ports ?? [])])];
  return { host: p.host, ports: ports.length > 0 ? ports : [IPERF_DEFAULT_PORT] };
}
