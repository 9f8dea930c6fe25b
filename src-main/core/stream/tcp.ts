/** A TCP connect probe with a deadline, over the shared net client. Environment: plain Node. */
import { NetError, tcpExchange } from '../platform/net-client';

export type TcpOutcome = 'open' | 'refused' | 'timeout' | 'unreachable' | 'error';

export interface TcpResult {
  port: number;
  outcome: TcpOutcome;
  error?: string;
}

export async function tcpConnect(address: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<TcpResult> {
  const limits = { connectTimeoutMs: timeoutMs, answerTimeoutMs: timeoutMs, overallTimeoutMs: timeoutMs, maxBytes: 0, signal };
  try {
    return await tcpExchange({ host: address, port }, limits, { connected: () => ({ port, outcome: 'open' as const }) });
  } catch (err) {
    if (!(err instanceof NetError)) throw err;
    switch (err.code) {
      case 'refused':
        return { port, outcome: 'refused' };
      case 'connect-timeout':
      case 'deadline':
        return { port, outcome: 'timeout' };
      case 'unreachable':
        return { port, outcome: 'unreachable', error: err.errno ?? err.code };
      default:
        return { port, outcome: 'error', error: err.errno ?? err.code };
    }
  }
}
