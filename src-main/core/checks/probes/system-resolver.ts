/**
 * The system resolver (`getaddrinfo` through node:dns `lookup`): what apps and Moonlight use — hosts file, split DNS,
 * scoped resolvers, NRPT. `lookup` cannot be cancelled, so our deadline only stops waiting (the libuv thread finishes
 * on its own). Environment: plain Node.
 */
import { lookup } from 'node:dns';

export type SystemLookupOutcome =
  | { kind: 'addresses'; addresses: string[]; ms: number }
  | { kind: 'error'; code: string; ms: number }
  | { kind: 'timeout'; timeoutMs: number };

export function systemLookup(name: string, timeoutMs: number, signal?: AbortSignal): Promise<SystemLookupOutcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    let done = false;
    const finish = (o: SystemLookupOutcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(o);
    };
    const onAbort = () => finish({ kind: 'timeout', timeoutMs: Date.now() - started });
    const timer = setTimeout(() => finish({ kind: 'timeout', timeoutMs }), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    lookup(name, { family: 4, all: true }, (err, addrs) => {
      if (err) finish({ kind: 'error', code: err.code ?? err.message, ms: Date.now() - started });
      else finish({ kind: 'addresses', addresses: addrs.map((a) => a.address), ms: Date.now() - started });
    });
  });
}
