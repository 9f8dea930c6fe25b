/**
 * Fitting Moonlight's bitrate to the measured steps, and choosing the next step. Pure functions. Environment: any.
 *
 * - A step passes when its loss ≤ 1 % and its delay growth ≤ 30 ms.
 * - The fit is the highest passing rate × 0.8 (headroom): the recommended bitrate. With nothing limiting, the fit is
 *   the top step × 0.8. With no passing step, the fit is 0 and `limit` names why.
 * - A step's tested rate is the lower of what was asked and what the server actually sent (a server that cannot
 *   keep up has not tested the asked rate).
 * - A failing step's limit: bufferbloat when its delay grew ≥ 100 ms; capacity when the path delivered < 0.9 × the
 *   tested rate, when the delay grew past 30 ms, or when it lost packets while a queue of ≥ 5 ms built (a queue that
 *   fills and then drops: observed 9–10 ms behind a 25 Mbit/s tbf cap, ≤ 0.5 ms under 3 % random loss, lab 70);
 *   otherwise loss (random: not caused by the rate).
 * - Steps: the first is the rate the chosen settings need; each failing step is followed by one below it — 0.9 × the
 *   rate the path delivered while overloaded when the path was the limit (capacity or bufferbloat), or half the rate
 *   when the loss did not come from the rate (random loss: halving shows whether it persists).
 * - Once a step passed well below a failed one, the search steps back up: midway between the best pass and the
 *   failure's ceiling estimate (the lower of its tested and delivered rates: an overloaded step's delivered rate
 *   over-reads the ceiling a little, tbf's bucket and queue draining into its short window — lab 70: 0.94–1.03 × the
 *   cap against a true 0.91), until that ceiling is within 15 % of the best pass. After a capacity failure the next
 *   step is already 0.9 × the delivered rate, so this only adds steps after a halving (loss that was not random) or a
 *   pass far down; without it, a need right at the line's cap whose first step was called random loss fitted 0.4 ×
 *   the cap.
 * - The search ends when it has nothing left to try, under `minKbps`, or when the time or byte budget ends
 *   (measure.ts; a step back up that does not fit the budget is simply not run).
 */

export const FIT_RULES = {
  maxLossPercent: 1,
  maxDelayGrowthMs: 30,
  headroom: 0.8,
  /** Delay growth from which a failing step is called bufferbloat: the path queued this long before dropping. */
  bufferbloatMs: 100,
  /** Below this share of the sent rate, the path delivered less than it was given: it is the bottleneck. */
  deliveredShare: 0.9,
  /** A failing step that lost packets while its delay grew this much lost them to a queue that filled: capacity. */
  queueMs: 5,
  /** Stop stepping back up when the failure's ceiling estimate is within this factor of the best pass. */
  refineGap: 1.15,
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
  if (s.delayGrowthMs >= FIT_RULES.queueMs) return 'capacity';
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
 * random loss that persisted down to the lowest step (nothing passed) is named 'loss' whatever came first, and loss
 * that every lower step (at least two) was free of is named 'capacity': random loss would have met one of them.
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
  const limit = stepLimit(highest) ?? 'none';
  // Loss that went away when the rate was lowered (every step below it passed, at least two) came from the rate.
  if (limit === 'loss') {
    const below = steps.filter((s) => testedKbps(s) < testedKbps(highest));
    if (below.length >= 2 && below.every(stepPasses)) return 'capacity';
  }
  return limit;
}

/** The next rate to test (kbit/s), or null when the search is over. */
export function nextStepKbps(steps: readonly StepFigures[], targetKbps: number, minKbps: number): number | null {
  if (steps.length === 0) return targetKbps >= minKbps ? Math.floor(targetKbps) : null;
  const best = fitBitrate(steps).basis;
  if (best !== null) return stepBackUp(steps, testedKbps(steps[best]!));
  const last = steps[steps.length - 1]!;
  const tested = testedKbps(last);
  const limit = stepLimit(last);
  const proposal = limit === 'loss' ? 0.5 * tested : FIT_RULES.deliveredShare * Math.min(last.receivedKbps, tested);
  const next = Math.floor(Math.min(proposal, FIT_RULES.deliveredShare * tested));
  return next >= minKbps ? next : null;
}

/** After a pass at `passKbps`: midway to the lowest ceiling estimate of the failures above it, or null (close enough). */
function stepBackUp(steps: readonly StepFigures[], passKbps: number): number | null {
  let ceiling = Number.POSITIVE_INFINITY;
  for (const s of steps) {
    const tested = testedKbps(s);
    if (stepPasses(s) || tested <= passKbps) continue;
    ceiling = Math.min(ceiling, tested, s.receivedKbps);
  }
  if (!Number.isFinite(ceiling) || ceiling < passKbps * FIT_RULES.refineGap) return null;
  return Math.floor((passKbps + ceiling) / 2);
}
