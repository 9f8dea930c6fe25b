/**
 * A TCP connect probe — connect, note how long it took, close — over the shared net client
 * (`core/platform/net-client.ts` `tcpExchange`: connect deadline, AbortSignal). The one copy: the `sunshine-ports`
 * check and the Sunshine probe both use it. Environment: plain Node.
 */
import { NetError, tcpExchange } from '../platform/net-client';

/** `open` connected; `refused` RST (the machine answers, nothing listens); `timeout` nothing within the deadline (or cancelled). */
export type TcpOutcome = 'open' | 'refused' | 'timeout' | 'unreachable' | 'error';

export interface TcpResult {
  host: string;
  port: number;
  outcome: TcpOutcome;
  /** Milliseconds from the start to the outcome (the connect time when open). */
  ms: number;
  /** errno or net-client code for `unreachable`/`error`; `cancelled` when the signal ended it. */
  error?: string;
}

/** `address`: where to connect when `host` (the name in the result) is already resolved. */
export async function tcpConnect(host: string, port: number, timeoutMs: number, signal?: AbortSignal, address?: string): Promise<TcpResult> {
  const started = Date.now();
  const limits = { connectTimeoutMs: timeoutMs, answerTimeoutMs: timeoutMs, overallTimeoutMs: timeoutMs, maxBytes: 0, signal };
  const result = (outcome: TcpOutcome, error?: string): TcpResult => ({ host, port, outcome, ms: Date.now() - started, ...(error === undefined ? {} : { error }) });
  try {
    return await tcpExchange({ host: address ?? host, port }, limits, { connected: () => result('open') });
  } catch (err) {
    if (!(err instanceof NetError)) throw err;
    switch (err.code) {
      case 'refused':
        return result('refused');
      case 'connect-timeout':
      case 'deadline':
        return result('timeout');
      case 'cancelled':
        return result('timeout', 'cancelled');
      case 'unreachable':
        return result('unreachable', err.errno ?? err.code);
      default:
        return result('error', err.errno ?? err.code);
    }
  }
}
