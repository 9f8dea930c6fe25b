/**
 * Stream fitness for one stream: policy (`capacityTest`, `capacityByteBudgetMB`), the site's `capacityProbe`, the
 * measurement, and the last outcome saved per profile. Never throws for a measurement that could not run: the outcome
 * is `unmeasured` (not tried) or `failed` (tried; `reason` is the CapacityError code). Environment: plain Node.
 *
 * The first step asks for needed ÷ 0.8 (the fit's headroom, fit.ts): on a line that carries the settings the fit is
 * then exactly what they need.
 *
 * Per-network memory (docs/capacity.md): with a `networkId` (core/net/network-identity.ts) a measured outcome is also
 * saved under that network, and the returned doc carries `network` — the last measured fit on that network for this
 * profile and, when this one is below 70 % of it (change.ts `capacityChange`), the `fell` sentence. Failed and
 * unmeasured outcomes are never saved per network (they would hide the last real figure). When this one did not run
 * or failed, the returned doc carries `knownGood`: the last measured fit for this profile on this network (at most
 * KNOWN_GOOD_MAX_AGE_MS old), which the gate's capacity item passes to Moonlight instead of an unproven need.
 */
import type { CapacityDoc, CapacityMeasured } from '../../contract/stream';
import type { Logger } from '../log/logger';
import type { PolicyReader } from '../policy/policy';
import { capacityChange } from './change';
import { isCapacityError } from './errors';
import { FIT_RULES } from './fit';
import { NETWORK_ID, type LastCapacityStore } from './last-result';
import { measureCapacity, type CapacityOptions, type CapacityResult, type CapacityStep } from './measure';
import type { CapacityProbeTarget } from '../profiles/capacity-probe';

export interface StreamCapacityRequest {
  /** The profile the stream goes through (the key the outcome is saved under), or null. */
  profile: string | null;
  probe: CapacityProbeTarget | null;
  /** The network the machine is on (core/net/network-identity.ts), or null/absent when unknown. */
  networkId?: string | null;
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

/** A remembered fit older than this is not used as known-good (the network may have changed since). */
export const KNOWN_GOOD_MAX_AGE_MS = 30 * 24 * 3600_000;

export async function measureForStream(deps: StreamCapacityDeps, req: StreamCapacityRequest): Promise<CapacityDoc> {
  const doc = await measureOnce(deps, req);
  const networkId = req.networkId && NETWORK_ID.test(req.networkId) ? req.networkId : null;
  if (!req.profile || !deps.store) return doc;
  const last = networkId ? lastMeasured(deps, networkId, req.profile) : null;
  let out: CapacityDoc = doc;
  if (networkId && doc.status === 'measured') {
    out = { ...doc, network: { id: networkId, previousKbps: last?.downKbps ?? null, previousAt: last?.measuredAt ?? null, fell: capacityChange(last, doc)?.text ?? null } };
  } else if (networkId && doc.status !== 'measured' && last && isFresh(last.measuredAt, deps.now?.() ?? new Date())) {
    out = { ...doc, knownGood: { networkId, downKbps: last.downKbps, measuredAt: last.measuredAt } };
  }
  // Unmeasured outcomes (not tried) are not saved; failed ones are saved per profile only (never per network: they
  // would hide the last real figure).
  if (doc.status === 'unmeasured') return out;
  try {
    deps.store.put(req.profile, doc, doc.status === 'measured' ? networkId : null);
  } catch (err) {
    deps.logger?.warn('capacity: could not save the result', { error: (err as Error).message });
  }
  return out;
}

function isFresh(at: string, now: Date): boolean {
  const t = Date.parse(at);
  return Number.isFinite(t) && now.getTime() - t <= KNOWN_GOOD_MAX_AGE_MS && t <= now.getTime() + 60_000;
}

function lastMeasured(deps: StreamCapacityDeps, networkId: string, profile: string): CapacityMeasured | null {
  try {
    const previous = deps.store?.onNetwork(networkId, profile) ?? null;
    return previous?.status === 'measured' ? previous : null;
  } catch (err) {
    deps.logger?.warn('capacity: could not read the saved results', { error: (err as Error).message });
    return null;
  }
}

async function measureOnce(deps: StreamCapacityDeps, req: StreamCapacityRequest): Promise<CapacityDoc> {
  const now = () => (deps.now?.() ?? new Date()).toISOString();
  const base = { profile: req.profile, neededKbps: req.neededKbps };
  const policy = (await deps.policy.read()).policy;
  if (policy.capacityTest === 'off') {
    return { status: 'unmeasured', ...base, measuredAt: null, reason: 'policy-off', message: 'your organisation turned the line measurement off (policy capacityTest = "off")' };
  }
  if (!req.probe) {
    return { status: 'unmeasured', ...base, measuredAt: null, reason: 'no-probe', message: 'the site file names no iperf3 server to measure against (capacityProbe)' };
  }
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
    return { status: 'measured', ...base, measuredAt: now(), ...r };
  } catch (err) {
    if (!isCapacityError(err)) throw err;
    deps.logger?.warn('capacity: measurement failed', { code: err.code, error: err.message, ...err.detail });
    return { status: 'failed', ...base, measuredAt: now(), reason: err.code, message: err.message.slice(0, 2000) };
  }
}
