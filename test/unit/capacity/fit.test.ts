/** The fit (pure): pass rule, headroom, named limits, and the choice of the next step. */
import { describe, expect, it } from 'vitest';
import { fitBitrate, nextStepKbps, stepLimit, stepPasses, type StepFigures } from '../../../src-main/core/capacity';

const step = (rateKbps: number, over: Partial<StepFigures> = {}): StepFigures => ({
  rateKbps,
  sentKbps: rateKbps,
  receivedKbps: rateKbps,
  lossPercent: 0,
  delayGrowthMs: 0,
  ...over,
});

describe('stepPasses', () => {
  it('passes at loss ≤ 1 % and growth ≤ 30 ms, fails just above either', () => {
    expect(stepPasses(step(10_000, { lossPercent: 1, delayGrowthMs: 30 }))).toBe(true);
    expect(stepPasses(step(10_000, { lossPercent: 1.01 }))).toBe(false);
    expect(stepPasses(step(10_000, { delayGrowthMs: 30.1 }))).toBe(false);
  });
});

describe('fitBitrate', () => {
  it('nothing limits: the fit is the top step × 0.8 and no limit is named', () => {
    expect(fitBitrate([step(20_000)])).toEqual({ recommendedKbps: 16_000, basis: 0, limit: 'none' });
  });

  it('the highest passing step wins, whatever the order', () => {
    const steps = [step(40_000, { lossPercent: 20, receivedKbps: 24_000, delayGrowthMs: 45 }), step(21_600), step(10_000)];
    const f = fitBitrate(steps);
    expect(f.recommendedKbps).toBe(17_280);
    expect(f.basis).toBe(1);
    expect(f.limit).toBe('capacity');
  });

  it('a server that sent less than asked only tested what it sent', () => {
    expect(fitBitrate([step(100_000, { sentKbps: 60_000, receivedKbps: 60_000 })]).recommendedKbps).toBe(48_000);
  });

  it('no passing step: fit 0; loss at every rate is named loss, a queue that grew first is named bufferbloat', () => {
    const loss = [step(20_000, { lossPercent: 3, receivedKbps: 19_400 }), step(10_000, { lossPercent: 3.1, receivedKbps: 9_690 })];
    expect(fitBitrate(loss)).toEqual({ recommendedKbps: 0, basis: null, limit: 'loss' });
    const bloat = [step(40_000, { receivedKbps: 18_500, delayGrowthMs: 320 })];
    expect(fitBitrate(bloat).limit).toBe('bufferbloat');
    expect(fitBitrate([]).limit).toBe('none');
  });
});

describe('stepLimit', () => {
  it('names a failing step by its evidence', () => {
    expect(stepLimit(step(10_000))).toBeNull();
    expect(stepLimit(step(40_000, { lossPercent: 30, receivedKbps: 25_000, delayGrowthMs: 10 }))).toBe('capacity');
    expect(stepLimit(step(40_000, { lossPercent: 0, receivedKbps: 38_000, delayGrowthMs: 50 }))).toBe('capacity');
    expect(stepLimit(step(40_000, { delayGrowthMs: 100 }))).toBe('bufferbloat');
    expect(stepLimit(step(40_000, { lossPercent: 3, receivedKbps: 38_800 }))).toBe('loss');
  });
});

describe('nextStepKbps', () => {
  it('starts at the target, stops after a pass', () => {
    expect(nextStepKbps([], 20_000, 1000)).toBe(20_000);
    expect(nextStepKbps([step(20_000)], 20_000, 1000)).toBeNull();
  });

  it('after a capacity failure: 0.9 × what the path delivered', () => {
    expect(nextStepKbps([step(40_000, { lossPercent: 30, receivedKbps: 25_000 })], 40_000, 1000)).toBe(22_500);
  });

  it('after random loss: half the rate; never above 0.9 × the failed rate; never below the floor', () => {
    expect(nextStepKbps([step(20_000, { lossPercent: 3, receivedKbps: 19_400 })], 20_000, 1000)).toBe(10_000);
    expect(nextStepKbps([step(20_000, { delayGrowthMs: 60, receivedKbps: 30_000 })], 20_000, 1000)).toBe(18_000);
    expect(nextStepKbps([step(1500, { lossPercent: 5, receivedKbps: 1450 })], 1500, 1000)).toBeNull();
  });
});
