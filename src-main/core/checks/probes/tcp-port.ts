/** TCP port probe: connect, note how long it took, close — over the shared net client. Environment: plain Node. */
import { NetError, tcpExchange } from '../../platform/net-client';

export type TcpPortOutcome = 'open' | 'refused' | 'timeout' | 'error';

export interface TcpPortResult {
  host: string;
  port: number;
  outcome: TcpPortOutcome;
  ms: number;
  message?: string;
}

/** `address`: where to connect when `host` (the name in the result) is already resolved. */
export async function tcpPortProbe(host: string, port: number, timeoutMs: number, signal?: AbortSignal, address?: string): Promise<TcpPortResult> {
  const started = Date.now();
  const limits = { connectTimeoutMs: timeoutMs, answerTimeoutMs: timeoutMs, overallTimeoutMs: timeoutMs, maxBytes: 0, signal };
  const result = (outcome: TcpPortOutcome, message?: string): TcpPortResult => ({ host, port, outcome, ms: Date.now() - started, message });
  try {
    return await tcpExchange({ host: address ?? host, port }, limits, { connected: () => result('open') });
  } catch (err) {
    if (!(err instanceof NetError)) throw err;
    if (err.code === 'refused') return result('refused', err.message);
    if (err.code === 'connect-timeout' || err.code === 'deadline') return result('timeout');
    if (err.code === 'cancelled') return result('timeout', 'cancelled');
    return result('error', err.message);
  }
}
