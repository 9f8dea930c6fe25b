/**
 * Real loopback servers that misbehave the way a hostile or broken host does (issue 13), for the deadline tests of
 * every client Longhaul has (core/platform/net-client.ts and its callers). Plain TCP, or TLS when a certificate is
 * given (the misbehaviour then starts after the handshake). Environment: plain Node (tests only).
 *
 *  - never-accepts         the listen queue is full, so SYNs are dropped: connect() hangs (a listener in a worker
 *                          thread whose event loop is blocked, backlog 1, queue filled by two idle connections);
 *  - silent                accepts, reads the request, never writes a byte;
 *  - trickle               writes an HTTP status line and an endless header one byte at a time (every `everyMs`);
 *  - headers-then-silence  complete headers (Content-Length 1 MB), then nothing;
 *  - headers-then-trickle  complete headers, then one body byte at a time;
 *  - endless-body          complete headers (chunked), then body as fast as the client reads it, forever;
 *  - closes-mid-answer     complete headers (Content-Length 1 MB), 10 body bytes, then closes.
 */
import * as net from 'node:net';
import * as tls from 'node:tls';
import { Worker } from 'node:worker_threads';

export type Misbehaviour = 'never-accepts' | 'silent' | 'trickle' | 'headers-then-silence' | 'headers-then-trickle' | 'endless-body' | 'closes-mid-answer';

export const MISBEHAVIOURS: readonly Misbehaviour[] = ['never-accepts', 'silent', 'trickle', 'headers-then-silence', 'headers-then-trickle', 'endless-body', 'closes-mid-answer'];

export interface MisbehavingServer {
  port: number;
  /** Connections accepted so far (never-accepts: the two that fill the queue are not counted). */
  accepted(): number;
  close(): Promise<void>;
}

export interface MisbehaviourOptions {
  /** TLS certificate (PEM) to serve with; plain TCP without. */
  tls?: { key: string; cert: string };
  /** Interval of the trickles (default 2000 ms, the "one byte every 2 s"). */
  everyMs?: number;
}

const STATUS = 'HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\n';

export async function startMisbehavingServer(kind: Misbehaviour, opts: MisbehaviourOptions = {}): Promise<MisbehavingServer> {
  if (kind === 'never-accepts') return startNeverAccepts();
  const everyMs = opts.everyMs ?? 2000;
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  const onConnection = (sock: net.Socket) => {
    accepted++;
    sockets.add(sock);
    const timers: NodeJS.Timeout[] = [];
    let gone = false;
    sock.on('error', () => {});
    sock.on('close', () => {
      gone = true;
      sockets.delete(sock);
      for (const t of timers) clearInterval(t);
    });
    sock.resume(); // read and drop the request
    const write = (s: string) => {
      if (!gone) sock.write(s);
    };
    const dripping = (text: () => string) => {
      write(text());
      timers.push(setInterval(() => write(text()), everyMs));
    };
    switch (kind) {
      case 'silent':
        break;
      case 'trickle': {
        const head = `${STATUS}X-Padding: `;
        let i = 0;
        dripping(() => (i < head.length ? head[i++]! : 'a'));
        break;
      }
      case 'headers-then-silence':
        write(`${STATUS}Content-Length: 1000000\r\n\r\n`);
        break;
      case 'headers-then-trickle':
        write(`${STATUS}Content-Length: 1000000\r\n\r\n`);
        timers.push(setInterval(() => write('x'), everyMs));
        break;
      case 'endless-body': {
        write(`${STATUS}Transfer-Encoding: chunked\r\n\r\n`);
        const body = '<a>'.repeat(5000);
        const frame = `${body.length.toString(16)}\r\n${body}\r\n`;
        const pump = () => {
          while (!gone && sock.write(frame));
          if (!gone) sock.once('drain', pump);
        };
        pump();
        break;
      }
      case 'closes-mid-answer':
        write(`${STATUS}Content-Length: 1000000\r\n\r\n0123456789`);
        setTimeout(() => sock.destroy(), 50);
        break;
    }
  };
  const server = opts.tls ? tls.createServer({ key: opts.tls.key, cert: opts.tls.cert }, onConnection) : net.createServer(onConnection);
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    accepted: () => accepted,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A listener in a worker thread that blocks its own event loop: it never accepts, and once two connections wait in its
 * queue (backlog 1) the kernel drops further SYNs, so a client's connect() hangs as behind a silent firewall. */
async function startNeverAccepts(): Promise<MisbehavingServer> {
  const wake = new SharedArrayBuffer(4);
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const net = require('node:net');
    const s = net.createServer();
    s.listen({ host: '127.0.0.1', port: 0, backlog: 1 }, () => {
      parentPort.postMessage(s.address().port);
      Atomics.wait(new Int32Array(workerData), 0, 0);
      s.close();
      process.exit(0);
    });`;
  const worker = new Worker(code, { eval: true, workerData: wake });
  const port = await new Promise<number>((resolve) => worker.once('message', resolve));
  const fillers: net.Socket[] = [];
  for (let i = 0; i < 8; i++) {
    const s = net.connect(port, '127.0.0.1');
    s.on('error', () => {});
    fillers.push(s);
    const connected = await new Promise<boolean>((resolve) => {
      const t = setTimeout(() => resolve(false), 500);
      s.once('connect', () => {
        clearTimeout(t);
        resolve(true);
      });
    });
    if (!connected) break; // the queue is full: this SYN was dropped, and so will the client's be
  }
  return {
    port,
    accepted: () => 0,
    close: async () => {
      for (const s of fillers) s.destroy();
      const flag = new Int32Array(wake);
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
      await new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    },
  };
}
