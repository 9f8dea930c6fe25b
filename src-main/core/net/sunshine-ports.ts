/**
 * Sunshine's (GameStream's) TCP ports, derived from the base HTTP port like Sunshine does (`config::sunshine.port`,
 * 47989 by default; `net::map_port`: HTTPS −5, RTSP +21; fact sheet §6). UDP video/control/audio (47998–48000)
 * cannot be proven by a TCP probe. The one list: the `sunshine-ports` and `tls` checks and the Sunshine probe.
 * Environment: any.
 */
export const SUNSHINE_HTTP_PORT = 47989;

export interface SunshinePorts {
  https: number;
  http: number;
  rtsp: number;
}

export const sunshinePorts = (base = SUNSHINE_HTTP_PORT): SunshinePorts => ({ https: base - 5, http: base, rtsp: base + 21 });

/** The TCP ports in probe order (HTTPS, HTTP, RTSP). */
export const sunshineTcpPorts = (base = SUNSHINE_HTTP_PORT): [number, number, number] => {
  const p = sunshinePorts(base);
  return [p.https, p.http, p.rtsp];
};

/** The default ports: 47984 (HTTPS, pairing and app list), 47989 (HTTP /serverinfo), 48010 (RTSP). */
export const SUNSHINE_TCP_PORTS: readonly number[] = sunshineTcpPorts();
export const SUNSHINE_HTTPS_PORT = sunshinePorts().https;
