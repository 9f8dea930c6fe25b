/**
 * Probe a Sunshine host: resolve it, TCP-connect to 47984 (HTTPS), 47989 (HTTP) and 48010 (RTSP) — offsets −5/0/+21
 * of the base port — and read `GET http://HOST:47989/serverinfo`. Environment: plain Node. Fact sheet §6.
 * Results: `unreachable` (no name, or nothing answers at all), `not-listening` (the machine answers — a port refuses
 * or another is open — but nothing serves 47989), `not-sunshine` (47989 answers something that is not /serverinfo
 * XML), `busy` (SUNSHINE_SERVER_BUSY: an app is already streaming), `ok`. A TCP check proves nothing about UDP
 * 47998–48000.
 */
import { randomUUID } from 'node:crypto';
import type { ProbeResultView } from '../../contract/stream';
import { httpRequest, lookupHost, NetError, type NetErrorCode, type NetLimits } from '../platform/net-client';
import { hostSupportsHdr, hostSupportsYuv444 } from './codecs';
import { parseServerInfo, SERVERINFO_MAX_BYTES, ServerInfoError, type ServerInfo } from './serverinfo';
import { sunshineTcpPorts } from '../net/sunshine-ports';
import { tcpConnect, type TcpResult } from '../net/tcp-connect';

export interface ProbeOptions {
  httpPort?: number;
  /** Each phase's deadline: name lookup, TCP connect, /serverinfo connect and answer (default 3000 ms). */
  timeoutMs?: number;
  /** The whole /serverinfo request, connect to last byte (default twice timeoutMs). */
  overallTimeoutMs?: number;
  signal?: AbortSignal;
}

export interface ProbeResult extends ProbeResultView {
  tcp: TcpResult[];
  info: ServerInfo | null;
  /** Why GET /serverinfo failed, when it did (net-client's codes: answer-timeout, deadline, too-large…). */
  httpError: NetErrorCode | null;
}

/** `GET http://ADDRESS:PORT/PATH` under the limits; the body is read up to SERVERINFO_MAX_BYTES. */
async function httpGet(address: string, port: number, pathAndQuery: string, limits: Omit<NetLimits, 'maxBytes'>): Promise<{ status: number; body: string }> {
  const host = address.includes(':') ? `[${address}]` : address;
  const res = await httpRequest({ url: new URL(`http://${host}:${port}${pathAndQuery}`), headers: { Accept: '*/*' } }, { ...limits, maxBytes: SERVERINFO_MAX_BYTES });
  return { status: res.status, body: res.body.toString('utf8') };
}

function view(host: string, address: string | null, result: ProbeResult['result'], detail: string, tcp: TcpResult[], info: ServerInfo | null, httpError: NetErrorCode | null = null): ProbeResult {
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
    httpError,
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
  const ports = sunshineTcpPorts(opts.httpPort);
  const p = { https: ports[0], http: ports[1], rtsp: ports[2] };
  let address: string;
  try {
    address = await lookupHost(host, { timeoutMs, signal: opts.signal });
  } catch (err) {
    const code = err instanceof NetError ? (err.errno ?? err.code) : (err as Error).message;
    const tcp = ports.map((port): TcpResult => ({ host, port, outcome: 'error', ms: 0, error: 'name does not resolve' }));
    return view(host, null, 'unreachable', `${host} does not resolve (${code}).`, tcp, null);
  }
  const tcp = await Promise.all(ports.map((port) => tcpConnect(address, port, timeoutMs, opts.signal)));
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
    const limits = { connectTimeoutMs: timeoutMs, answerTimeoutMs: timeoutMs, overallTimeoutMs: opts.overallTimeoutMs ?? 2 * timeoutMs, signal: opts.signal };
    const res = await httpGet(address, p.http, `/serverinfo?uniqueid=0123456789ABCDEF&uuid=${randomUUID().replace(/-/g, '')}`, limits);
    if (res.status !== 200) return view(host, address, 'not-sunshine', `GET /serverinfo answered HTTP ${res.status}: not a Sunshine/GameStream host.`, tcp, null);
    info = parseServerInfo(res.body);
  } catch (err) {
    if (err instanceof ServerInfoError) return view(host, address, 'not-sunshine', `${host} port ${p.http} is open but is not a Sunshine/GameStream host (${err.message}).`, tcp, null);
    if (!(err instanceof NetError)) throw err;
    const detail = err.code === 'cancelled' ? `The probe of ${host} was cancelled before /serverinfo answered.` : `${host} port ${p.http} is open but GET /serverinfo failed: ${err.message}.`;
    return view(host, address, 'not-sunshine', detail, tcp, null, err.code);
  }
  if (info.busy) return view(host, address, 'busy', `${info.hostname} is streaming to someone (state ${info.state ?? 'busy'}).`, tcp, info);
  return view(host, address, 'ok', `${info.hostname} runs ${info.flavor === 'sunshine' ? 'Sunshine' : 'a GameStream host'} (${info.appversion}); codecs: ${info.codecs.join(', ')}.`, tcp, info);
}
