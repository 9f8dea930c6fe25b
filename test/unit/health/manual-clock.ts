/** A clock for the health tracker that only moves when the test says so: `advance(ms)` runs what falls due, in order. */
import type { HealthClock } from '../../../src-main/core/health/tracker';

export interface ManualClock extends HealthClock {
  advance(ms: number): void;
  pending(): number;
}

export function manualClock(start = Date.parse('2026-12-02T10:00:00.000Z')): ManualClock {
  let now = start;
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const id = ++seq;
      timers.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout(h) {
      timers.delete(h as number);
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
        if (!due) break;
        timers.delete(due[0]);
        now = Math.max(now, due[1].at);
        due[1].fn();
      }
      now = end;
    },
    pending: () => timers.size,
  };
}
