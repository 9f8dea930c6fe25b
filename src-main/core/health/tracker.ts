/**
 * The health tracker (Tailscale's health Tracker and Warnables are the model): live conditions — a stale handshake, a
 * tunnel that vanished, a fix that is ready — are set and cleared by whoever observes them, and become findings with
 * `since` (when the condition was first seen) once they have held for their time-to-visible. Dependents are
 * suppressed as in a diagnosis (`suppressDependents`). Listeners hear about a change once it settles (debounced), and
 * only when what is visible actually changed. Environment: plain Node (timers only; the clock is injectable).
 *
 * A condition is identified by its code and its subject (the tunnel/profile it is about; null = the app as a whole),
 * so two tunnels can each be stale. A dependency suppresses only within its subject (and app-wide conditions for all).
 */
import type { HealthFinding } from '../../contract/health';
import { definitionOf } from '../findings/definitions';
import { makeFinding, sortFindings, suppressDependents, type Catalogue, type FindingCode, type FindingParams } from '../findings/finding';
import { TEXTS_EN } from '../findings/texts.en';

export interface HealthClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: HealthClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

export interface HealthTrackerOptions {
  clock?: HealthClock;
  /** Changes within this window are announced once (default 250 ms). */
  debounceMs?: number;
  /** Override a code's time-to-visible from the definitions (tests, the lab). */
  timeToVisibleMs?: Partial<Record<FindingCode, number>>;
  catalogue?: Catalogue;
}

export type HealthListener = (findings: HealthFinding[]) => void;

export interface HealthTracker {
  /** The condition holds (again): first call starts its `since`; later calls update params and evidence. */
  set(code: FindingCode, params?: FindingParams, evidence?: Record<string, unknown>, subject?: string | null): void;
  /** The condition is over: for `subject`, or for every subject when none is given. */
  clear(code: FindingCode, subject?: string | null): void;
  /** What is visible now: held at least their time-to-visible, dependents suppressed, errors first. */
  current(): HealthFinding[];
  onChange(listener: HealthListener): () => void;
  stop(): void;
}

interface Condition {
  code: FindingCode;
  subject: string | null;
  params: FindingParams;
  evidence: Record<string, unknown>;
  firstSeen: number;
  timeToVisibleMs: number;
  timer: unknown;
}

const keyOf = (code: FindingCode, subject: string | null) => `${code}\u0000${subject ?? ''}`;

/** What a change is: the findings' identity and texts, not their evidence (a handshake age ticking is no change). */
const fingerprint = (list: readonly HealthFinding[]) =>
  JSON.stringify(list.map((f) => [f.code, f.subject, f.since, f.severity, f.title, f.detail, f.fix]));

export function createHealthTracker(opts: HealthTrackerOptions = {}): HealthTracker {
  const clock = opts.clock ?? systemClock;
  const debounceMs = opts.debounceMs ?? 250;
  const catalogue = opts.catalogue ?? TEXTS_EN;
  const conditions = new Map<string, Condition>();
  const listeners = new Set<HealthListener>();
  let announced = fingerprint([]);
  let pending: unknown = null;
  let stopped = false;

  const ttvOf = (code: FindingCode) => opts.timeToVisibleMs?.[code] ?? definitionOf(code).timeToVisibleMs ?? 0;

  function current(): HealthFinding[] {
    const now = clock.now();
    const visible = [...conditions.values()].filter((c) => now - c.firstSeen >= c.timeToVisibleMs);
    const findings = visible.map((c) => ({
      ...makeFinding(c.code, c.params, c.evidence, catalogue),
      subject: c.subject,
      since: new Date(c.firstSeen).toISOString(),
      timeToVisibleMs: c.timeToVisibleMs,
    }));
    // A dependency suppresses within its own subject (tunnel A vanishing says nothing about tunnel B), and an
    // app-wide condition (subject null) suppresses for every subject.
    const appWide = findings.filter((f) => f.subject === null);
    const kept = [...new Set(findings.map((f) => f.subject))].flatMap((subject) => {
      const own = findings.filter((f) => f.subject === subject);
      return suppressDependents(subject === null ? own : [...appWide, ...own]).filter((f) => f.subject === subject);
    });
    const bySubject = kept.sort((a, b) => (a.subject ?? '').localeCompare(b.subject ?? ''));
    return sortFindings(bySubject); // stable: errors first, then by code, then by subject
  }

  function flush(): void {
    pending = null;
    if (stopped) return;
    const now = current();
    const fp = fingerprint(now);
    if (fp === announced) return;
    announced = fp;
    for (const l of listeners) l(now);
  }

  function changed(): void {
    if (pending === null && !stopped) pending = clock.setTimeout(flush, debounceMs);
  }

  function drop(c: Condition): void {
    if (c.timer !== null) clock.clearTimeout(c.timer);
    conditions.delete(keyOf(c.code, c.subject));
  }

  return {
    set(code, params = {}, evidence = {}, subject = null) {
      const key = keyOf(code, subject);
      const c = conditions.get(key);
      if (c) {
        c.params = params;
        c.evidence = evidence;
      } else {
        const ttv = ttvOf(code);
        const fresh: Condition = { code, subject, params, evidence, firstSeen: clock.now(), timeToVisibleMs: ttv, timer: null };
        // When it becomes visible, that is a change too.
        if (ttv > 0) fresh.timer = clock.setTimeout(() => ((fresh.timer = null), changed()), ttv);
        conditions.set(key, fresh);
      }
      changed();
    },
    clear(code, subject) {
      for (const c of [...conditions.values()]) {
        if (c.code === code && (subject === undefined || c.subject === subject)) drop(c);
      }
      changed();
    },
    current,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop() {
      stopped = true;
      if (pending !== null) clock.clearTimeout(pending);
      for (const c of [...conditions.values()]) if (c.timer !== null) clock.clearTimeout(c.timer);
    },
  };
}
