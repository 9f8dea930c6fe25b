#!/usr/bin/env node
/**
 * sunshine-standin: a STAND-IN for LizardByte Sunshine's unauthenticated HTTP side, for tests and the lab.
 * It is not Sunshine. It serves what Longhaul talks to, with Sunshine's real rules:
 *  - `GET /serverinfo` on the HTTP port (default 47989) with the field layout of Sunshine's `src/nvhttp.cpp`
 *    (order as in the recording test/fixtures/samples/any-sunshine-serverinfo-xml-truncated.txt; `SupportedDisplayMode`
 *    dropped as in v2025.118.151840+; over HTTP `PairStatus` is 0 and `mac` is zeros);
 *  - `POST /api/pin` with JSON `{"pin": "NNNN", "name": "..."}` (4 digits), Basic auth when --credentials is given,
 *    `Content-Type: application/json`. Real Sunshine serves this on the web UI port (47990, HTTPS); the stand-in serves
 *    it on the HTTP port too (plain HTTP on loopback/lab only).
 *  - `GET /pair?uniqueid=…&phrase=getservercert…` waits with no timeout for the PIN, like Sunshine's first pairing
 *    step; a PIN completes the FIRST pending pairing. The stand-in answers `<paired>1</paired>` when the client's
 *    `pin` query value (stand-in only: the real protocol proves the PIN with salted hashes) matches, else 0.
 *  - `GET /standin/applist?uniqueid=…` (stand-in only; the real app list is HTTPS with the paired certificate):
 *    401 until that uniqueid has paired, then the app titles as JSON.
 *
 * Usage: sunshine-standin.mjs [--address 127.0.0.2] [--port 47989] [--hostname NAME] [--codec-mask 8323841]
 *          [--busy] [--hevc off] [--credentials user:pass] [--also-listen 47984,48010] [--apps Desktop,Blender]
 *          [--uniqueid UUID] [--state FILE]
 * Prints `sunshine-standin listening ADDRESS:PORT` on stdout once every socket is bound. SIGTERM stops it.
 * `--state FILE` (JSON) persists paired client ids and PINs received (for tests).
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import { randomUUID } from 'node:crypto';

function parseArgs(argv) {
  const o = {
    address: '127.0.0.1',
    port: 47989,
    hostname: 'farm-ws-standin',
    codecMask: 8323841,
    busy: false,
    hevc: true,
    credentials: null,
    alsoListen: [],
    apps: ['Desktop', 'Steam Big Picture'],
    uniqueid: randomUUID().toUpperCase(),
    state: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) fail(`missing value after ${a}`);
      return v;
    };
    switch (a) {
      case '--address': o.address = next(); break;
      case '--port': o.port = int(next(), a); break;
      case '--hostname': o.hostname = next(); break;
      case '--codec-mask': o.codecMask = int(next(), a); break;
      case '--busy': o.busy = true; break;
      case '--hevc': o.hevc = next() !== 'off'; break;
      case '--credentials': o.credentials = next(); break;
      case '--also-listen': o.alsoListen = next().split(',').filter(Boolean).map((p) => int(p, a)); break;
      case '--apps': o.apps = next().split(',').filter(Boolean); break;
      case '--uniqueid': o.uniqueid = next(); break;
      case '--state': o.state = next(); break;
      default: fail(`unknown option ${a}`);
    }
  }
  return o;
}
function int(v, name) {
  if (!/^\d+$/.test(v)) fail(`${name}: not a number: ${v}`);
  return Number(v);
}
function fail(msg) {
  process.stderr.write(`sunshine-standin: ${msg}\n`);
  process.exit(2);
}

const opts = parseArgs(process.argv.slice(2));
const state = { paired: [], pins: [] };
if (opts.state && fs.existsSync(opts.state)) Object.assign(state, JSON.parse(fs.readFileSync(opts.state, 'utf8')));
function saveState() {
  if (!opts.state) return;
  const tmp = `${opts.state}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify(state));
  fs.renameSync(tmp, opts.state);
}

/** Pending `/pair` requests, oldest first: a PIN completes the first one. */
const pending = [];

function xmlEscape(s) {
  return String(s).replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]);
}

function serverinfo(localIp) {
  const currentgame = opts.busy ? 1 : 0;
  const fields = [
    ['hostname', opts.hostname],
    ['appversion', '7.1.431.-1'],
    ['GfeVersion', '3.23.0.74'],
    ['uniqueid', opts.uniqueid],
    ['HttpsPort', opts.port - 5],
    ['ExternalPort', opts.port],
    ['mac', '00:00:00:00:00:00'],
    ['MaxLumaPixelsHEVC', opts.hevc ? '1869449984' : '0'],
    ['LocalIP', localIp],
    ['ServerCodecModeSupport', opts.codecMask],
    ['PairStatus', 0],
    ['currentgame', currentgame],
    ['state', currentgame > 0 ? 'SUNSHINE_SERVER_BUSY' : 'SUNSHINE_SERVER_FREE'],
  ];
  const body = fields.map(([k, v]) => `<${k}>${xmlEscape(v)}</${k}>`).join('');
  return `<?xml version="1.0" encoding="utf-8"?>\n<root status_code="200">${body}</root>\n`;
}

function send(res, status, type, body) {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function authorised(req) {
  if (!opts.credentials) return true;
  const h = req.headers.authorization ?? '';
  return h === `Basic ${Buffer.from(opts.credentials).toString('base64')}`;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let len = 0;
    req.on('data', (c) => {
      len += c.length;
      if (len > 64 * 1024) reject(new Error('body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://standin');
  try {
    if (req.method === 'GET' && url.pathname === '/serverinfo') {
      return send(res, 200, 'application/xml', serverinfo(req.socket.localAddress?.replace(/^::ffff:/, '') ?? opts.address));
    }
    if (req.method === 'POST' && url.pathname === '/api/pin') {
      if (!authorised(req)) {
        res.setHeader('WWW-Authenticate', 'Basic realm="Sunshine Gamestream Host", charset="UTF-8"');
        return send(res, 401, 'application/json', JSON.stringify({ status_code: 401, status: false, error: 'Unauthorized' }));
      }
      if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
        return send(res, 400, 'application/json', JSON.stringify({ status_code: 400, status: false, error: 'Content-Type must be application/json' }));
      }
      let doc;
      try {
        doc = JSON.parse(await readBody(req));
      } catch {
        return send(res, 400, 'application/json', JSON.stringify({ status_code: 400, status: false, error: 'Invalid JSON' }));
      }
      const pin = typeof doc.pin === 'string' ? doc.pin : '';
      if (!/^\d{4}$/.test(pin)) return send(res, 400, 'application/json', JSON.stringify({ status_code: 400, status: false, error: 'Pin must be 4 digits' }));
      state.pins.push({ pin, name: typeof doc.name === 'string' ? doc.name : '' });
      const first = pending.shift();
      let ok = false;
      if (first) {
        ok = first.pin === pin;
        if (ok && !state.paired.includes(first.uniqueid)) state.paired.push(first.uniqueid);
        first.finish(ok);
      }
      saveState();
      return send(res, 200, 'application/json', JSON.stringify({ status: ok }));
    }
    if (req.method === 'GET' && url.pathname === '/pair') {
      const uniqueid = url.searchParams.get('uniqueid') ?? '';
      const pin = url.searchParams.get('pin') ?? '';
      if (!uniqueid) return send(res, 400, 'application/xml', '<root status_code="400" status_message="missing uniqueid"/>');
      const entry = {
        uniqueid,
        pin,
        finish(ok) {
          send(res, 200, 'application/xml', `<?xml version="1.0" encoding="utf-8"?>\n<root status_code="200"><paired>${ok ? 1 : 0}</paired></root>\n`);
        },
      };
      pending.push(entry);
      req.on('close', () => {
        const i = pending.indexOf(entry);
        if (i >= 0) pending.splice(i, 1);
      });
      return undefined; // waits for POST /api/pin, no timeout (as Sunshine's getservercert step)
    }
    if (req.method === 'GET' && url.pathname === '/standin/applist') {
      const uniqueid = url.searchParams.get('uniqueid') ?? '';
      if (!state.paired.includes(uniqueid)) return send(res, 401, 'application/json', JSON.stringify({ error: 'not paired' }));
      return send(res, 200, 'application/json', JSON.stringify({ apps: opts.apps }));
    }
    return send(res, 404, 'text/plain', 'Not Found');
  } catch (err) {
    return send(res, 500, 'text/plain', String(err));
  }
});

const extra = opts.alsoListen.map((port) => net.createServer((sock) => sock.end()).once('error', onError).listen(port, opts.address));
function onError(err) {
  fail(`${err.code ?? ''} ${err.message}`);
}
server.once('error', onError);
server.listen(opts.port, opts.address, () => {
  let waiting = extra.length;
  const ready = () => process.stdout.write(`sunshine-standin listening ${opts.address}:${opts.port}\n`);
  if (waiting === 0) ready();
  for (const s of extra) {
    if (s.listening) {
      if (--waiting === 0) ready();
    } else {
      s.once('listening', () => {
        if (--waiting === 0) ready();
      });
    }
  }
});
function stop() {
  for (const p of pending.splice(0)) p.finish(false);
  server.close();
  server.closeAllConnections?.();
  for (const s of extra) s.close();
  setTimeout(() => process.exit(0), 200).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
