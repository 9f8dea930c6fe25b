/**
 * Stream fitness for one stream: policy (`capacityTest`, `capacityByteBudgetMB`), the site's `capacityProbe`, the
 * measurement, and the last outcome saved per profile. Never throws for a measurement that could not run: the outcome
 * is `unmeasured` (not tried) or `failed` (tried; `reason` is the CapacityError code). Environment: plain Node.
 *
 * The first step asks for needed ÷ 0.8 (the fit's headroom, fit.ts): on a line that carries the settings the fit is
 * then exactly what they need.
 */
import type { CapacityDoc } from '../../contract/stream';
import type { Logger } from '../log/logger';
import type { PolicyReader } from '../policy/policy';
import { isCapacityError } from './errors';
import { FIT_RULES } from './fit';
import type { LastCapacityStore } from './last-result';
import { measureCapacity, type CapacityOptions, type CapacityResult, type CapacityStep } from './measure';
import type { CapacityProbeTarget } from '../profiles/capacity-probe';

export interface StreamCapacityRequest {
  /** The profile the stream goes through (the key the outcome is saved under), or null. */
  profile: string | null;
  probe: CapacityProbeTarget | null;
  /** The bitrate the chosen settings need, kbit/s. */
  neededKbps: number;
  /** Moonlight's packet size for this tunnel (1024 when Moonlight detects a VPN). */
  packetSize: number;
  fps: number;
  signal?: AbortSignal;
  onStep?: (step: CapacityStep) => void;
}

export interface StreamCapacityDeps {
  policy: PolicyReader;
  store?: LastCapacityStore;
  logger?: Logger;
  /** The measurement (tests may pass a recorded one); default measureCapacity. */
  measure?: (opts: CapacityOptions) => Promise<CapacityResult>;
  now?: () => Date;
}

export function targetKbpsFor(neededKbps: number): number {
  return Math.min(10_000_000, Math.max(100, Math.ceil(neededKbps / FIT_RULES.headroom)));
}

export async function measureForStream(deps: StreamCapacityDeps, req: StreamCapacityRequest): Promise<CapacityDoc> {
  const now = () => (deps.now?.() ?? new Date()).toISOString();
  const base = { profile: req.profile, neededKbps: req.neededKbps };
  const policy = (await deps.policy.read()).policy;
  if (policy.capacityTest === 'off') {
    return { status: 'unmeasured', ...base, measuredAt: null, reason: 'policy-off', message: 'your organisation turned the line measurement off (policy capacityTest = "off")' };
  }
  if (!req.probe) {
    return { status: 'unmeasured', ...base, measuredAt: null, reason: 'no-probe', message: 'the site file names no iperf3 server to measure against (capacityProbe)' };
  }
  let doc: CapacityDoc;
  try {
    const r = await (deps.measure ?? measureCapacity)({
      host: req.probe.host,
      ports: req.probe.ports,
      targetKbps: targetKbpsFor(req.neededKbps),
      packetSize: req.packetSize,
      fps: req.fps,
      byteBudget: policy.capacityByteBudgetMB * 1_000_000,
      signal: req.signal,
      onStep: req.onStep,
    });
    doc = { status: 'measured', ...base, measuredAt: now(), ...r };
  } catch (err) {
    if (!isCapacityError(err)) throw err;
    deps.logger?.warn('capacity: measurement failed', { code: err.code, error: err.message, ...err.detail });
    doc = { status: 'failed', ...base, measuredAt: now(), reason: err.code, message: err.message.slice(0, 2000) };
  }
  if (req.profile && deps.store) {
    try {
      deps.store.put(req.profile, doc);
    } catch (err) {
      deps.logger?.warn('capacity: could not save the result', { error: (err as Error).message });
    }
  }
  return doc;
}
