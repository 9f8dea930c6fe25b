/**
 * Probe a Sunshine host: resolve it, TCP-connect to 47984 (HTTPS), 47989 (HTTP) and 48010 (RTSP) — offsets −5/0/+21
 * of the base port — and read `GET http://HOST:47989/serverinfo`. Environment: plain Node. Fact sheet §6.
 * Results: `unreachable` (no name, or nothing answers at all), `not-listening` (the machine answers — a port refuses
 * or another is open — but nothing serves 47989), `not-sunshine` (47989 answers something that is not /serverinfo
 * XML), `busy` (SUNSHINE_SERVER_BUSY: an app is already streaming), `ok`. A TCP check proves nothing about UDP
 * 47998–48000.
 */
import * as dns from 'node:dns/promises';
import * as http from 'node:http';
import * as net from 'node:net';
import { randomUUID } from 'node:crypto';
import type { ProbeResultView } from '../../contract/stream';
import { hostSupportsHdr, hostSupportsYuv444 } from './codecs';
import { parseServerInfo, ServerInfoError, type ServerInfo } from './serverinfo';
import { tcpConnect, type TcpResult } from './tcp';

export const SUNSHINE_HTTP_PORT = 47989;
export const sunshinePorts = (base = SUNSHINE_HTTP_PORT) => ({ https: base - 5, http: base, rtsp: base + 21 });

export interface ProbeOptions {
  httpPort?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface ProbeResult extends ProbeResultView {
  tcp: TcpResult[];
  info: ServerInfo | null;
}

const MAX_BODY = 1024 * 1024;

export function httpGet(address: string, port: number, pathAndQuery: string, timeoutMs: number, signal?: AbortSignal): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: address, port, path: pathAndQuery, timeout: timeoutMs, signal, headers: { Accept: '*/*' } }, (res) => {
      const chunks: Buffer[] = [];
      let len = 0;
      res.on('data', (c: Buffer) => {
        len += c.length;
        if (len > MAX_BODY) req.destroy(new Error('the answer is larger than 1 MiB'));
        else chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

async function resolveAddress(host: string): Promise<string> {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (net.isIP(bare)) return bare;
  const r = await dns.lookup(bare);
  return r.address;
}

function view(host: string, address: string | null, result: ProbeResult['result'], detail: string, tcp: TcpResult[], info: ServerInfo | null): ProbeResult {
  const ports: Record<string, boolean> = {};
  for (const t of tcp) ports[String(t.port)] = t.outcome === 'open';
  return {
    host,
    address,
    result,
    detail,
    ports,
    tcp,
    info,
    serverinfo: info && {
      hostname: info.hostname,
      appversion: info.appversion,
      state: info.state,
      httpsPort: info.httpsPort,
      externalPort: info.externalPort,
      uniqueid: info.uniqueid,
      localIp: info.localIp,
      codecMask: info.codecMask,
      codecs: info.codecs,
      flavor: info.flavor,
      busy: info.busy,
    },
    badges: {
      yuv444: info ? hostSupportsYuv444(info.codecs, 'auto') : false,
      hdr: info ? hostSupportsHdr(info.codecs, 'auto', false) : false,
      av1: info ? info.codecs.includes('AV1 Main8') : false,
    },
  };
}

export async function probeSunshine(host: string, opts: ProbeOptions = {}): Promise<ProbeResult> {
  const timeoutMs = opts.timeoutMs ?? 3000;
  const p = sunshinePorts(opts.httpPort);
  let address: string;
  try {
    address = await resolveAddress(host);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    const tcp = [p.https, p.http, p.rtsp].map((port) => ({ port, outcome: 'error' as const, error: 'name does not resolve' }));
    return view(host, null, 'unreachable', `${host} does not resolve (${code}).`, tcp, null);
  }
  const tcp = await Promise.all([p.https, p.http, p.rtsp].map((port) => tcpConnect(address, port, timeoutMs, opts.signal)));
  const httpPort = tcp[1]!;
  if (httpPort.outcome !== 'open') {
    const answers = tcp.some((t) => t.outcome === 'open' || t.outcome === 'refused');
    if (!answers) {
      const why = tcp.map((t) => `${t.port} ${t.outcome}`).join(', ');
      return view(host, address, 'unreachable', `${host} (${address}) does not answer on TCP (${why}).`, tcp, null);
    }
    return view(host, address, 'not-listening', `${host} answers, but nothing listens on TCP ${p.http} (${httpPort.outcome}): Sunshine is not running.`, tcp, null);
  }
  let info: ServerInfo;
  try {
    const res = await httpGet(address, p.http, `/serverinfo?uniqueid=0123456789ABCDEF&uuid=${randomUUID().replace(/-/g, '')}`, timeoutMs, opts.signal);
    if (res.status !== 200) return view(host, address, 'not-sunshine', `GET /serverinfo answered HTTP ${res.status}: not a Sunshine/GameStream host.`, tcp, null);
    info = parseServerInfo(res.body);
  } catch (err) {
    const why = err instanceof ServerInfoError ? err.message : `GET /serverinfo failed: ${(err as Error).message}`;
    return view(host, address, 'not-sunshine', `${host} port ${p.http} is open but is not a Sunshine/GameStream host (${why}).`, tcp, null);
  }
  if (info.busy) return view(host, address, 'busy', `${info.hostname} is streaming to someone (state ${info.state ?? 'busy'}).`, tcp, info);
  return view(host, address, 'ok', `${info.hostname} runs ${info.flavor === 'sunshine' ? 'Sunshine' : 'a GameStream host'} (${info.appversion}); codecs: ${info.codecs.join(', ')}.`, tcp, info);
}
