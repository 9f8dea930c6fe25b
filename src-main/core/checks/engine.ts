/**
 * The check engine: every check starts at t=0 in parallel; a check whose dependency fails is cancelled and reported
 * `skip`; the whole run is cancellable and streams progress. Environment: plain Node (no electron).
 */
import type { Check, CheckContext, CheckProgress, CheckResult, CheckSystem, CheckTarget } from './types';
import { createHostAddresses } from './probes/host-addresses';
import { createTiming, type Timing } from './timing';

export interface RunChecksOptions {
  runId?: string;
  signal?: AbortSignal;
  onProgress?(p: CheckProgress): void;
  timing?: Timing;
}

export interface ChecksRun {
  runId: string;
  results: CheckResult[];
  rttMs: number | null;
  cancelled: boolean;
  durationMs: number;
}

export async function runChecks(checks: readonly Check[], target: CheckTarget, system: CheckSystem, opts: RunChecksOptions = {}): Promise<ChecksRun> {
  const runId = opts.runId ?? `run-${Date.now().toString(36)}`;
  const timing = opts.timing ?? createTiming();
  const started = Date.now();
  const byId = new Map(checks.map((c) => [c.id, c]));
  const promises = new Map<string, Promise<CheckResult>>();
  const controllers = new Map<string, AbortController>();
  for (const c of checks) {
    for (const d of c.dependsOn) if (!byId.has(d)) throw new Error(`check ${c.id} depends on unknown check ${d}`);
    controllers.set(c.id, new AbortController());
  }
  const onCancel = () => controllers.forEach((c) => c.abort());
  opts.signal?.addEventListener('abort', onCancel, { once: true });
  if (opts.signal?.aborted) onCancel();

  const skippedBy = new Map<string, string>();
  const addresses = createHostAddresses(system.addressCache);
  const ctx = (c: Check): CheckContext => ({
    target,
    system,
    timing,
    addresses,
    resultOf: (id) => {
      const p = promises.get(id);
      if (!p) return Promise.reject(new Error(`check ${c.id} asked for unknown check ${id}`));
      return p;
    },
  });

  const runOne = async (c: Check): Promise<CheckResult> => {
    const ctl = controllers.get(c.id)!;
    const t0 = Date.now();
    opts.onProgress?.({ runId, id: c.id, title: c.title, state: 'running' });
    let result: CheckResult;
    try {
      const out = await c.run(ctx(c), ctl.signal);
      const dep = skippedBy.get(c.id);
      result = dep
        ? { id: c.id, title: c.title, status: 'skip', durationMs: Date.now() - t0, summary: `not run: ${dep} failed`, evidence: { reason: 'dependency-failed', dependency: dep } }
        : { id: c.id, title: c.title, durationMs: Date.now() - t0, ...out };
    } catch (err) {
      const dep = skippedBy.get(c.id);
      result = dep
        ? { id: c.id, title: c.title, status: 'skip', durationMs: Date.now() - t0, summary: `not run: ${dep} failed`, evidence: { reason: 'dependency-failed', dependency: dep } }
        : ctl.signal.aborted
          ? { id: c.id, title: c.title, status: 'skip', durationMs: Date.now() - t0, summary: 'cancelled', evidence: { reason: 'cancelled' } }
          : { id: c.id, title: c.title, status: 'fail', durationMs: Date.now() - t0, summary: `internal error: ${(err as Error).message}`, evidence: { reason: 'internal-error' } };
    }
    if (result.status === 'fail') {
      for (const other of checks) {
        if (other.dependsOn.includes(c.id) && !skippedBy.has(other.id)) {
          skippedBy.set(other.id, c.id);
          controllers.get(other.id)!.abort();
        }
      }
    }
    opts.onProgress?.({ runId, id: c.id, title: c.title, state: 'done', result });
    return result;
  };

  for (const c of checks) promises.set(c.id, runOne(c));
  let results = await Promise.all(checks.map((c) => promises.get(c.id)!));
  // A check that finished before its dependency failed is moot too: report it as skipped (and say so again).
  const failed = new Set(results.filter((r) => r.status === 'fail').map((r) => r.id));
  results = results.map((r) => {
    const dep = byId.get(r.id)!.dependsOn.find((d) => failed.has(d));
    if (!dep || r.status === 'skip') return r;
    const moot: CheckResult = { ...r, status: 'skip', summary: `not run: ${dep} failed`, evidence: { reason: 'dependency-failed', dependency: dep, earlier: r.summary } };
    opts.onProgress?.({ runId, id: r.id, title: r.title, state: 'done', result: moot });
    return moot;
  });
  opts.signal?.removeEventListener('abort', onCancel);
  addresses.flush();
  return { runId, results, rttMs: timing.rttMs(), cancelled: Boolean(opts.signal?.aborted), durationMs: Date.now() - started };
}
