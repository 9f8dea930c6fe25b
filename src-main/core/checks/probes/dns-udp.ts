/**
 * One DNS question over UDP to one pinned server, with its own hard deadline. Environment: plain Node.
 *
 * The socket is `connect`ed, so an ICMP port-unreachable from the server's host surfaces as ECONNREFUSED: the resolver
 * is not listening there. Any well-formed response (NXDOMAIN and REFUSED included) proves the resolver listens; a
 * timeout or a refused port does not. The query is re-sent at a third and two thirds of the deadline (UDP loss).
 */
import * as dgram from 'node:dgram';
import { randomInt } from 'node:crypto';
import { buildQuery, DNS_TYPE, DnsParseError, parseResponse, rcodeName, type DnsResponse } from './dns-wire';

export type DnsQueryOutcome =
  | { kind: 'response'; rcode: string; addresses: string[]; response: DnsResponse; rttMs: number }
  | { kind: 'port-unreachable'; rttMs: number }
  | { kind: 'timeout'; timeoutMs: number }
  | { kind: 'error'; message: string };

export interface DnsQueryOptions {
  server: string;
  port?: number;
  name: string;
  type?: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

export function queryDns(opts: DnsQueryOptions): Promise<DnsQueryOutcome> {
  const type = opts.type ?? DNS_TYPE.A;
  const id = randomInt(0, 0x10000);
  let query: Buffer;
  try {
    query = buildQuery(id, opts.name, type);
  } catch (err) {
    return Promise.resolve({ kind: 'error', message: (err as Error).message });
  }
  const family = opts.server.includes(':') ? 'udp6' : 'udp4';
  return new Promise((resolve) => {
    const socket = dgram.createSocket(family);
    const started = Date.now();
    const timers: NodeJS.Timeout[] = [];
    let done = false;
    const finish = (o: DnsQueryOutcome) => {
      if (done) return;
      done = true;
      timers.forEach(clearTimeout);
      opts.signal?.removeEventListener('abort', onAbort);
      try {
        socket.close();
      } catch {}
      resolve(o);
    };
    const onAbort = () => finish({ kind: 'timeout', timeoutMs: Date.now() - started });
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const send = () => {
      if (done) return;
      try {
        socket.send(query, (err) => err && finish(errorOutcome(err, started)));
      } catch (err) {
        finish(errorOutcome(err as NodeJS.ErrnoException, started));
      }
    };
    socket.on('error', (err) => finish(errorOutcome(err, started)));
    socket.on('message', (msg) => {
      let res: DnsResponse;
      try {
        res = parseResponse(msg);
      } catch (err) {
        if (err instanceof DnsParseError) return; // not a DNS answer to us: keep waiting
        throw err;
      }
      if (!res.isResponse || res.id !== id) return;
      if (res.question && res.question.name.toLowerCase() !== opts.name.replace(/\.$/, '').toLowerCase()) return;
      const addresses = res.answers.filter((a) => a.type === type).map((a) => a.data);
      finish({ kind: 'response', rcode: rcodeName(res.rcode), addresses, response: res, rttMs: Date.now() - started });
    });
    // Node calls the connect callback with the error (e.g. ENETUNREACH: no route) instead of emitting 'error'.
    const onConnect = (err?: NodeJS.ErrnoException) => {
      if (err) return finish(errorOutcome(err, started));
      send();
      timers.push(setTimeout(send, opts.timeoutMs / 3), setTimeout(send, (2 * opts.timeoutMs) / 3));
    };
    socket.connect(opts.port ?? 53, opts.server, onConnect as () => void);
    timers.push(setTimeout(() => finish({ kind: 'timeout', timeoutMs: opts.timeoutMs }), opts.timeoutMs));
  });
}

function errorOutcome(err: NodeJS.ErrnoException, started: number): DnsQueryOutcome {
  if (err.code === 'ECONNREFUSED') return { kind: 'port-unreachable', rttMs: Date.now() - started };
  return { kind: 'error', message: `${err.code ?? 'error'}: ${err.message}` };
}
