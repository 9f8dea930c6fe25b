/**
 * Path-MTU search through the tunnel, exact to the byte. Environment: plain Node.
 *
 * pathMtu = the largest IPv4 total length (ICMP payload + 28) whose don't-fragment echo comes back. Round 0 sends a
 * small echo and sizes spread up to the upper bound (the tunnel MTU) together: on a healthy tunnel that is the whole
 * search (one round trip). Otherwise each further round probes up to `parallel` evenly spaced sizes inside the open
 * interval at once and keeps the largest that crossed / smallest that did not; then one confirming echo at the
 * boundary + 1 with a longer wait. A probe that is not answered within the round's timeout counts as not crossing (a
 * blackhole sends nothing back).
 *
 * `step` (the check uses 16): WireGuard pads every inner packet to a multiple of 16 bytes (capped at the interface
 * MTU), so the outer size — what a path's limit acts on — only changes every 16 bytes: lengths 16k−15 … 16k cross or
 * vanish together. The search then runs over the multiples of `step` (and the upper bound), 84 candidates instead of
 * 1336, and round 0 sends only as many as let round 1 finish (6 with 15 per round): healthy = 7 echoes, blackhole =
 * 7 + ≤ 13 + the confirming echo at good + 1, which proves the byte-exact answer. Should good + 1 cross after all (a
 * lost or late echo, or a path not padded like WireGuard), the search goes on byte by byte above it, up to the MTU.
 */
import type { PingResult } from './ping-types';

export interface PathMtuOptions {
  /** Upper bound: the tunnel interface MTU. */
  upper: number;
  /** The small echo's total length (default 84 = the usual 56-byte ping). */
  lower?: number;
  /** Probes per round besides the small echo (default 15). */
  parallel?: number;
  /** Search granularity until the boundary is confirmed (default 1; 16 = WireGuard's padding). */
  step?: number;
  /** How long a round waits for its echoes once an RTT is known. */
  roundTimeout(rttMs: number): number;
  /** Round 0's wait before the small echo brings an RTT back (aborting it ends round 0: ICMP filtered). */
  firstSignal: AbortSignal;
  signal?: AbortSignal;
}

export type SendProbe = (totalLength: number, timeoutMs: number, signal?: AbortSignal) => Promise<PingResult>;

export interface PathMtuProbeRecord {
  size: number;
  outcome: PingResult['outcome'];
  round: number;
}

export interface PathMtuResult {
  /** Null when not even the small echo came back (ICMP filtered or host down). */
  pathMtu: number | null;
  rttMs: number | null;
  rounds: number;
  probes: PathMtuProbeRecord[];
  /** The outcome of the small echo (why pathMtu is null). */
  smallOutcome: PingResult['outcome'];
}

/** The sizes x with good < x < bad worth probing: multiples of `step`, and `upper` itself (the last, partial bucket). */
function candidates(good: number, bad: number, step: number, upper: number): number[] {
  const out: number[] = [];
  for (let x = Math.floor(good / step) * step + step; x < bad && x <= upper; x += step) out.push(x);
  if (upper > good && upper < bad && out[out.length - 1] !== upper) out.push(upper);
  return out;
}

/** Up to n of the candidates, evenly spread, the largest always included. */
function pick(cands: number[], n: number): number[] {
  const k = Math.min(n, cands.length);
  const out: number[] = [];
  for (let i = 1; i <= k; i++) out.push(cands[Math.round((i * cands.length) / k) - 1]!);
  return [...new Set(out)];
}

export async function searchPathMtu(send: SendProbe, opts: PathMtuOptions): Promise<PathMtuResult> {
  const lower = opts.lower ?? 84;
  const parallel = Math.max(1, opts.parallel ?? 15);
  let step = Math.max(1, Math.floor(opts.step ?? 1));
  const probes: PathMtuProbeRecord[] = [];
  const huge = 3_600_000; // the probes' own timeout when a signal ends them
  let rtt: number | null = null;
  // Local overhead: an echo's wall time (process start, a busy machine) beyond the network RTT it reports. Rounds wait
  // twice the largest seen on top of their RTT-based timeout, so a slow machine is not mistaken for a blackhole.
  let overhead = 0;
  const timed: SendProbe = async (size, timeoutMs, signal) => {
    const t0 = Date.now();
    const r = await send(size, timeoutMs, signal);
    if (r.outcome === 'reply' && r.rttMs !== null) overhead = Math.max(overhead, Date.now() - t0 - r.rttMs);
    return r;
  };

  // Round 0: the small echo and a spread up to the tunnel MTU, all at once. They wait until the small echo has
  // come back plus one round timeout (or until `firstSignal` when it never comes back).
  const round0 = new AbortController();
  const onFirst = () => round0.abort();
  opts.firstSignal.addEventListener('abort', onFirst, { once: true });
  const onOuter = () => round0.abort();
  opts.signal?.addEventListener('abort', onOuter, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const cands0 = candidates(lower, opts.upper + 1, step, opts.upper);
  // With a step, just enough probes that every gap between them holds at most `parallel` candidates (round 1 ends it).
  const first = step > 1 ? Math.min(parallel, Math.ceil((cands0.length + 1) / (parallel + 1))) : parallel;
  const sizes0 = pick(cands0, first);
  const smallP = timed(lower, huge, round0.signal).then((r) => {
    probes.push({ size: lower, outcome: r.outcome, round: 0 });
    opts.firstSignal.removeEventListener('abort', onFirst);
    if (r.outcome === 'reply') {
      rtt = r.rttMs ?? 1;
      timer = setTimeout(() => round0.abort(), opts.roundTimeout(rtt) + 2 * overhead);
    } else round0.abort();
    return r;
  });
  const res0 = await Promise.all(
    sizes0.map(async (size) => {
      const r = await timed(size, huge, round0.signal);
      probes.push({ size, outcome: r.outcome, round: 0 });
      return { size, crossed: r.outcome === 'reply' };
    }),
  );
  const small = await smallP;
  clearTimeout(timer);
  opts.firstSignal.removeEventListener('abort', onFirst);
  opts.signal?.removeEventListener('abort', onOuter);
  if (small.outcome !== 'reply' || rtt === null) return { pathMtu: null, rttMs: null, rounds: 1, probes, smallOutcome: small.outcome };

  let good = lower; // largest size known to cross
  let bad = opts.upper + 1; // smallest size known not to cross
  const absorb = (results: { size: number; crossed: boolean }[]) => {
    for (const r of results) if (r.crossed && r.size > good) good = r.size;
    for (const r of results) if (!r.crossed && r.size > good && r.size < bad) bad = r.size;
  };
  absorb(res0);
  let round = 0;
  for (let confirmations = 0; ; confirmations++) {
    for (let sizes = pick(candidates(good, bad, step, opts.upper), parallel); sizes.length > 0 && !opts.signal?.aborted; sizes = pick(candidates(good, bad, step, opts.upper), parallel)) {
      round++;
      const timeout = opts.roundTimeout(rtt) + 2 * overhead;
      absorb(
        await Promise.all(
          sizes.map(async (size) => {
            const r = await send(size, timeout, opts.signal);
            probes.push({ size, outcome: r.outcome, round });
            return { size, crossed: r.outcome === 'reply' };
          }),
        ),
      );
    }
    // Confirm the boundary once with a longer wait: a late echo (busy machine, a lost packet) must not pass for a
    // blackhole. If good+1 does cross after all, search again above it.
    if (good >= opts.upper || opts.signal?.aborted || confirmations >= 3) break;
    round++;
    const r = await send(good + 1, opts.roundTimeout(rtt) + rtt + 2 * overhead, opts.signal);
    probes.push({ size: good + 1, outcome: r.outcome, round });
    if (r.outcome !== 'reply') break;
    // A lost or late echo made `bad` look too small, or the path is not padded in steps after all: search again up to
    // the tunnel MTU, byte by byte.
    good += 1;
    bad = opts.upper + 1;
    step = 1;
  }
  return { pathMtu: good, rttMs: rtt, rounds: round + 1, probes, smallOutcome: 'reply' };
}
