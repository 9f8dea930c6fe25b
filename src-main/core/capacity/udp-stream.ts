/**
 * The artist's end of one iperf3 UDP stream in reverse mode: a socket bound to an ephemeral port and connected to the
 * server's address and port (so the kernel drops datagrams from anyone else), the `iperf_udp_connect` handshake, and
 * every datagram handed to the step's accounting. Environment: plain Node (node:dgram).
 */
import * as dgram from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { CapacityError } from './errors';
import { isUdpConnectReply, UDP_CONNECT_MSG, UDP_HEADER_BYTES } from './protocol';
import type { UdpAccounting } from './udp-accounting';

/** Asked of the kernel; Linux grants up to twice net.core.rmem_max. Frame bursts must not overflow it. */
const RECV_BUFFER_BYTES = 8 * 1024 * 1024;

export class UdpStream {
  private accounting: UdpAccounting | null = null;
  private connected = false;
  private lastMessageAt = 0;
  private closed = false;
  private onConnected: (() => void) | null = null;
  private onBroken: ((err: CapacityError) => void) | null = null;

  private constructor(
    private readonly sock: dgram.Socket,
    readonly where: string,
  ) {
    sock.on('message', (msg) => this.onMessage(msg));
    sock.on('error', (err: NodeJS.ErrnoException) => {
      // ECONNREFUSED: ICMP port unreachable for our connect datagram (no UDP listener yet, or none at all).
      if (err.code === 'ECONNREFUSED' && !this.connected) return;
      this.onBroken?.(new CapacityError('capacity.no-data', `The UDP stream from ${this.where} failed: ${err.code ?? err.message}.`, { where: this.where, phase: 'UDP stream', error: err.code ?? err.message }));
    });
  }

  /** A socket connected to `address:port` (an IP address: the control connection's remote address). */
  static open(address: string, port: number, family: 'IPv4' | 'IPv6'): Promise<UdpStream> {
    const where = `${address}:${port}`;
    return new Promise((resolve, reject) => {
      const sock = dgram.createSocket({ type: family === 'IPv6' ? 'udp6' : 'udp4', recvBufferSize: RECV_BUFFER_BYTES });
      sock.once('error', (err: NodeJS.ErrnoException) => {
        sock.close();
        reject(new CapacityError('capacity.unreachable', `Cannot open a UDP socket toward ${where}: ${err.code ?? err.message}.`, { where, phase: 'UDP open' }));
      });
      sock.bind(0, () => {
        sock.connect(port, address, () => {
          sock.removeAllListeners('error');
          resolve(new UdpStream(sock, where));
        });
      });
    });
  }

  /** From now on, datagrams go to `acc`. */
  countInto(acc: UdpAccounting): void {
    this.accounting = acc;
  }

  /**
   * `iperf_udp_connect`: send UDP_CONNECT_MSG until the server's reply (or its first data datagram: in reverse mode
   * the server may start sending right behind the reply) arrives. Resent every `resendMs`, because UDP may lose it.
   */
  handshake(deadlineAt: number, resendMs: number): Promise<void> {
    if (this.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const send = () => {
        if (!this.closed) this.sock.send(UDP_CONNECT_MSG);
      };
      const resend = setInterval(send, Math.max(20, resendMs));
      const timer = setTimeout(() => {
        done();
        reject(new CapacityError('capacity.no-data', `${this.where} never answered the UDP stream set-up (iperf_udp_connect) before the deadline: UDP between the farm and this machine is blocked, or the server does not send.`, { where: this.where, phase: 'UDP connect' }));
      }, Math.max(0, deadlineAt - performance.now()));
      const done = () => {
        clearInterval(resend);
        clearTimeout(timer);
        this.onConnected = null;
        this.onBroken = null;
      };
      this.onConnected = () => {
        done();
        resolve();
      };
      this.onBroken = (err) => {
        done();
        reject(err);
      };
      send();
    });
  }

  /** Report socket failures during the data phase. */
  watch(onBroken: (err: CapacityError) => void): void {
    this.onBroken = onBroken;
  }

  /** Resolve once no datagram arrived for `quietMs` (the tail of the step drained), or at `maxWaitMs`. */
  async quiet(quietMs: number, maxWaitMs: number): Promise<void> {
    const until = performance.now() + maxWaitMs;
    for (;;) {
      const now = performance.now();
      if (now >= until || now - this.lastMessageAt >= quietMs) return;
      await new Promise((r) => setTimeout(r, Math.min(quietMs, until - now)));
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onConnected = null;
    this.onBroken = null;
    try {
      this.sock.close();
    } catch {}
  }

  private onMessage(msg: Buffer): void {
    const arrival = performance.now() / 1000;
    this.lastMessageAt = arrival * 1000;
    if (msg.length === 4) {
      if (isUdpConnectReply(msg)) {
        this.markConnected();
        return;
      }
      // Only a reply is 4 bytes long: anything else before the stream is up is a server that does not speak iperf3.
      if (!this.connected) {
        this.onBroken?.(new CapacityError('capacity.protocol', `${this.where} answered the UDP stream set-up with 0x${msg.toString('hex')}, not iperf3's UDP_CONNECT_REPLY.`, { where: this.where, phase: 'UDP connect' }));
      }
      return;
    }
    if (msg.length >= UDP_HEADER_BYTES) this.markConnected();
    this.accounting?.onPacket(msg, arrival);
  }

  private markConnected(): void {
    if (this.connected) return;
    this.connected = true;
    this.onConnected?.();
  }
}
