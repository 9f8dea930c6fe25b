/**
 * One diagnosis: run every check against a target, then the rules, and shape THE diagnosis document
 * (`contract/diagnosis.ts`) that `diagnose --json`, `checks.done` and the report all carry. Shared by the CLI, the
 * contract handlers, the report, the stream gate, the bench and the demo. Never changes tunnel state.
 * Environment: plain Node.
 */
import * as path from 'node:path';
import { DiagnosisSchema, type Diagnosis } from '../../contract/diagnosis';
import type { ProcessRunner } from '../platform/runner';
import { diagnose } from './diagnosis';
import { runChecks } from './engine';
import { ALL_CHECKS } from './list';
import { createAddressCacheFile } from './probes/host-addresses';
import { createPingProbe } from './probes/ping';
import type { Check, CheckProgress, CheckSystem, CheckTarget } from './types';

/** The document plus what only the running process needs: the run's id and whether it was cancelled. */
export interface DiagnosisRun extends Diagnosis {
  runId: string;
  cancelled: boolean;
}

/** `addressCacheFile`: where stream-host addresses are remembered between runs (`hostAddressCacheFile(core.paths)`). */
export function createCheckSystem(runner: ProcessRunner, platform: NodeJS.Platform = process.platform, opts: { addressCacheFile?: string } = {}): CheckSystem {
  return { platform, runner, ping: createPingProbe(runner, platform), addressCache: opts.addressCacheFile ? createAddressCacheFile(opts.addressCacheFile) : undefined };
}

export function hostAddressCacheFile(paths: { state: string }): string {
  return path.join(paths.state, 'host-addresses.json');
}

export async function runDiagnosis(
  target: CheckTarget,
  system: CheckSystem,
  opts: { runId?: string; signal?: AbortSignal; onProgress?(p: CheckProgress): void; checks?: readonly Check[]; now?: () => Date } = {},
): Promise<DiagnosisRun> {
  const startedAt = (opts.now ?? (() => new Date()))().toISOString();
  const run = await runChecks(opts.checks ?? ALL_CHECKS, target, system, opts);
  const d = diagnose(run.results, target, run.rttMs);
  return {
    schemaVersion: 1,
    profile: target.profileName,
    interface: target.interfaceName,
    site: target.site?.name ?? null,
    startedAt,
    durationMs: run.durationMs,
    verdict: d.verdict,
    pathMtu: d.pathMtu,
    rttMs: d.rttMs,
    findings: d.findings,
    checks: run.results,
    runId: run.runId,
    cancelled: run.cancelled,
  };
}

/** The diagnosis document alone (validated; the run's own fields dropped): what is printed, sent and reported. */
export function diagnosisDocument(run: DiagnosisRun): Diagnosis {
  return DiagnosisSchema.parse(run);
}
