/**
 * Check `tls`: a TLS handshake to each stream host's 47984 (or the site's probe) that passes once the server's
 * certificate has arrived — several full-size TCP segments. A stall after connecting is the large-payload symptom.
 * Environment: plain Node.
 */
import { SUNSHINE_HTTPS_PORT } from '../../net/sunshine-ports';
import { tlsProbe, type TlsProbeResult } from '../probes/tls-probe';
import type { Check, CheckContext } from '../types';
import { noTarget } from './targets';

type Probe = (host: string, port: number, address: string | undefined, signal: AbortSignal) => Promise<TlsProbeResult>;

/**
 * A named host: with last run's address as a hint the probe starts on it at once while the system resolver confirms;
 * the result stands only when the resolver returns that address, else the probe runs again on the resolved one. A name
 * that does not resolve is probed by name, so its outcome reads as before.
 */
export async function probeConfirmed(ctx: CheckContext, host: string, port: number, timeoutMs: number, signal: AbortSignal, probe: Probe): Promise<TlsProbeResult> {
  const hint = ctx.addresses.hint(host);
  const lookup = ctx.addresses.resolve(host, timeoutMs, signal);
  if (hint) {
    const early = new AbortController();
    const onAbort = () => early.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    const first = probe(host, port, hint, early.signal);
    const resolved = await lookup;
    if (resolved.ok && resolved.address === hint) return first.finally(() => signal.removeEventListener('abort', onAbort));
    early.abort();
    signal.removeEventListener('abort', onAbort);
    await first.catch(() => undefined);
    return probe(host, port, resolved.ok ? resolved.address : undefined, signal);
  }
  const resolved = await lookup;
  return probe(host, port, resolved.ok ? resolved.address : undefined, signal);
}

export const tlsCheck: Check = {
  id: 'tls',
  title: 'Secure connection with a large certificate',
  dependsOn: ['tunnel'],
  async run(ctx, signal) {
    const site = ctx.target.site;
    const targets = site?.streamHosts.length ? site.streamHosts.map((h) => ({ host: h.host, port: SUNSHINE_HTTPS_PORT })) : site?.probe ? [site.probe] : [];
    if (targets.length === 0) return noTarget('the site lists no stream host and no probe', 'streamHosts or probe in site.json');
    const connectTimeoutMs = ctx.timing.budget({ defaultMs: 3000, rttMultiple: 5, minMs: 1000 });
    const probe = (host: string, port: number, address: string | undefined, sig: AbortSignal) =>
      tlsProbe({
        host,
        address,
        port,
        signal: sig,
        connectTimeoutMs,
        // Once connected the flight takes one RTT; wait 5 RTT (the run's best sample, else this connect's time).
        flightTimeoutMs: (connectMs) => Math.max(800, 5 * (ctx.timing.rttMs() ?? connectMs)),
      });
    const results = await Promise.all(
      targets.map((t) =>
        probeConfirmed(ctx, t.host, t.port, connectTimeoutMs, signal, probe).then((r) => {
          if (r.connectMs !== null) ctx.timing.sample(r.connectMs, 'tcp');
          if (r.firstByteMs !== null) ctx.timing.sample(r.firstByteMs, 'tls');
          return r;
        }),
      ),
    );
    const line = (r: TlsProbeResult) =>
      `${r.host}:${r.port} ${r.mode}: ${r.outcome}${r.flight.certificateBytes !== null ? ` (certificate ${r.flight.certificateBytes} bytes, ${r.flight.certificateCount} certs)` : ''}, ${r.flight.bytes} bytes received`;
    const evidence: Record<string, unknown> = {
      sent: results.map((r) => `${r.host}:${r.port}: TCP connect + ClientHello (${r.helloBytes} bytes, ${r.mode})`),
      received: results.map(line),
      results: results.map((r) => ({ host: r.host, port: r.port, outcome: r.outcome, connectMs: r.connectMs, waitedMs: r.waitedMs, bytes: r.flight.bytes, certificateBytes: r.flight.certificateBytes })),
    };
    const stalled = results.find((r) => r.outcome === 'stalled');
    if (stalled) {
      return { status: 'fail', summary: `${stalled.host}:${stalled.port}: connected, then the certificate never arrived`, evidence: { ...evidence, reason: 'stalled', target: `${stalled.host}:${stalled.port}`, timeoutMs: stalled.waitedMs } };
    }
    const bad = results.find((r) => r.outcome !== 'certificate' && r.outcome !== 'flight');
    if (bad) {
      const reason = bad.outcome === 'refused' ? 'refused' : bad.outcome === 'connect-timeout' ? 'unreachable' : 'tls-error';
      return { status: reason === 'tls-error' ? 'warn' : 'fail', summary: `${bad.host}:${bad.port}: ${bad.outcome}${bad.message ? ` (${bad.message})` : ''}`, evidence: { ...evidence, reason } };
    }
    return { status: 'pass', summary: results.map(line).join('; '), evidence };
  },
};
