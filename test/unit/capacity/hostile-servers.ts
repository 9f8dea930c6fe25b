/**
 * HOSTILE iperf3 servers for the capacity client's unit tests: small real loopback TCP + UDP servers, written here,
 * that speak as much of iperf3's protocol as a test needs and then misbehave on purpose (lie, flood, go silent,
 * close). They are not stand-ins for iperf3's good path — that is tested against the real `iperf3 -s` in the lab
 * (test/lab/capacity.test.ts). Environment: plain Node (node:net, node:dgram), loopback only.
 */
import * as dgram from 'node:dgram';
import * as net from 'node:net';

export interface HostileConn {
  sock: net.Socket;
  udp: dgram.Socket;
  read(n: number): Promise<Buffer>;
  write(bytes: Buffer | number[]): void;
  state(s: number): void;
  readJson(): Promise<Record<string, unknown>>;
  writeJson(value: unknown): void;
  /** The client's UDP address, from its first datagram (iperf_udp_accept learns it the same way). */
  udpPeer(): Promise<dgram.RemoteInfo>;
  /** iperf3-format datagrams 1..count (or the given counts), `size` bytes each. */
  sendData(peer: dgram.RemoteInfo, counts: number[], size?: number): Promise<void>;
}

export interface HostileServer {
  port: number;
  /** Control connections accepted so far. */
  connections: number;
  /** Bytes the server managed to write (for floods). */
  written: number;
  close(): Promise<void>;
}

export type Behaviour = (c: HostileConn, server: HostileServer) => Promise<void>;

export async function hostileServer(behaviour: Behaviour): Promise<HostileServer> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const tcp = net.createServer();
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
    const port = (tcp.address() as net.AddressInfo).port;
    const udp = dgram.createSocket('udp4');
    const ok = await new Promise<boolean>((r) => {
      udp.once('error', () => r(false));
      udp.bind(port, '127.0.0.1', () => r(true));
    });
    if (!ok) {
      await new Promise((r) => tcp.close(r));
      continue;
    }
    const socks = new Set<net.Socket>();
    const server: HostileServer = {
      port,
      connections: 0,
      written: 0,
      close: async () => {
        for (const s of socks) s.destroy();
        await new Promise((r) => tcp.close(r));
        try {
          udp.close();
        } catch {}
      },
    };
    const udpWaiters: ((r: dgram.RemoteInfo) => void)[] = [];
    let lastPeer: dgram.RemoteInfo | null = null;
    udp.on('message', (_m, rinfo) => {
      lastPeer = rinfo;
      for (const w of udpWaiters.splice(0)) w(rinfo);
    });
    tcp.on('connection', (sock) => {
      socks.add(sock);
      server.connections++;
      // Each test sets up its own UDP stream (a new client socket): wait for its datagram, not the last test's.
      lastPeer = null;
      sock.on('error', () => {});
      let buf = Buffer.alloc(0);
      let want: { n: number; resolve: (b: Buffer) => void; reject: (e: Error) => void } | null = null;
      const pump = () => {
        if (want && buf.length >= want.n) {
          const w = want;
          want = null;
          const out = buf.subarray(0, w.n);
          buf = buf.subarray(w.n);
          w.resolve(out);
        }
      };
      sock.on('data', (d) => {
        buf = Buffer.concat([buf, d]);
        pump();
      });
      sock.on('close', () => want?.reject(new Error('client closed')));
      const conn: HostileConn = {
        sock,
        udp,
        read: (n) =>
          new Promise((resolve, reject) => {
            want = { n, resolve, reject };
            pump();
          }),
        write: (bytes) => {
          const b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.map((x) => x & 0xff));
          if (!sock.destroyed) sock.write(b);
          server.written += b.length;
        },
        state: (s) => conn.write([s]),
        readJson: async () => {
          const len = (await conn.read(4)).readUInt32BE(0);
          return JSON.parse((await conn.read(len)).toString('utf8')) as Record<string, unknown>;
        },
        writeJson: (v) => {
          const body = Buffer.from(JSON.stringify(v));
          const head = Buffer.alloc(4);
          head.writeUInt32BE(body.length);
          conn.write(Buffer.concat([head, body]));
        },
        udpPeer: () => (lastPeer ? Promise.resolve(lastPeer) : new Promise((r) => udpWaiters.push(r))),
        sendData: async (peer, counts, size = 1040) => {
          for (let i = 0; i < counts.length; i++) {
            const b = Buffer.alloc(size);
            const now = process.hrtime.bigint();
            b.writeUInt32BE(Number(now / 1_000_000_000n) >>> 0, 0);
            b.writeUInt32BE(Number((now / 1000n) % 1_000_000n), 4);
            b.writeUInt32BE(counts[i]! >>> 0, 8);
            await new Promise<void>((r) => udp.send(b, peer.port, peer.address, () => r()));
            if (i % 20 === 19) await new Promise((r) => setImmediate(r));
          }
        },
      };
      behaviour(conn, server).catch(() => sock.destroy());
    });
    return server;
  }
  throw new Error('could not bind a TCP and UDP port pair on 127.0.0.1');
}

/** The stock server's side up to the running test: cookie → PARAM_EXCHANGE → params → CREATE_STREAMS → UDP reply →
 * TEST_START, TEST_RUNNING. Returns the client's UDP address and the parameters it sent. */
export async function playUntilRunning(c: HostileConn): Promise<{ peer: dgram.RemoteInfo; params: Record<string, unknown> }> {
  await c.read(37);
  c.state(9);
  const params = await c.readJson();
  c.state(10);
  const peer = await c.udpPeer();
  c.udp.send(Buffer.from([0x36, 0x37, 0x38, 0x39]), peer.port, peer.address);
  c.state(1);
  c.state(2);
  return { peer, params };
}

/** The stock server's side from TEST_END to IPERF_DONE, claiming it sent `packets` datagrams of `size` bytes. */
export async function playResults(c: HostileConn, packets: number, size = 1040): Promise<void> {
  const end = await c.read(1);
  if (end[0] !== 4) throw new Error(`expected TEST_END, got ${end[0]}`);
  c.state(13);
  await c.readJson();
  c.writeJson({ cpu_util_total: 1, cpu_util_user: 0.5, cpu_util_system: 0.5, sender_has_retransmits: 0, streams: [{ id: 1, bytes: packets * size, retransmits: -1, jitter: 0, errors: 0, packets, start_time: 0, end_time: 0.5 }] });
  c.state(14);
  await c.read(1);
}

export function counts(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}
