/**
 * One don't-fragment ICMP echo, behind one interface for every OS. Environment: plain Node.
 * `payload` is the ICMP data size; the IPv4 packet on the wire is payload + 28 bytes.
 */
export type PingOutcome = 'reply' | 'too-big' | 'timeout' | 'unreachable' | 'error';

export interface PingResult {
  outcome: PingOutcome;
  /** Round-trip time of the reply, when there was one. */
  rttMs: number | null;
  /** MTU reported by a local error or an ICMP frag-needed, when the tool printed one. */
  mtu: number | null;
  /** The tool's line that decided the outcome (for evidence). */
  detail: string;
}

export interface PingRequest {
  host: string;
  payload: number;
  /** Our own deadline: the tool is killed after it and the result is `timeout`. */
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface PingProbe {
  readonly platform: NodeJS.Platform;
  ping(req: PingRequest): Promise<PingResult>;
}


export function isIpv4(host: string): boolean {
  const parts = host.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}
