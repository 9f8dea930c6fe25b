/** TCP port probe: connect, note how long it took, close. Environment: plain Node. */
import * as net from 'node:net';

export type TcpPortOutcome = 'open' | 'refused' | 'timeout' | 'error';

export interface TcpPortResult {
  host: string;
  port: number;
  outcome: TcpPortOutcome;
  ms: number;
  message?: string;
}

export function tcpPortProbe(host: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<TcpPortResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    let done = false;
    const socket = net.connect({ host, port });
    const finish = (outcome: TcpPortOutcome, message?: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve({ host, port, outcome, ms: Date.now() - started, message });
    };
    const onAbort = () => finish('timeout', 'cancelled');
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('connect', () => finish('open'));
    socket.on('error', (err: NodeJS.ErrnoException) => finish(err.code === 'ECONNREFUSED' ? 'refused' : 'error', `${err.code ?? ''} ${err.message}`.trim()));
  });
}
