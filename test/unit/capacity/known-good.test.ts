/**
 * Known-good (docs/capacity.md "Per-network memory"): when this session's measurement does not run or fails, the
 * last fit measured for the profile on the same network (measureForStream's `knownGood`) is what the gate passes to
 * Moonlight, never more than the settings need, and the capacity item still warns (never a pass).
 */
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CapacitySchema, type CapacityDoc } from '../../../src-main/contract/stream';
import { CapacityError, KNOWN_GOOD_MAX_AGE_MS, LastCapacityStore, measureForStream, type CapacityResult } from '../../../src-main/core/capacity';
import { createPolicyReader } from '../../../src-main/core/policy/policy';
import { decideCapacity } from '../../../src-main/core/stream/capacity-item';
import { tempDirs } from '../../support/tmp';

const tmp = tempDirs('lh-knowngood-');
const store = () => new LastCapacityStore(tmp());
const result = (downKbps: number): CapacityResult => ({
  downKbps, lossPercent: 0, jitterMs: 0.1, delayGrowthMs: 1, durationMs: 800, bytes: 1_000_000, server: { host: '10.200.1.1', port: 5201 },
  steps: [{ port: 5201, rateKbps: 25_000, burst: 50, sentKbps: 25_000, receivedKbps: downKbps, sentPackets: 1500, receivedPackets: 1500, lossPercent: 0, jitterMs: 0.1, delayGrowthMs: 1, outOfOrder: 0, durationMs: 500, setupMs: 10, stoppedEarly: null, passed: downKbps >= 25_000, limit: downKbps >= 25_000 ? null : 'capacity' }],
  limit: downKbps >= 25_000 ? 'none' : 'capacity', targetKbps: 25_000, packetBytes: 1040, fps: 60, truncated: false,
});
const policyWith = (values: Record<string, unknown>) => createPolicyReader([{ name: 'test', read: async () => ({ status: 'ok', values, unknownKeys: [] }) }]);
const policy = policyWith({});
const req = { profile: 'farm', probe: { host: '10.200.1.1', ports: [5201] }, neededKbps: 20_000, packetSize: 1024, fps: 60 };
const NET = '24e86c589ec901fd';
const OTHER = '0123456789abcdef';
const busy = async (): Promise<CapacityResult> => {
  throw new CapacityError('capacity.busy', 'the iperf3 server is busy with another test');
};
const m1080 = { width: 1920, height: 1080, fps: 60, yuv444: false };
const day1 = () => new Date('2026-12-02T12:00:00Z');
const day2 = () => new Date('2026-12-03T09:00:00Z');

describe('measureForStream: knownGood', () => {
  it('a failed measurement on a network measured before carries that fit; the doc is valid against the contract', async () => {
    const s = store();
    await measureForStream({ policy, store: s, measure: async () => result(12_000), now: day1 }, { ...req, networkId: NET });
    const failed = await measureForStream({ policy, store: s, measure: busy, now: day2 }, { ...req, networkId: NET });
    expect(CapacitySchema.parse(failed)).toMatchObject({ status: 'failed', reason: 'capacity.busy', knownGood: { networkId: NET, downKbps: 12_000, measuredAt: '2026-12-02T12:00:00.000Z' } });
    // Saved per profile (the report's last outcome), never with knownGood and never over the network's real figure.
    expect(s.get('farm')).toMatchObject({ status: 'failed' });
    expect(s.get('farm')).not.toHaveProperty('knownGood');
    expect(s.onNetwork(NET, 'farm')).toMatchObject({ status: 'measured', downKbps: 12_000 });
  });
  it('no probe this time (site changed) and policy off: knownGood too; nothing saved for a measurement that was not tried', async () => {
    const s = store();
    await measureForStream({ policy, store: s, measure: async () => result(12_000), now: day1 }, { ...req, networkId: NET });
    const before = fs.readFileSync(s.file, 'utf8');
    const noProbe = await measureForStream({ policy, store: s, now: day2 }, { ...req, probe: null, networkId: NET });
    expect(noProbe).toMatchObject({ status: 'unmeasured', reason: 'no-probe', knownGood: { downKbps: 12_000 } });
    const off = await measureForStream({ policy: policyWith({ capacityTest: 'off' }), store: s, now: day2 }, { ...req, networkId: NET });
    expect(off).toMatchObject({ status: 'unmeasured', reason: 'policy-off', knownGood: { downKbps: 12_000 } });
    expect(fs.readFileSync(s.file, 'utf8')).toBe(before);
  });
  it('another network, an unknown network, another profile, or a figure older than 30 days: no knownGood', async () => {
    const s = store();
    await measureForStream({ policy, store: s, measure: async () => result(12_000), now: day1 }, { ...req, networkId: NET });
    expect(await measureForStream({ policy, store: s, measure: busy, now: day2 }, { ...req, networkId: OTHER })).not.toHaveProperty('knownGood');
    expect(await measureForStream({ policy, store: s, measure: busy, now: day2 }, { ...req, networkId: null })).not.toHaveProperty('knownGood');
    expect(await measureForStream({ policy, store: s, measure: busy, now: day2 }, { ...req, profile: 'other', networkId: NET })).not.toHaveProperty('knownGood');
    const late = () => new Date(day1().getTime() + KNOWN_GOOD_MAX_AGE_MS + 1000);
    expect(await measureForStream({ policy, store: s, measure: busy, now: late }, { ...req, networkId: NET })).not.toHaveProperty('knownGood');
  });
  it('a measured outcome never carries knownGood (this measurement wins)', async () => {
    const s = store();
    await measureForStream({ policy, store: s, measure: async () => result(12_000), now: day1 }, { ...req, networkId: NET });
    const again = await measureForStream({ policy, store: s, measure: async () => result(30_000), now: day2 }, { ...req, networkId: NET });
    expect(again).toMatchObject({ status: 'measured', downKbps: 30_000 });
    expect(again).not.toHaveProperty('knownGood');
  });
});

describe('decideCapacity with knownGood', () => {
  type NotMeasured = Extract<CapacityDoc, { status: 'failed' | 'unmeasured' }>;
  const failed = (downKbps: number, reason = 'capacity.busy'): NotMeasured => ({
    status: 'failed', profile: 'farm', measuredAt: '2026-12-03T09:00:00.000Z', neededKbps: 20_000, reason, message: 'the iperf3 server is busy with another test',
    knownGood: { networkId: NET, downKbps, measuredAt: '2026-12-02T12:00:00.000Z' },
  });
  it('a remembered fit below the need: Moonlight gets that fit, the item warns and says where the figure comes from', () => {
    const d = decideCapacity(failed(12_340), m1080, 20_000);
    expect(d.bitrateKbps).toBe(12_300);
    expect(d.items).toHaveLength(1);
    expect(d.items[0]).toMatchObject({ id: 'capacity', status: 'warn', findingCode: 'stream.capacity-unmeasured', evidence: { knownGoodKbps: 12_340, knownGoodAt: '2026-12-02T12:00:00.000Z' } });
    expect(d.items[0]!.summary).toContain('the last measurement on this network (2026-12-02 12:00 UTC) found 12 Mbit/s');
    expect(d.why).toMatch(/^Moonlight gets 12 Mbit\/s from the last measurement on this network .* \(these settings need 20\)/);
    expect(d.proposal).toMatch(/^1080p60 at 12 Mbit\/s/);
  });
  it('a remembered fit that carries the need: Moonlight gets the need, still a warning (never a pass)', () => {
    const d = decideCapacity(failed(50_000), m1080, 20_000);
    expect(d.bitrateKbps).toBe(20_000);
    expect(d.items[0]!.status).toBe('warn');
    expect(d.proposal).toBeNull();
  });
  it('a tiny remembered fit never goes below Moonlight\'s minimum; gate-blocked still skips and ignores the memory', () => {
    expect(decideCapacity(failed(120), m1080, 20_000).bitrateKbps).toBe(500);
    const blocked = decideCapacity({ ...failed(12_000), status: 'unmeasured', reason: 'gate-blocked' }, m1080, 20_000);
    expect(blocked.items[0]!.status).toBe('skip');
    expect(blocked.bitrateKbps).toBe(20_000);
  });
  it('without knownGood the behaviour is unchanged: the need', () => {
    const { knownGood: _drop, ...plain } = failed(12_000);
    expect(decideCapacity(plain, m1080, 20_000).bitrateKbps).toBe(20_000);
  });
});
