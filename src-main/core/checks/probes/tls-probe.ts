/**
 * TLS large-payload probe: raw TCP, our ClientHello, then wait for the server's first flight. Pass once the server's
 * Certificate (TLS 1.2, in clear) has fully arrived, or — for a 1.3-only server — once encrypted handshake records of
 * at least `tls13MinBytes` have arrived (several full-size segments: the certificate chain). What happens after (a
 * CertificateRequest that we cannot answer, as Sunshine sends) does not matter: we close. Environment: plain Node.
 */
import * as net from 'node:net';
import { buildClientHello, createServerFlightReader, type HelloMode, type ServerFlightState } from './tls-hello';

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
  host: string;
  port: number;
  connectTimeoutMs: number;
  /** How long to wait for the flight once connected, given the TCP connect time (≈ 1 RTT). */
  flightTimeoutMs(connectMs: number): number;
  mode?: HelloMode;
  tls13MinBytes?: number;
  signal?: AbortSignal;
}

export function tlsProbeOnce(opts: TlsProbeOptions): Promise<TlsProbeResult> {
  const mode = opts.mode ?? 'tls12';
  const minBytes = opts.tls13MinBytes ?? 3000;
  const hello = buildClientHello(mode, opts.host);
  const reader = createServerFlightReader();
  const started = Date.now();
  return new Promise((resolve) => {
    let connectMs: number | null = null;
    let firstByteMs: number | null = null;
    let connectedAt = 0;
    let done = false;
    let timer: NodeJS.Timeout;
    const socket = net.connect({ host: opts.host, port: opts.port });
    const finish = (outcome: TlsProbeOutcome, message?: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve({
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
    };
    const onAbort = () => finish(connectMs === null ? 'connect-timeout' : 'stalled', 'cancelled');
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    timer = setTimeout(() => finish('connect-timeout'), opts.connectTimeoutMs);
    socket.setNoDelay(true);
    socket.on('connect', () => {
      connectedAt = Date.now();
      connectMs = connectedAt - started;
      clearTimeout(timer);
      timer = setTimeout(() => finish('stalled'), opts.flightTimeoutMs(connectMs));
      socket.write(hello);
    });
    socket.on('data', (chunk: Buffer) => {
      if (firstByteMs === null) firstByteMs = Date.now() - connectedAt;
      const s = reader.push(chunk);
      if (s.certificateBytes !== null) return finish('certificate');
      if (s.version === 'tls1.3' && s.encryptedBytes >= minBytes) return finish('flight');
      if (s.alert) return finish('alert', `TLS alert ${s.alert.description}`);
    });
    socket.on('end', () => finish('closed'));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNREFUSED') finish('refused', err.message);
      else finish(connectMs === null && err.code === 'ETIMEDOUT' ? 'connect-timeout' : 'error', `${err.code ?? ''} ${err.message}`.trim());
    });
  });
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
