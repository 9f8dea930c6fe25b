/**
 * Fitting Moonlight's bitrate to the measured steps, and choosing the next step. Pure functions. Environment: any.
 *
 * - A step passes when its loss ≤ 1 % and its delay growth ≤ 30 ms.
 * - The fit is the highest passing rate × 0.8 (headroom): the recommended bitrate. With nothing limiting, the fit is
 *   the top step × 0.8. With no passing step, the fit is 0 and `limit` names why.
 * - A step's tested rate is the lower of what was asked and what the server actually sent (a server that cannot
 *   keep up has not tested the asked rate).
 * - Steps: the first is the rate the chosen settings need; each failing step is followed by one below it — 0.9 × the
 *   rate the path delivered while overloaded when the path was the limit (capacity or bufferbloat), or half the rate
 *   when the loss did not come from the rate (random loss: halving shows whether it persists). The search stops at
 *   the first passing step, under `minKbps`, or when the time or byte budget ends (measure.ts).
 */

export const FIT_RULES = {
  maxLossPercent: 1,
  maxDelayGrowthMs: 30,
  headroom: 0.8,
  /** Delay growth from which a failing step is called bufferbloat: the path queued this long before dropping. */
  bufferbloatMs: 100,
  /** Below this share of the sent rate, the path delivered less than it was given: it is the bottleneck. */
  deliveredShare: 0.9,
} as const;

export type CapacityLimit = 'none' | 'capacity' | 'bufferbloat' | 'loss';

/** What fit and planning need of a step (a subset of CapacityStep). */
export interface StepFigures {
  rateKbps: number;
  sentKbps: number;
  receivedKbps: number;
  lossPercent: number;
  delayGrowthMs: number;
}

export function testedKbps(s: StepFigures): number {
  return s.sentKbps > 0 ? Math.min(s.rateKbps, s.sentKbps) : s.rateKbps;
}

export function stepPasses(s: StepFigures): boolean {
  return s.lossPercent <= FIT_RULES.maxLossPercent && s.delayGrowthMs <= FIT_RULES.maxDelayGrowthMs;
}

/** Why a step failed: 'bufferbloat' (deep queue), 'capacity' (the path delivered less, or a queue built), 'loss'. */
export function stepLimit(s: StepFigures): Exclude<CapacityLimit, 'none'> | null {
  if (stepPasses(s)) return null;
  if (s.delayGrowthMs >= FIT_RULES.bufferbloatMs) return 'bufferbloat';
  if (s.delayGrowthMs > FIT_RULES.maxDelayGrowthMs || s.receivedKbps < FIT_RULES.deliveredShare * testedKbps(s)) return 'capacity';
  return 'loss';
}

export interface Fit {
  /** The recommended bitrate (kbit/s): 0.8 × the highest passing tested rate; 0 when no step passed. */
  recommendedKbps: number;
  /** Index of the step the fit rests on, or null. */
  basis: number | null;
  limit: CapacityLimit;
}

export function fitBitrate(steps: readonly StepFigures[]): Fit {
  let basis: number | null = null;
  for (let i = 0; i < steps.length; i++) {
    if (stepPasses(steps[i]!) && (basis === null || testedKbps(steps[i]!) > testedKbps(steps[basis]!))) basis = i;
  }
  const recommendedKbps = basis === null ? 0 : Math.floor(testedKbps(steps[basis]!) * FIT_RULES.headroom);
  return { recommendedKbps, basis, limit: overallLimit(steps, basis) };
}

/**
 * The limit to name: none when the highest step passed; otherwise the reason of the highest failing step, except that
 * random loss that persisted down to the lowest step (nothing passed) is named 'loss' whatever came first.
 */
function overallLimit(steps: readonly StepFigures[], basis: number | null): CapacityLimit {
  const failing = steps.filter((s) => !stepPasses(s));
  if (failing.length === 0) return 'none';
  const highest = failing.reduce((a, b) => (testedKbps(b) > testedKbps(a) ? b : a));
  if (basis !== null && testedKbps(steps[basis]!) >= testedKbps(highest)) return 'none';
  if (basis === null) {
    const lowest = failing.reduce((a, b) => (testedKbps(b) < testedKbps(a) ? b : a));
    if (stepLimit(lowest) === 'loss') return 'loss';
  }
  return stepLimit(highest) ?? 'none';
}

/** The next rate to test (kbit/s), or null when the search is over. */
export function nextStepKbps(steps: readonly StepFigures[], targetKbps: number, minKbps: number): number | null {
  if (steps.length === 0) return targetKbps >= minKbps ? Math.floor(targetKbps) : null;
  const last = steps[steps.length - 1]!;
  if (stepPasses(last)) return null;
  const tested = testedKbps(last);
  const limit = stepLimit(last);
  const proposal = limit === 'loss' ? 0.5 * tested : FIT_RULES.deliveredShare * Math.min(last.receivedKbps, tested);
  const next = Math.floor(Math.min(proposal, FIT_RULES.deliveredShare * tested));
  return next >= minKbps ? next : null;
}
