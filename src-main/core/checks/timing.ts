/**
 * Deadlines that tighten with the measured round-trip time. Before the first RTT sample every wait uses its default;
 * once a sample arrives, waits are re-armed to a multiple of the RTT (never earlier than `minMs` from their start),
 * so a healthy fast tunnel finishes in a few round trips and a slow one is not cut short.
 * Environment: plain Node.
 */
export interface WaitSpec {
  /** Before an RTT is known. */
  defaultMs: number;
  /** Once known: k × RTT … */
  rttMultiple: number;
  /** … but at least this long (scheduling noise, process start). */
  minMs: number;
}

export interface Timing {
  readonly startedAt: number;
  rttMs(): number | null;
  /** Report an RTT sample (ICMP echo, TCP connect, DNS answer). The smallest sample wins. */
  sample(ms: number, source: string): void;
  rttSource(): string | null;
  /** Milliseconds to wait for something started now. */
  budget(spec: WaitSpec): number;
  /** An AbortSignal that fires when the wait (started now) is over; re-armed when the first RTT sample arrives. */
  deadline(spec: WaitSpec, parent?: AbortSignal): AbortSignal;
}

export function createTiming(now: () => number = Date.now): Timing {
  const startedAt = now();
  let rtt: number | null = null;
  let source: string | null = null;
  const waiters = new Set<() => void>();
  const budgetFor = (spec: WaitSpec, r: number | null) => (r === null ? spec.defaultMs : Math.max(spec.minMs, spec.rttMultiple * r));
  return {
    startedAt,
    rttMs: () => rtt,
    rttSource: () => source,
    sample(ms, src) {
      if (!Number.isFinite(ms) || ms < 0) return;
      const first = rtt === null;
      if (rtt === null || ms < rtt) {
        rtt = ms;
        source = src;
      }
      if (first) for (const w of [...waiters]) w();
    },
    budget: (spec) => budgetFor(spec, rtt),
    deadline(spec, parent) {
      const ctl = new AbortController();
      const start = now();
      // Unref'd: a deadline nobody waits for any more must not keep a CLI process alive.
      let timer = setTimeout(() => ctl.abort(), budgetFor(spec, rtt)).unref();
      const rearm = () => {
        clearTimeout(timer);
        const remaining = start + budgetFor(spec, rtt) - now();
        timer = setTimeout(() => ctl.abort(), Math.max(0, Math.min(remaining, spec.defaultMs - (now() - start)))).unref();
      };
      if (rtt === null) waiters.add(rearm);
      const onParent = () => ctl.abort();
      parent?.addEventListener('abort', onParent, { once: true });
      ctl.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        waiters.delete(rearm);
        parent?.removeEventListener('abort', onParent);
      });
      if (parent?.aborted) ctl.abort();
      return ctl.signal;
    },
  };
}
