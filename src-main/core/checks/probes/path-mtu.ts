/**
 * Path-MTU search through the tunnel, exact to the byte. Environment: plain Node.
 *
 * pathMtu = the largest IPv4 total length (ICMP payload + 28) whose don't-fragment echo comes back. Round 0 sends a
 * small echo and `parallel` sizes spread up to the upper bound (the tunnel MTU) together: on a healthy tunnel that is
 * the whole search (one round trip). Otherwise each further round probes up to `parallel` evenly spaced sizes inside
 * the open interval at once and keeps the largest that crossed / smallest that did not: with 15 per round, 1336
 * candidates → 84 → 5 → 1, three rounds in all; then one confirming echo at the boundary + 1 with a longer wait.
 * A probe that is not answered within the round's timeout counts as not crossing (a blackhole sends nothing back).
 */
import type { PingResult } from './ping-types';

export interface PathMtuOptions {
  /** Upper bound: the tunnel interface MTU. */
  upper: number;
  /** The small echo's total length (default 84 = the usual 56-byte ping). */
  lower?: number;
  /** Probes per round besides the small echo (default 15). */
  parallel?: number;
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

/** Up to n sizes spread evenly over the open interval (good, bad), bad itself included when `withBad`. */
function spread(good: number, bad: number, n: number, withBad: boolean): number[] {
  const top = withBad ? bad : bad - 1;
  const span = top - good;
  const k = Math.min(n, span);
  const sizes: number[] = [];
  for (let i = 1; i <= k; i++) sizes.push(good + Math.round((i * span) / k));
  return [...new Set(sizes)].filter((x) => x > good && x <= top);
}

export async function searchPathMtu(send: SendProbe, opts: PathMtuOptions): Promise<PathMtuResult> {
  const lower = opts.lower ?? 84;
  const parallel = Math.max(1, opts.parallel ?? 15);
  const probes: PathMtuProbeRecord[] = [];
  const huge = 3_600_000; // the probes' own timeout when a signal ends them
  let rtt: number | null = null;

  // Round 0: the small echo and a spread up to the tunnel MTU, all at once. They wait until the small echo has
  // come back plus one round timeout (or until `firstSignal` when it never comes back).
  const round0 = new AbortController();
  const onFirst = () => round0.abort();
  opts.firstSignal.addEventListener('abort', onFirst, { once: true });
  const onOuter = () => round0.abort();
  opts.signal?.addEventListener('abort', onOuter, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const sizes0 = spread(lower, opts.upper, parallel, true);
  const smallP = send(lower, huge, round0.signal).then((r) => {
    probes.push({ size: lower, outcome: r.outcome, round: 0 });
    opts.firstSignal.removeEventListener('abort', onFirst);
    if (r.outcome === 'reply') {
      rtt = r.rttMs ?? 1;
      timer = setTimeout(() => round0.abort(), opts.roundTimeout(rtt));
    } else round0.abort();
    return r;
  });
  const res0 = await Promise.all(
    sizes0.map(async (size) => {
      const r = await send(size, huge, round0.signal);
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
    while (bad - good > 1 && !opts.signal?.aborted) {
      round++;
      const timeout = opts.roundTimeout(rtt);
      absorb(
        await Promise.all(
          spread(good, bad, parallel, false).map(async (size) => {
            const r = await send(size, timeout, opts.signal);
            probes.push({ size, outcome: r.outcome, round });
            return { size, crossed: r.outcome === 'reply' };
          }),
        ),
      );
    }
    // Confirm the boundary once with a longer wait: a late echo (busy machine, a lost packet) must not pass for a
    // blackhole. If good+1 does cross after all, search again above it.
    if (good >= opts.upper || opts.signal?.aborted || confirmations >= 2) break;
    round++;
    const r = await send(good + 1, opts.roundTimeout(rtt) + rtt, opts.signal);
    probes.push({ size: good + 1, outcome: r.outcome, round });
    if (r.outcome !== 'reply') break;
    good += 1;
    bad = opts.upper + 1;
  }
  return { pathMtu: good, rttMs: rtt, rounds: round + 1, probes, smallOutcome: 'reply' };
}
