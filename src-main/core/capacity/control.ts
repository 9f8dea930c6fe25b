/**
 * iperf3's control connection from the client side: one TCP connection, single signed-char states and length-prefixed
 * JSON (protocol.ts). Reads are sequential, each bounded by an absolute deadline; the receive buffer is bounded (a
 * server that sends more than iperf3 ever would is cut off), so memory stays small whatever the peer does.
 * Environment: plain Node (the socket comes from core/platform/net-client.ts#openStream).
 */
import type * as net from 'node:net';
import { performance } from 'node:perf_hooks';
import { NetError, openStream } from '../platform/net-client';
import { CapacityError } from './errors';
import { IPERF_ERRORS, KNOWN_STATES, MAX_JSON_BYTES, STATE, stateName } from './protocol';

/** The most the server may have sent ahead of what we asked for: one JSON message, its length and a few states. */
const MAX_PENDING = MAX_JSON_BYTES + 64;

interface Waiter {
  n: number;
  phase: string;
  resolve(buf: Buffer): void;
  reject(err: CapacityError): void;
  timer: NodeJS.Timeout;
}

export class ControlChannel {
  private pending: Buffer = Buffer.alloc(0);
  private waiter: Waiter | null = null;
  private failure: CapacityError | null = null;
  private ended = false;
  /** Set while a phase wants to hear about bytes the server sends unasked (a running test expects none). */
  private unaskedListener: (() => void) | null = null;

  private constructor(
    private readonly sock: net.Socket,
    readonly where: string,
    /** TCP connect time: one round trip (SYN → SYN/ACK). */
    readonly connectMs: number,
  ) {
    sock.on('data', (chunk: Buffer) => this.onData(chunk));
    sock.on('end', () => this.onEnd());
    sock.on('close', () => this.onEnd());
    sock.on('error', () => this.onEnd());
  }

  /**
   * Connect to `host:port` through the shared net client (connect deadline = `deadlineAt`; the socket is destroyed at
   * `deadlineAt + lingerMs` or on `signal`, so nothing outlives the test's budget); resolves once the handshake completed.
   */
  static async connect(host: string, port: number, deadlineAt: number, o: { signal?: AbortSignal; lingerMs?: number } = {}): Promise<ControlChannel> {
    const where = `${host}:${port}`;
    const left = Math.max(0, deadlineAt - performance.now());
    try {
      const s = await openStream({ host, port }, { connectTimeoutMs: left, overallTimeoutMs: left + (o.lingerMs ?? 2000), signal: o.signal });
      return new ControlChannel(s.socket, where, s.connectMs);
    } catch (err) {
      const code = err instanceof NetError ? err.code : 'network';
      const errno = err instanceof NetError ? err.errno : undefined;
      if (code === 'refused') throw new CapacityError('capacity.refused', `Nothing listens on ${where} (connection refused). IT: start the capacity server on the gateway: iperf3 -s -p ${port}.`, { where, phase: 'connect' });
      if (code === 'connect-timeout') throw new CapacityError('capacity.unreachable', `No TCP connection to the iperf3 server at ${where} before the deadline. Is the tunnel up and the gateway running iperf3 -s?`, { where, phase: 'connect' });
      if (errno === 'ECONNRESET') throw new CapacityError('capacity.closed', `The server at ${where} reset the connection while it was being opened.`, { where, phase: 'connect' });
      const what = errno ?? (err as Error).message;
      throw new CapacityError('capacity.unreachable', `Cannot reach the iperf3 server at ${where} (${what}). Is the tunnel up?`, { where, phase: 'connect', error: what });
    }
  }

  get remoteAddress(): string | undefined {
    return this.sock.remoteAddress;
  }

  get remoteFamily(): string | undefined {
    return this.sock.remoteFamily;
  }

  write(buf: Buffer): void {
    if (!this.ended && !this.sock.destroyed) this.sock.write(buf);
  }

  writeState(state: number): void {
    const b = Buffer.alloc(1);
    b.writeInt8(state, 0);
    this.write(b);
  }

  /** `JSON_write`: 4-byte big-endian length, then the JSON text (one write, so Nagle never splits it). */
  writeJson(value: unknown): void {
    const body = Buffer.from(JSON.stringify(value), 'utf8');
    const head = Buffer.alloc(4);
    head.writeUInt32BE(body.length, 0);
    this.write(Buffer.concat([head, body]));
  }

  /** Exactly `n` bytes, or a CapacityError naming `phase` (closed, timed out, or a misbehaving peer). */
  readBytes(n: number, phase: string, deadlineAt: number): Promise<Buffer> {
    if (this.waiter) throw new Error('ControlChannel: one read at a time');
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        reject(new CapacityError('capacity.timeout', `No answer from ${this.where} while ${phase} before the deadline. The server is stuck, or this port is not an iperf3 server.`, { where: this.where, phase }));
      }, Math.max(0, deadlineAt - performance.now()));
      this.waiter = { n, phase, resolve, reject, timer };
      this.pump();
    });
  }

  /** One state byte (a signed char). */
  async readState(phase: string, deadlineAt: number): Promise<number> {
    return (await this.readBytes(1, phase, deadlineAt)).readInt8(0);
  }

  /**
   * `JSON_read`: the 4-byte length, refused above `MAX_PARAMS_JSON_STRING` before a byte of the body is read, then
   * the body, which must be one JSON object in UTF-8.
   */
  async readJson(phase: string, deadlineAt: number): Promise<Record<string, unknown>> {
    const len = (await this.readBytes(4, phase, deadlineAt)).readUInt32BE(0);
    if (len === 0 || len > MAX_JSON_BYTES) {
      const err = new CapacityError('capacity.protocol', `${this.where} announced a ${len}-byte JSON message while ${phase}; iperf3 keeps these between 1 and ${MAX_JSON_BYTES} bytes (MAX_PARAMS_JSON_STRING). Not a stock iperf3 server.`, { where: this.where, phase, length: len });
      this.fail(err);
      throw err;
    }
    const body = await this.readBytes(len, phase, deadlineAt);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch {
      throw new CapacityError('capacity.protocol', `${this.where} sent JSON that is not UTF-8 while ${phase}.`, { where: this.where, phase });
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new CapacityError('capacity.protocol', `${this.where} sent malformed JSON while ${phase}.`, { where: this.where, phase });
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new CapacityError('capacity.protocol', `${this.where} sent JSON that is not an object while ${phase}.`, { where: this.where, phase });
    }
    return value as Record<string, unknown>;
  }

  /**
   * Read the state the server must send next and check it: `expected` passes; ACCESS_DENIED, SERVER_ERROR and
   * SERVER_TERMINATE become their errors; anything else is a protocol error (or "not iperf3" when `first` is set and
   * the byte is no iperf3 state at all).
   */
  async expectState(expected: number, phase: string, deadlineAt: number, first = false): Promise<void> {
    const s = await this.readState(phase, deadlineAt);
    if (s === expected) return;
    if (s === STATE.ACCESS_DENIED) {
      throw new CapacityError('capacity.busy', `${this.where} is busy running another test (ACCESS_DENIED).`, { where: this.where, phase });
    }
    if (s === STATE.SERVER_ERROR) {
      const codes = await this.readBytes(8, `${phase} (reading SERVER_ERROR's error numbers)`, deadlineAt);
      const ierr = codes.readInt32BE(0);
      const errno = codes.readInt32BE(4);
      const name = IPERF_ERRORS[ierr] ?? `iperf3 error ${ierr}`;
      throw new CapacityError('capacity.server-error', `${this.where} reported an error while ${phase}: ${name} (errno ${errno}). IT: check the iperf3 server's log on the gateway.`, { where: this.where, phase, iperfError: ierr, errno });
    }
    if (s === STATE.SERVER_TERMINATE) {
      throw new CapacityError('capacity.server-error', `${this.where} terminated the test while ${phase} (SERVER_TERMINATE).`, { where: this.where, phase });
    }
    if (first && !KNOWN_STATES.has(s)) {
      throw new CapacityError('capacity.not-iperf3', `${this.where} answered ${stateName(s)}, which is no iperf3 state: this port is not an iperf3 server. IT: run iperf3 -s on the gateway and give Longhaul its port.`, { where: this.where, phase, byte: s & 0xff });
    }
    throw new CapacityError('capacity.protocol', `${this.where} sent ${stateName(s)} while ${phase}, expected ${stateName(expected)}.`, { where: this.where, phase, state: s });
  }

  /** Call `fn` as soon as the server sends anything unasked or closes; returns a function that stops listening. */
  watchUnasked(fn: () => void): () => void {
    this.unaskedListener = fn;
    if (this.pending.length > 0 || this.ended) queueMicrotask(fn);
    return () => {
      if (this.unaskedListener === fn) this.unaskedListener = null;
    };
  }

  /** What made the channel unusable, or a description of what the server sent unasked. */
  unaskedReason(phase: string): CapacityError {
    if (this.failure) return this.failure;
    if (this.pending.length > 0) {
      const s = this.pending.readInt8(0);
      if (s === STATE.SERVER_TERMINATE || s === STATE.SERVER_ERROR) {
        return new CapacityError('capacity.server-error', `${this.where} ended the test while ${phase} (${stateName(s)}).`, { where: this.where, phase, state: s });
      }
      return new CapacityError('capacity.protocol', `${this.where} sent ${stateName(s)} while ${phase}, when iperf3 sends nothing.`, { where: this.where, phase, state: s });
    }
    return new CapacityError('capacity.closed', `${this.where} closed the control connection while ${phase}.`, { where: this.where, phase });
  }

  close(): void {
    this.ended = true;
    this.sock.destroy();
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      clearTimeout(w.timer);
      w.reject(new CapacityError('capacity.closed', `The control connection to ${this.where} was closed while ${w.phase}.`, { where: this.where, phase: w.phase }));
    }
  }

  private onData(chunk: Buffer): void {
    if (this.failure) return;
    if (this.pending.length + chunk.length > MAX_PENDING) {
      // Keep what fits (a read waiting for it may explain the flood better, e.g. an absurd JSON length), then stop.
      const phase = this.waiter?.phase ?? 'idle';
      this.pending = Buffer.concat([this.pending, chunk.subarray(0, MAX_PENDING - this.pending.length)]);
      this.sock.pause();
      this.pump();
      setImmediate(() => this.fail(new CapacityError('capacity.protocol', `${this.where} sent more than ${MAX_PENDING} bytes nobody asked for; a stock iperf3 server never does. Stopped reading.`, { where: this.where, phase })));
      return;
    }
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    this.pump();
    if (this.pending.length > 0 && !this.waiter) this.unaskedListener?.();
  }

  private onEnd(): void {
    if (this.ended) return;
    this.ended = true;
    this.pump();
    this.unaskedListener?.();
  }

  private fail(err: CapacityError): void {
    if (this.failure) return;
    this.failure = err;
    this.pending = Buffer.alloc(0);
    this.ended = true;
    this.sock.destroy();
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      clearTimeout(w.timer);
      w.reject(err);
    }
    this.unaskedListener?.();
  }

  private pump(): void {
    const w = this.waiter;
    if (!w) return;
    if (this.failure) {
      this.waiter = null;
      clearTimeout(w.timer);
      w.reject(this.failure);
      return;
    }
    if (this.pending.length < w.n) {
      if (!this.ended) return;
      this.waiter = null;
      clearTimeout(w.timer);
      w.reject(new CapacityError('capacity.closed', `${this.where} closed the control connection while ${w.phase}.`, { where: this.where, phase: w.phase }));
      return;
    }
    const out = Buffer.from(this.pending.subarray(0, w.n));
    this.pending = this.pending.subarray(w.n);
    this.waiter = null;
    clearTimeout(w.timer);
    w.resolve(out);
  }
}
