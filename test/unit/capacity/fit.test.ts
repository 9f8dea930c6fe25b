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

  it('a step back up that passed raises the fit; one that failed leaves the pass below it', () => {
    const fail = step(25_000, { lossPercent: 5.29, receivedKbps: 23_265, delayGrowthMs: 4 });
    // Two lower steps free of the loss: it came from the rate (capacity), not at random.
    expect(fitBitrate([fail, step(12_500), step(17_882)])).toEqual({ recommendedKbps: 14_305, basis: 2, limit: 'capacity' });
    expect(fitBitrate([fail, step(12_500)]).limit).toBe('loss'); // one clean step proves nothing
    const upFail = step(17_882, { lossPercent: 2, receivedKbps: 17_000, delayGrowthMs: 8 });
    expect(fitBitrate([fail, step(12_500), upFail])).toEqual({ recommendedKbps: 10_000, basis: 1, limit: 'loss' });
    // Lab 70, 3 % random loss with one lucky step: the steps back up met the loss again; still loss.
    const lucky = [step(12_000, { lossPercent: 3.76, receivedKbps: 11_903 }), step(6_000, { lossPercent: 0.81 }), step(9_000, { lossPercent: 1.43 }), step(7_500, { lossPercent: 2.15 })];
    expect(fitBitrate(lucky)).toEqual({ recommendedKbps: 4_800, basis: 1, limit: 'loss' });
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

  it('loss while a queue built is the path overflowing (capacity), not random loss', () => {
    // Lab 70, first step 25 Mbit/s behind a 25 Mbit/s tbf cap: 5.3 % loss, 23.2 delivered, the delay grew 9.5 ms.
    expect(stepLimit(step(25_000, { lossPercent: 5.29, receivedKbps: 23_265, delayGrowthMs: 9.5 }))).toBe('capacity');
    expect(stepLimit(step(25_000, { lossPercent: 5.29, receivedKbps: 23_265, delayGrowthMs: 4.9 }))).toBe('loss');
    // 3 % random loss at 12 Mbit/s: growth 0–0.5 ms.
    expect(stepLimit(step(12_000, { lossPercent: 3, receivedKbps: 11_885, delayGrowthMs: 0.2 }))).toBe('loss');
  });
});

describe('nextStepKbps', () => {
  it('starts at the target, stops after a pass with nothing failed above it', () => {
    expect(nextStepKbps([], 20_000, 1000)).toBe(20_000);
    expect(nextStepKbps([step(20_000)], 20_000, 1000)).toBeNull();
  });

  it('after a pass well below a failure: midway up to the failure\'s ceiling (its delivered rate), until within 15 %', () => {
    // Lab 70, the need right at a 25 Mbit/s cap, when the first step's queue stayed under 5 ms: called random loss,
    // halved; the search then climbs back towards the 23.3 Mbit/s it delivered.
    const first = step(25_000, { lossPercent: 5.29, receivedKbps: 23_265, delayGrowthMs: 4 });
    expect(nextStepKbps([first], 25_000, 1000)).toBe(12_500);
    expect(nextStepKbps([first, step(12_500)], 25_000, 1000)).toBe(17_882);
    expect(nextStepKbps([first, step(12_500), step(17_882)], 25_000, 1000)).toBe(20_573);
    expect(nextStepKbps([first, step(12_500), step(17_882), step(20_573)], 25_000, 1000)).toBeNull(); // 23 265 < 1.15 × 20 573
    // After a capacity failure the step below is 0.9 × the delivered rate: already within 15 %, no step back up.
    const capped = step(50_000, { lossPercent: 49, receivedKbps: 24_100, delayGrowthMs: 8 });
    expect(nextStepKbps([capped], 50_000, 1000)).toBe(21_690);
    expect(nextStepKbps([capped, step(21_690)], 50_000, 1000)).toBeNull();
    // A step back up that failed lowers the ceiling; under 1.15 × the pass it ends the search.
    const lossy = step(20_000, { lossPercent: 3, receivedKbps: 19_400 });
    expect(nextStepKbps([lossy, step(10_000)], 20_000, 1000)).toBe(14_700);
    const upFail = step(14_700, { lossPercent: 4, receivedKbps: 11_000, delayGrowthMs: 40 });
    expect(nextStepKbps([lossy, step(10_000), upFail], 20_000, 1000)).toBeNull();
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
