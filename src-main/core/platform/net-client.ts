/**
 * The one way Longhaul talks to another machine over TCP: raw exchanges (`tcpExchange`: port probes, the TLS
 * large-payload probe), long-lived streams whose protocol reads with its own per-read deadlines (`openStream`: iperf3's
 * control connection; the socket is destroyed at the overall deadline or on cancel whatever the protocol does) and HTTP(S) requests (`httpRequest`: Sunshine's /serverinfo, the support upload), plus name
 * lookups with a deadline (`lookupHost`). Environment: plain Node.
 *
 * Every exchange has the same four limits and one AbortSignal (issue 13: a server that accepts and then trickles one
 * byte every 2 s must not hold a probe, the gate or the CLI forever):
 *  - connectTimeoutMs  — until the TCP connection (and, for https, the TLS handshake) is up;
 *  - answerTimeoutMs   — from the request sent to the answer: the complete HTTP response headers, or the first byte of
 *                        a raw exchange (a trickled header never completes, so it trips this one);
 *  - overallTimeoutMs  — the whole exchange, connect to last byte (a stalled or crawling body trips it);
 *  - maxBytes          — bytes of answer accepted (an endless body trips it);
 *  - signal            — the caller's cancel (the gate, Ctrl-C in the CLI).
 * Failures are NetError with a stable `code`; callers map codes to their own outcomes. Node's own `timeout` option
 * (an idle timer that every trickled byte resets) is never relied on.
 */
import * as dns from 'node:dns/promises';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';

export type NetErrorCode =
  /** The caller's AbortSignal fired. */
  | 'cancelled'
  /** No connection (TCP, and TLS for https) within connectTimeoutMs. */
  | 'connect-timeout'
  | 'refused'
  /** EHOSTUNREACH, ENETUNREACH, EADDRNOTAVAIL. */
  | 'unreachable'
  /** Connected and asked, but no answer (HTTP: complete response headers; raw: a first byte) within answerTimeoutMs. */
  | 'answer-timeout'
  /** The exchange as a whole outlived overallTimeoutMs (or a deadline the protocol tightened it to). */
  | 'deadline'
  /** The answer was longer than maxBytes. */
  | 'too-large'
  /** The peer closed before the answer was complete. */
  | 'closed'
  /** A name did not resolve. */
  | 'no-name'
  /** Any other socket or TLS failure (the message says which). */
  | 'network';

export class NetError extends Error {
  constructor(
    readonly code: NetErrorCode,
    message: string,
    /** The system error code behind it, when there is one (ECONNRESET, CERT_HAS_EXPIRED…). */
    readonly errno?: string,
  ) {
    super(message);
    this.name = 'NetError';
  }
}

export interface NetLimits {
  connectTimeoutMs: number;
  answerTimeoutMs: number;
  overallTimeoutMs: number;
  maxBytes: number;
  signal?: AbortSignal;
}

const UNREACHABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

function fromSystemError(err: NodeJS.ErrnoException, target: string, connected: boolean): NetError {
  const errno = err.code;
  if (errno === 'ECONNREFUSED') return new NetError('refused', `${target} refused the connection`, errno);
  if (errno && UNREACHABLE.has(errno)) return new NetError('unreachable', `${target} is unreachable (${errno})`, errno);
  if (errno === 'ETIMEDOUT' && !connected) return new NetError('connect-timeout', `${target} did not accept a connection (${errno})`, errno);
  return new NetError('network', `${target}: ${err.message}`, errno);
}

/**
 * Deadlines and byte cap of one exchange: a timer per phase, one failure reported once, one cleanup. Phases: created
 * (connect timer and overall timer run) → connected() → asked() (answer timer runs once both happened) → answered().
 */
class ExchangeGuard {
  private readonly started = Date.now();
  private connectTimer: NodeJS.Timeout | undefined;
  private answerTimer: NodeJS.Timeout | undefined;
  private overallTimer: NodeJS.Timeout | undefined;
  private isConnected = false;
  private isAsked = false;
  private isAnswered = false;
  private bytes = 0;
  private over = false;
  private readonly onAbort = () => this.fail('cancelled', `${this.target}: cancelled`);

  constructor(
    private readonly limits: NetLimits,
    private readonly target: string,
    private readonly onFail: (err: NetError) => void,
  ) {
    this.connectTimer = setTimeout(() => this.fail('connect-timeout', `${target}: no connection within ${limits.connectTimeoutMs} ms`), limits.connectTimeoutMs);
    this.overallTimer = setTimeout(() => this.fail('deadline', `${target}: no complete answer within ${limits.overallTimeoutMs} ms`), limits.overallTimeoutMs);
    limits.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** True once the exchange has failed or finished: nothing more may happen. */
  get closed(): boolean {
    return this.over;
  }

  get connected(): boolean {
    return this.isConnected;
  }

  /** Milliseconds since the exchange started. */
  elapsed(): number {
    return Date.now() - this.started;
  }

  /** Call right after construction: a signal that had already fired fails the exchange before anything is sent. */
  checkAborted(): boolean {
    if (this.limits.signal?.aborted) this.onAbort();
    return this.over;
  }

  markConnected(): void {
    if (this.over || this.isConnected) return;
    this.isConnected = true;
    clearTimeout(this.connectTimer);
    this.startAnswerTimer();
  }

  markAsked(): void {
    if (this.over || this.isAsked) return;
    this.isAsked = true;
    this.startAnswerTimer();
  }

  markAnswered(): void {
    this.isAnswered = true;
    clearTimeout(this.answerTimer);
  }

  /** Count answer bytes; false (and the exchange failed) once over maxBytes. */
  received(n: number): boolean {
    if (this.over) return false;
    this.bytes += n;
    if (this.bytes > this.limits.maxBytes) {
      this.fail('too-large', `${this.target}: the answer is larger than ${this.limits.maxBytes} bytes`);
      return false;
    }
    return true;
  }

  /** Bring the overall deadline forward to `ms` from now (never later than it already is). */
  tighten(ms: number): void {
    if (this.over) return;
    const remaining = this.limits.overallTimeoutMs - this.elapsed();
    if (ms >= remaining) return;
    clearTimeout(this.overallTimer);
    this.overallTimer = setTimeout(() => this.fail('deadline', `${this.target}: no complete answer within ${ms} ms of connecting`), Math.max(0, ms));
  }

  fail(code: NetErrorCode, message: string, errno?: string): void {
    this.failWith(new NetError(code, message, errno));
  }

  failWith(err: NetError): void {
    if (this.over) return;
    this.cleanup();
    this.onFail(err);
  }

  /** The exchange completed: stop every timer. False when it had already failed. */
  finish(): boolean {
    if (this.over) return false;
    this.cleanup();
    return true;
  }

  private startAnswerTimer(): void {
    if (!this.isConnected || !this.isAsked || this.isAnswered || this.answerTimer) return;
    this.answerTimer = setTimeout(() => this.fail('answer-timeout', `${this.target}: connected, but no answer within ${this.limits.answerTimeoutMs} ms`), this.limits.answerTimeoutMs);
  }

  private cleanup(): void {
    this.over = true;
    clearTimeout(this.connectTimer);
    clearTimeout(this.answerTimer);
    clearTimeout(this.overallTimer);
    this.limits.signal?.removeEventListener('abort', this.onAbort);
  }
}

/** What a raw exchange's protocol sees. */
export interface TcpExchangeContext {
  /** Milliseconds from the start to the connection. */
  connectMs: number;
  /** Bring the overall deadline forward (e.g. a few round trips once the connect time is known). */
  tighten(ms: number): void;
}

export interface TcpProtocol<T> {
  /** Connected: write the request. Return a result to finish right away (a connect-only probe). */
  connected(socket: net.Socket, ctx: TcpExchangeContext): T | undefined;
  /** A chunk of the answer, already counted against maxBytes. Return a result once the answer is complete. */
  data?(chunk: Buffer): T | undefined;
  /** The peer closed its side. Return a result, or nothing for a NetError `closed`. */
  ended?(): T | undefined;
}

/** One raw TCP exchange under the limits; the socket is always destroyed when it settles. */
export function tcpExchange<T>(target: { host: string; port: number }, limits: NetLimits, protocol: TcpProtocol<T>): Promise<T> {
  const name = `${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
  return new Promise<T>((resolve, reject) => {
    let socket: net.Socket | null = null;
    const guard = new ExchangeGuard(limits, name, (err) => {
      socket?.destroy();
      reject(err);
    });
    if (guard.checkAborted()) return;
    const done = (result: T | undefined): void => {
      if (result === undefined || !guard.finish()) return;
      socket?.destroy();
      resolve(result);
    };
    const s = net.connect({ host: target.host, port: target.port });
    socket = s;
    s.setNoDelay(true);
    s.on('connect', () => {
      guard.markConnected();
      const connectMs = guard.elapsed();
      guard.markAsked();
      try {
        done(protocol.connected(s, { connectMs, tighten: (ms) => guard.tighten(ms) }));
      } catch (err) {
        guard.fail('network', `${name}: ${(err as Error).message}`);
      }
    });
    s.on('data', (chunk: Buffer) => {
      if (!guard.received(chunk.length)) return;
      guard.markAnswered();
      done(protocol.data?.(chunk));
    });
    s.on('end', () => {
      if (guard.closed) return;
      const r = protocol.ended?.();
      if (r === undefined) guard.fail('closed', `${name} closed the connection before answering`);
      else done(r);
    });
    s.on('error', (err: NodeJS.ErrnoException) => guard.failWith(fromSystemError(err, name, guard.connected)));
  });
}

export interface StreamLimits {
  connectTimeoutMs: number;
  /** The whole life of the stream: at this point the socket is destroyed ('deadline'), whatever is in flight. */
  overallTimeoutMs: number;
  signal?: AbortSignal;
}

export interface OpenStream {
  socket: net.Socket;
  connectMs: number;
  /** Why the stream was cut by its limits (deadline, cancelled), once it was; null while it runs or ended otherwise. */
  cutBy(): NetError | null;
}

/**
 * A connected TCP stream under a connect deadline, an overall deadline and the caller's signal. Reads are the
 * protocol's, with their own deadlines and byte bounds (it must bound what it buffers); when the overall deadline passes
 * or the signal fires the socket is destroyed, so no read can outlive the limits. The caller destroys it when done.
 */
export function openStream(target: { host: string; port: number }, limits: StreamLimits): Promise<OpenStream> {
  const name = `${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
  return new Promise<OpenStream>((resolve, reject) => {
    let cut: NetError | null = null;
    const t0 = Date.now();
    const s = net.connect({ host: target.host, port: target.port });
    s.setNoDelay(true);
    let connected = false;
    const end = (err: NetError) => {
      if (cut) return;
      cut = err;
      clearTimeout(connectTimer);
      clearTimeout(overallTimer);
      limits.signal?.removeEventListener('abort', onAbort);
      s.destroy();
      if (!connected) reject(err);
    };
    const onAbort = () => end(new NetError('cancelled', `${name}: cancelled`));
    const connectTimer = setTimeout(() => end(new NetError('connect-timeout', `${name}: no connection within ${limits.connectTimeoutMs} ms`)), limits.connectTimeoutMs);
    const overallTimer = setTimeout(() => end(new NetError('deadline', `${name}: open longer than ${limits.overallTimeoutMs} ms`)), limits.overallTimeoutMs);
    overallTimer.unref?.();
    limits.signal?.addEventListener('abort', onAbort, { once: true });
    if (limits.signal?.aborted) return onAbort();
    s.once('connect', () => {
      connected = true;
      clearTimeout(connectTimer);
      resolve({ socket: s, connectMs: Date.now() - t0, cutBy: () => cut });
    });
    s.on('error', (err: NodeJS.ErrnoException) => {
      if (!connected) end(fromSystemError(err, name, false));
    });
    s.once('close', () => {
      clearTimeout(connectTimer);
      clearTimeout(overallTimer);
      limits.signal?.removeEventListener('abort', onAbort);
    });
  });
}

export interface HttpRequestSpec {
  url: URL;
  method?: 'GET' | 'PUT' | 'POST';
  headers?: Record<string, string>;
  body?: Uint8Array;
  /** https: trust anchors (replacing Node's defaults when given, so pass tls.rootCertificates too to extend them). */
  ca?: string[];
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** One HTTP(S) request under the limits: no connection reuse, no redirects followed, the body read up to maxBytes. */
export function httpRequest(spec: HttpRequestSpec, limits: NetLimits): Promise<HttpResponse> {
  const { url } = spec;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return Promise.reject(new NetError('network', `${url.protocol} is not http or https`));
  const secure = url.protocol === 'https:';
  const name = url.origin;
  return new Promise<HttpResponse>((resolve, reject) => {
    let req: http.ClientRequest | null = null;
    const guard = new ExchangeGuard(limits, name, (err) => {
      req?.destroy(err);
      reject(err);
    });
    if (guard.checkAborted()) return;
    const options: https.RequestOptions = { method: spec.method ?? 'GET', headers: spec.headers, agent: false };
    if (secure && spec.ca) options.ca = spec.ca;
    const r = (secure ? https : http).request(url, options, (res) => {
      guard.markAnswered();
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => {
        if (guard.received(c.length)) chunks.push(c);
      });
      res.on('end', () => {
        if (guard.finish()) resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
      });
      res.on('close', () => {
        if (!res.complete) guard.fail('closed', `${name} closed the connection in the middle of its answer`);
      });
      res.on('error', () => {}); // reported through 'close' or the guard
    });
    req = r;
    r.on('socket', (socket) => {
      socket.once(secure ? 'secureConnect' : 'connect', () => guard.markConnected());
    });
    r.on('finish', () => guard.markAsked());
    r.on('error', (err: NodeJS.ErrnoException) => {
      if (err instanceof NetError) return; // our own destroy(err): already reported
      guard.failWith(fromSystemError(err, name, guard.connected));
    });
    if (spec.body) r.end(Buffer.from(spec.body.buffer, spec.body.byteOffset, spec.body.byteLength));
    else r.end();
  });
}

/**
 * The OS resolver (`getaddrinfo`, as every other program on the machine) under a deadline and the signal. A lookup
 * cannot be cancelled in Node: past the deadline its eventual answer is ignored.
 */
export async function lookupHost(host: string, opts: { timeoutMs: number; signal?: AbortSignal }): Promise<string> {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (net.isIP(bare)) return bare;
  if (opts.signal?.aborted) throw new NetError('cancelled', `${host}: cancelled`);
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new NetError('no-name', `${host} did not resolve within ${opts.timeoutMs} ms (timeout)`, 'ETIMEOUT')), opts.timeoutMs);
    onAbort = () => reject(new NetError('cancelled', `${host}: cancelled`));
    opts.signal?.addEventListener('abort', onAbort, { once: true });
  });
  const lookup = dns.lookup(bare).then(
    (r) => r.address,
    (err: NodeJS.ErrnoException) => {
      throw new NetError('no-name', `${host} does not resolve (${err.code ?? err.message})`, err.code);
    },
  );
  try {
    return await Promise.race([lookup, stop]);
  } finally {
    clearTimeout(timer);
    if (onAbort) opts.signal?.removeEventListener('abort', onAbort);
    lookup.catch(() => {}); // an answer after the deadline is dropped
  }
}
