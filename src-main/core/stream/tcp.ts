/** A TCP connect probe with a deadline. Environment: plain Node. */
import * as net from 'node:net';

export type TcpOutcome = 'open' | 'refused' | 'timeout' | 'unreachable' | 'error';

export interface TcpResult {
  port: number;
  outcome: TcpOutcome;
  error?: string;
}

export function tcpConnect(address: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<TcpResult> {
  return new Promise((resolve) => {
    const sock = new net.Socket();
    let done = false;
    const finish = (outcome: TcpOutcome, error?: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      sock.destroy();
      resolve(error ? { port, outcome, error } : { port, outcome });
    };
    const onAbort = () => finish('error', 'cancelled');
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    sock.once('connect', () => finish('open'));
    sock.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED') finish('refused');
      else if (err.code === 'EHOSTUNREACH' || err.code === 'ENETUNREACH' || err.code === 'EADDRNOTAVAIL') finish('unreachable', err.code);
      else finish('error', err.code ?? err.message);
    });
    sock.connect({ host: address, port });
  });
}
