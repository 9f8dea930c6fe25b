/**
 * One diagnosis: run every check against a target, then the rules. Shared by the CLI, the contract handlers, the bench
 * and the demo. Never changes tunnel state. Environment: plain Node.
 */
import * as path from 'node:path';
import type { ProcessRunner } from '../platform/runner';
import { diagnose, type Diagnosis } from './diagnosis';
import { runChecks } from './engine';
import { ALL_CHECKS } from './list';
import { createAddressCacheFile } from './probes/host-addresses';
import { createPingProbe } from './probes/ping';
import type { Check, CheckProgress, CheckResult, CheckSystem, CheckTarget } from './types';

export interface DiagnosisRun extends Diagnosis {
  runId: string;
  checks: CheckResult[];
  durationMs: number;
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
  opts: { runId?: string; signal?: AbortSignal; onProgress?(p: CheckProgress): void; checks?: readonly Check[] } = {},
): Promise<DiagnosisRun> {
  const run = await runChecks(opts.checks ?? ALL_CHECKS, target, system, opts);
  const d = diagnose(run.results, target, run.rttMs);
  return { ...d, runId: run.runId, checks: run.results, durationMs: run.durationMs, cancelled: run.cancelled };
}
