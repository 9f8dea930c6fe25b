// The lab's UDP relay: sits in the WireGuard path (path namespace) between the artist and the gateway.
// Environment: plain Node, no dependencies (started as its own process inside a namespace by `relay-control.ts`).
//
//   node relay.mjs --listen 172.30.1.1:51820 --to 172.31.1.2:51820 --control /run/longhaul-lab/1/relay.json
//
// Faults (read from the control file at start and on SIGHUP):
//   rttMs     delay every datagram by rttMs/2 in each direction (tc netem is not available here)
//   capBytes  drop, silently and in both directions, every datagram whose outer IPv4 size (UDP payload + 20 IP + 8 UDP)
//             exceeds capBytes: no ICMP "fragmentation needed" comes back — a path-MTU blackhole. 0 = no cap.
//   block     drop everything (UDP blocked on the path)
// Counters are written to <control>.stats.json (atomically) after changes, throttled, and at once on SIGUSR2.
import dgram from 'node:dgram';
import fs from 'node:fs';

const IPV4_UDP_OVERHEAD = 28;

function arg(name) {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0 || i + 1 >= process.argv.length) throw new Error(`relay: missing --${name}`);
  return process.argv[i + 1];
}
function hostPort(text) {
  const at = text.lastIndexOf(':');
  return { host: text.slice(0, at), port: Number(text.slice(at + 1)) };
}

const listen = hostPort(arg('listen'));
const upstream = hostPort(arg('to'));
const controlFile = arg('control');
const statsFile = `${controlFile.replace(/\.json$/, '')}.stats.json`;

let config = { rttMs: 0, capBytes: 0, block: false, generation: 0 };
const stats = { toGateway: 0, toArtist: 0, droppedOversize: 0, droppedBlocked: 0, largestForwarded: 0, clients: 0, generation: -1, flushes: 0 };

function writeStats() {
  const tmp = `${statsFile}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(stats));
  fs.renameSync(tmp, statsFile);
}
let statsTimer = null;
function bump() {
  if (statsTimer) return;
  statsTimer = setTimeout(() => {
    statsTimer = null;
    writeStats();
  }, 100);
}

function readControl() {
  try {
    const c = JSON.parse(fs.readFileSync(controlFile, 'utf8'));
    config = {
      rttMs: Math.max(0, Number(c.rttMs) || 0),
      capBytes: Math.max(0, Number(c.capBytes) || 0),
      block: c.block === true,
      generation: Number(c.generation) || 0,
    };
  } catch (err) {
    process.stderr.write(`relay: cannot read ${controlFile}: ${err.message}\n`);
  }
  process.stderr.write(`relay: config ${JSON.stringify(config)}\n`);
}
readControl();
process.on('SIGHUP', () => {
  readControl();
  // The acknowledgement configureRelay() waits for: the generation it wrote, now in force.
  stats.generation = config.generation;
  writeStats();
});

/** true = forward. */
function admit(msg) {
  if (config.block) {
    stats.droppedBlocked++;
    bump();
    return false;
  }
  if (config.capBytes > 0 && msg.length + IPV4_UDP_OVERHEAD > config.capBytes) {
    stats.droppedOversize++;
    bump();
    return false;
  }
  stats.largestForwarded = Math.max(stats.largestForwarded, msg.length + IPV4_UDP_OVERHEAD);
  return true;
}
function later(fn) {
  const half = config.rttMs / 2;
  if (half > 0) setTimeout(fn, half);
  else fn();
}

// 4 MiB socket buffers (the kernel clamps to net.core.rmem_max/wmem_max): with the 208 KB default, the relay itself
// drops the per-frame bursts of a stream-shaped capacity test above ~40 Mbit/s, before any shaped link does.
const BUFFERS = { recvBufferSize: 4 * 1024 * 1024, sendBufferSize: 4 * 1024 * 1024 };
const front = dgram.createSocket({ type: 'udp4', ...BUFFERS });
/** One upstream socket per artist source address, so the gateway sees each client as its own endpoint. */
const clients = new Map();

function upstreamFor(rinfo) {
  const key = `${rinfo.address}:${rinfo.port}`;
  let sock = clients.get(key);
  if (sock) return sock;
  sock = dgram.createSocket({ type: 'udp4', ...BUFFERS });
  sock.on('message', (msg) => {
    if (!admit(msg)) return;
    later(() => front.send(msg, rinfo.port, rinfo.address));
    stats.toArtist++;
    bump();
  });
  sock.on('error', (err) => process.stderr.write(`relay: upstream ${key}: ${err.message}\n`));
  sock.bind(0);
  clients.set(key, sock);
  stats.clients = clients.size;
  return sock;
}

front.on('message', (msg, rinfo) => {
  const sock = upstreamFor(rinfo);
  if (!admit(msg)) return;
  later(() => sock.send(msg, upstream.port, upstream.host));
  stats.toGateway++;
  bump();
});
front.on('error', (err) => {
  process.stderr.write(`relay: ${err.message}\n`);
  process.exit(1);
});
front.bind(listen.port, listen.host, () => {
  process.stderr.write(`relay: listening on ${listen.host}:${listen.port} → ${upstream.host}:${upstream.port}\n`);
  stats.generation = config.generation;
  writeStats();
});
// SIGUSR2: write the counters now (relayStats() waits for `flushes` to move).
process.on('SIGUSR2', () => {
  stats.flushes++;
  writeStats();
});
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0));
