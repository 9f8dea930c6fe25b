/**
 * TLS large-payload probe: raw TCP, our ClientHello, then wait for the server's first flight. Pass once the server's
 * Certificate (TLS 1.2, in clear) has fully arrived, or — for a 1.3-only server — once encrypted handshake records of
 * at least `tls13MinBytes` have arrived (several full-size segments: the certificate chain). What happens after (a
 * CertificateRequest that we cannot answer, as Sunshine sends) does not matter: we close. Environment: plain Node.
 */
import { NetError, tcpExchange } from '../../platform/net-client';
import { buildClientHello, createServerFlightReader, type HelloMode, type ServerFlightState } from './tls-hello';

/** Bytes of server flight read at most: a real certificate chain is a few KiB (the lab's padded one ~5 KB). */
export const TLS_FLIGHT_MAX_BYTES = 256 * 1024;

export type TlsProbeOutcome = 'certificate' | 'flight' | 'stalled' | 'refused' | 'connect-timeout' | 'alert' | 'closed' | 'error';

export interface TlsProbeResult {
  outcome: TlsProbeOutcome;
  host: string;
  port: number;
  mode: HelloMode;
  connectMs: number | null;
  /** From the hello written to the server's first bytes: one round trip. */
  firstByteMs: number | null;
  helloBytes: number;
  waitedMs: number;
  flight: ServerFlightState;
  message?: string;
}

export interface TlsProbeOptions {
  /** The name (SNI, evidence) … */
  host: string;
  /** … and the address to connect to, when already resolved (default: `host`, resolved by the connect). */
  address?: string;
  port: number;
  connectTimeoutMs: number;
  /** How long to wait for the flight once connected, given the TCP connect time (≈ 1 RTT). */
  flightTimeoutMs(connectMs: number): number;
  mode?: HelloMode;
  tls13MinBytes?: number;
  signal?: AbortSignal;
}

/**
 * One hello over the shared net client: connect deadline `connectTimeoutMs`; once connected the exchange must finish
 * within `flightTimeoutMs(connectMs)` (the overall deadline is tightened to it); at most TLS_FLIGHT_MAX_BYTES are read.
 */
export async function tlsProbeOnce(opts: TlsProbeOptions): Promise<TlsProbeResult> {
  const mode = opts.mode ?? 'tls12';
  const minBytes = opts.tls13MinBytes ?? 3000;
  const hello = buildClientHello(mode, opts.host);
  const reader = createServerFlightReader();
  const started = Date.now();
  let connectMs: number | null = null;
  let firstByteMs: number | null = null;
  let connectedAt = 0;
  const result = (outcome: TlsProbeOutcome, message?: string): TlsProbeResult => ({
    outcome,
    host: opts.host,
    port: opts.port,
    mode,
    connectMs,
    firstByteMs,
    helloBytes: hello.length,
    waitedMs: connectMs === null ? Date.now() - started : Date.now() - connectedAt,
    flight: reader.state,
    message,
  });
  const longestFlight = opts.flightTimeoutMs(opts.connectTimeoutMs);
  const limits = {
    connectTimeoutMs: opts.connectTimeoutMs,
    answerTimeoutMs: longestFlight,
    overallTimeoutMs: opts.connectTimeoutMs + longestFlight,
    maxBytes: TLS_FLIGHT_MAX_BYTES,
    signal: opts.signal,
  };
  try {
    return await tcpExchange({ host: opts.address ?? opts.host, port: opts.port }, limits, {
      connected(socket, ctx) {
        connectedAt = Date.now();
        connectMs = ctx.connectMs;
        ctx.tighten(opts.flightTimeoutMs(connectMs));
        socket.write(hello);
        return undefined;
      },
      data(chunk) {
        if (firstByteMs === null) firstByteMs = Date.now() - connectedAt;
        const s = reader.push(chunk);
        if (s.certificateBytes !== null) return result('certificate');
        if (s.version === 'tls1.3' && s.encryptedBytes >= minBytes) return result('flight');
        if (s.alert) return result('alert', `TLS alert ${s.alert.description}`);
        return undefined;
      },
      ended: () => result('closed'),
    });
  } catch (err) {
    if (!(err instanceof NetError)) throw err;
    switch (err.code) {
      case 'cancelled':
        return result(connectMs === null ? 'connect-timeout' : 'stalled', 'cancelled');
      case 'connect-timeout':
        return result('connect-timeout');
      case 'answer-timeout':
      case 'deadline':
        return result(connectMs === null ? 'connect-timeout' : 'stalled');
      case 'refused':
        return result('refused', err.message);
      case 'closed':
        return result('closed');
      default:
        return result('error', err.message);
    }
  }
}

/** TLS 1.2 first; a server that refuses 1.2 (alert or close before any Certificate) gets a 1.3 hello. */
export async function tlsProbe(opts: TlsProbeOptions): Promise<TlsProbeResult> {
  const first = await tlsProbeOnce({ ...opts, mode: 'tls12' });
  if ((first.outcome === 'alert' || first.outcome === 'closed') && first.flight.certificateBytes === null && !opts.signal?.aborted) {
    const second = await tlsProbeOnce({ ...opts, mode: 'tls13' });
    return second;
  }
  return first;
}
