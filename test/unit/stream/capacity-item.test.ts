/**
 * The gate's capacity item: measured vs needed, the bitrate Moonlight gets, the proposals, and the unmeasured cases
 * (a warning, never a pass). The fitted bitrate goes into moonlight-qt's argv as `--bitrate <Kbps>` and the
 * moonlight-qt stand-in (its real grammar) accepts it.
 */
import { describe, expect, it } from 'vitest';
import type { CapacityDoc, CapacityMeasured } from '../../../src-main/contract/stream';
import { buildStreamArgv } from '../../../src-main/core/stream/argv';
import { bestModeWithin, decideCapacity, mbit, MIN_USABLE_KBPS, modeLabel, proposeSettings } from '../../../src-main/core/stream/capacity-item';
import { evaluateGate } from '../../../src-main/core/stream/gate';
import { resolveSettings } from '../../../src-main/core/stream/settings';
import { standinRun } from './standin';

type Step = CapacityMeasured['steps'][number];
const step = (rateKbps: number, receivedKbps: number, o: Partial<Step> = {}): Step => {
  const passed = (o.lossPercent ?? 0) <= 1 && (o.delayGrowthMs ?? 0) <= 30;
  return {
    port: 5201, rateKbps, burst: 10, sentKbps: rateKbps, receivedKbps, sentPackets: 1000, receivedPackets: 1000, lossPercent: 0, jitterMs: 0.2,
    delayGrowthMs: 2, outOfOrder: 0, durationMs: 500, setupMs: 20, stoppedEarly: null, passed, limit: passed ? null : 'capacity', ...o,
  };
};
const measured = (downKbps: number, steps: Step[], limit: CapacityMeasured['limit'], neededKbps: number): CapacityDoc => ({
  status: 'measured', profile: 'farm', measuredAt: '2026-12-02T17:00:00.000Z', neededKbps, downKbps, lossPercent: 0, jitterMs: 0.2, delayGrowthMs: 2,
  durationMs: 900, bytes: 3_000_000, server: { host: '10.200.1.1', port: 5201 }, steps, limit, targetKbps: steps[0]!.rateKbps, packetBytes: 1040, fps: 60, truncated: false,
});
const m1440 = { width: 2560, height: 1440, fps: 60, yuv444: false };
const m1080 = { width: 1920, height: 1080, fps: 60, yuv444: false };
const m1080444 = { ...m1080, yuv444: true };

describe('capacity item: measured', () => {
  it('a line that carries the need passes and Moonlight gets the need', () => {
    // need 20 Mbit/s → first step at 25 Mbit/s passed; the server sent a hair less than asked, so the fit is 19.96
    const doc = measured(19_960, [step(25_000, 24_950, { sentKbps: 24_950 })], 'none', 20_000);
    const d = decideCapacity(doc, m1080, 20_000);
    expect(d.items).toHaveLength(1);
    expect(d.items[0]).toMatchObject({ id: 'capacity', status: 'pass' });
    expect(d.bitrateKbps).toBe(20_000);
    expect(d.why).toMatch(/20 Mbit\/s, what 1080p60 needs/);
  });

  it('below the need: a warning with measured vs needed, Moonlight gets the fit, concrete settings proposed', () => {
    const doc = measured(28_000, [step(50_000, 38_900, { lossPercent: 22, passed: false }), step(35_000, 34_900)], 'capacity', 40_000);
    const d = decideCapacity(doc, m1440, 40_000);
    expect(d.items[0]).toMatchObject({ id: 'capacity', status: 'warn', findingCode: 'stream.capacity-low' });
    expect(d.items[0]!.summary).toMatch(/up to 28 Mbit\/s.*1440p60 needs 40 Mbit\/s/);
    expect(d.bitrateKbps).toBe(28_000);
    expect(d.proposal).toBe("1440p60 at 28 Mbit/s or 1080p60 at 20 Mbit/s (Moonlight's default for it, a sharper picture in motion)");
    expect(d.items[0]!.fix).toContain('Stream 1440p60 at 28 Mbit/s');
    expect(d.items[0]!.fix).toMatch(/wired/);
    // With 4:4:4 (the host offers it) the need doubles, and the summary names what needs it.
    const full = decideCapacity(measured(7_400, [step(50_000, 9_300, { lossPercent: 80, passed: false }), step(9_250, 9_300)], 'capacity', 40_000), m1080444, 40_000);
    expect(full.items[0]!.summary).toMatch(/1080p60 4:4:4 needs 40 Mbit\/s: Moonlight gets 7\.4 Mbit\/s$/);
    expect(full.why).toMatch(/instead of the 40 Mbit\/s 1080p60 4:4:4 needs/);
    // a warning does not block
    expect(evaluateGate({ checks: d.items, pathMtu: 1420 }, { maxPacketSizeOptIn: false, requireGate: true, override: false }).blocked).toBe(false);
  });

  it('below 5 Mbit/s: an error with the fix (wired instead of Wi-Fi, another network) that blocks the gate', () => {
    const doc = measured(3_200, [step(25_000, 4_400, { lossPercent: 80, passed: false }), step(4_000, 3_990)], 'capacity', 20_000);
    const d = decideCapacity(doc, m1080, 20_000);
    expect(d.items[0]).toMatchObject({ id: 'capacity', status: 'fail', findingCode: 'stream.capacity-too-low' });
    expect(d.items[0]!.fix).toMatch(/wired connection instead of Wi-Fi/);
    expect(d.items[0]!.fix).toMatch(/another network/);
    expect(d.bitrateKbps).toBe(3_200);
    const g = evaluateGate({ checks: d.items, pathMtu: 1420 }, { maxPacketSizeOptIn: false, requireGate: false, override: false });
    expect(g.blocked).toBe(true);
    expect(g.blockers.map((b) => b.id)).toEqual(['capacity']);
  });

  it('exactly the threshold is usable; nothing passing gives Moonlight its minimum on an override', () => {
    const at = decideCapacity(measured(MIN_USABLE_KBPS, [step(25_000, 6_000, { lossPercent: 50, passed: false }), step(6_250, 6_240)], 'capacity', 20_000), m1080, 20_000);
    expect(at.items[0]!.status).toBe('warn');
    const none = decideCapacity(measured(0, [step(25_000, 20_000, { lossPercent: 4, passed: false, limit: 'loss' }), step(12_500, 10_000, { lossPercent: 4, passed: false, limit: 'loss' })], 'loss', 20_000), m1080, 20_000);
    expect(none.items.map((i) => [i.id, i.status, i.findingCode])).toEqual([
      ['capacity', 'fail', 'stream.capacity-too-low'],
      ['net-loss', 'warn', 'net.loss'],
    ]);
    expect(none.bitrateKbps).toBe(500);
  });

  it('a deep queue adds the bufferbloat warning with the worst growth', () => {
    const doc = measured(14_000, [step(25_000, 19_000, { delayGrowthMs: 420, passed: false, limit: 'bufferbloat' }), step(17_500, 17_400)], 'bufferbloat', 20_000);
    const d = decideCapacity(doc, m1080, 20_000);
    expect(d.items.map((i) => [i.id, i.status])).toEqual([
      ['capacity', 'warn'],
      ['net-bufferbloat', 'warn'],
    ]);
    expect(d.items[1]).toMatchObject({ findingCode: 'net.bufferbloat' });
    expect(d.items[1]!.summary).toContain('420 ms');
  });

  it('the fitted bitrate reaches moonlight-qt as --bitrate <Kbps>, which its grammar (the stand-in) accepts', () => {
    const d = decideCapacity(measured(28_400, [step(50_000, 38_900, { lossPercent: 22, passed: false }), step(35_500, 35_400)], 'capacity', 40_000), m1440, 40_000);
    expect(d.bitrateKbps).toBe(28_400);
    const b = buildStreamArgv({ host: '127.0.0.1:1', app: 'Desktop', settings: resolveSettings({ width: 2560, height: 1440, yuv444: false, bitrateKbps: d.bitrateKbps }), version: [6, 1, 0], hostCodecs: null, packetSize: null });
    expect(b.args.slice(b.args.indexOf('--bitrate'), b.args.indexOf('--bitrate') + 2)).toEqual(['--bitrate', '28400']);
    const r = standinRun(b.args, { MOONLIGHT_STANDIN_VERSION: '6.1.0' });
    expect({ code: r.code, stderr: r.stderr.split('\n')[0] }).toEqual({ code: 0, stderr: 'Failed to connect to 127.0.0.1:1' });
  });
});

describe('capacity item: not measured is a warning, never a pass', () => {
  const un = (reason: string, status: 'unmeasured' | 'failed' = 'unmeasured', message = 'why'): CapacityDoc => ({ status, profile: null, measuredAt: null, neededKbps: 20_000, reason, message });
  it.each([
    ['no-probe', /capacityProbe/],
    ['policy-off', /organisation/],
    ['no-target', /stutters/],
  ])('%s: warn with stream.capacity-unmeasured and its fix; Moonlight gets the need', (reason, fix) => {
    const d = decideCapacity(un(reason), m1080, 20_000);
    expect(d.items).toHaveLength(1);
    expect(d.items[0]).toMatchObject({ id: 'capacity', status: 'warn', findingCode: 'stream.capacity-unmeasured' });
    expect(d.items[0]!.fix).toMatch(fix);
    expect(d.bitrateKbps).toBe(20_000);
  });
  it('a failed measurement warns with the error', () => {
    const d = decideCapacity(un('capacity.refused', 'failed', 'Nothing listens on 10.200.1.1:5201; IT: start iperf3 -s -p 5201.'), m1080, 20_000);
    expect(d.items[0]).toMatchObject({ status: 'warn', findingCode: 'stream.capacity-unmeasured' });
    expect(d.items[0]!.summary).toContain('capacity.refused');
    expect(d.items[0]!.fix).toContain('iperf3 -s -p 5201');
  });
  it('not tried because the tunnel is red: skipped (the tunnel item blocks)', () => {
    expect(decideCapacity(un('gate-blocked'), m1080, 20_000).items[0]!.status).toBe('skip');
  });
});

describe('proposals', () => {
  it('labels and figures', () => {
    expect(modeLabel(2560, 1440, 60)).toBe('1440p60');
    expect(modeLabel(1920, 1200, 60)).toBe('1920x1200 at 60 fps');
    expect(mbit(28_400)).toBe('28');
    expect(mbit(7_350)).toBe('7.3');
  });
  it('the best standard mode is no larger or faster than the chosen one and fits its default', () => {
    expect(bestModeWithin(28_000, m1440)).toMatchObject({ width: 1920, height: 1080, fps: 60, kbps: 20_000 });
    // a tie (1080p30 and 720p60 both need 10 Mbit/s) goes to the higher frame rate
    expect(bestModeWithin(12_000, { width: 1920, height: 1080, fps: 120, yuv444: false })).toMatchObject({ width: 1280, height: 720, fps: 60, kbps: 10_000 });
    expect(bestModeWithin(1_000, m1080)).toBeNull();
  });
  it('with 4:4:4, turning it off is proposed when that fits', () => {
    expect(proposeSettings(24_000, { ...m1080, yuv444: true })).toBe(
      "1080p60 at 24 Mbit/s, 720p60 at 20 Mbit/s (Moonlight's default for it, a sharper picture in motion) or 1080p60 without YUV 4:4:4 at 20 Mbit/s (4:4:4 doubles the bitrate)",
    );
  });
});
