/**
 * Per-network memory: the fall decision (core/capacity/change.ts), its wiring through measureForStream (saved per
 * network, `network` on the returned doc) and the gate item `stream.capacity-fell` (core/stream/capacity-item.ts).
 */
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CapacitySchema, type CapacityDoc, type CapacityMeasured } from '../../../src-main/contract/stream';
import { capacityChange, CapacityError, LastCapacityStore, measureForStream, relativeDay, type CapacityResult } from '../../../src-main/core/capacity';
import { endpointIpOf } from '../../../src-main/core/net/network-identity';
import { createPolicyReader } from '../../../src-main/core/policy/policy';
import { decideCapacity } from '../../../src-main/core/stream/capacity-item';
import { evaluateGate } from '../../../src-main/core/stream/gate';
import { tempDirs } from '../../support/tmp';

const tmp = tempDirs('lh-capfell-');
const doc = (downKbps: number, measuredAt: string): CapacityMeasured => ({
  status: 'measured', profile: 'farm', neededKbps: 20_000, measuredAt, downKbps, lossPercent: 0, jitterMs: 0.1, delayGrowthMs: 1, durationMs: 800, bytes: 1_000_000,
  server: { host: '10.200.1.1', port: 5201 }, steps: [], limit: 'none', targetKbps: 25_000, packetBytes: 1040, fps: 60, truncated: false,
});
const result = (downKbps: number): CapacityResult => ({
  downKbps, lossPercent: 0, jitterMs: 0.1, delayGrowthMs: 1, durationMs: 800, bytes: 1_000_000, server: { host: '10.200.1.1', port: 5201 },
  steps: [{ port: 5201, rateKbps: 25_000, burst: 50, sentKbps: 25_000, receivedKbps: downKbps, sentPackets: 1500, receivedPackets: 1500, lossPercent: 0, jitterMs: 0.1, delayGrowthMs: 1, outOfOrder: 0, durationMs: 500, setupMs: 10, stoppedEarly: null, passed: downKbps >= 25_000, limit: downKbps >= 25_000 ? null : 'capacity' }],
  limit: downKbps >= 25_000 ? 'none' : 'capacity', targetKbps: 25_000, packetBytes: 1040, fps: 60, truncated: false,
});
const policy = createPolicyReader([{ name: 'test', read: async () => ({ status: 'ok', values: {}, unknownKeys: [] }) }]);
const req = { profile: 'farm', probe: { host: '10.200.1.1', ports: [5201] }, neededKbps: 20_000, packetSize: 1024, fps: 60 };
const NET = '24e86c589ec901fd';
const OTHER = '0123456789abcdef';

describe('capacityChange', () => {
  it('below 70 % of the last fit: the sentence with both figures and the day', () => {
    const c = capacityChange(doc(40_000, '2026-12-02T12:00:00.000Z'), doc(12_000, '2026-12-03T12:00:00.000Z'));
    expect(c).toEqual({ previousKbps: 40_000, currentKbps: 12_000, previousAt: '2026-12-02T12:00:00.000Z', since: 'yesterday', text: 'capacity on this network fell from 40 to 12 Mbit/s since yesterday' });
    expect(capacityChange(doc(40_000, '2026-11-30T12:00:00.000Z'), doc(8_500, '2026-12-03T12:00:00.000Z'))?.text).toBe('capacity on this network fell from 40 to 8.5 Mbit/s since 3 days ago');
    expect(capacityChange(doc(40_000, '2026-12-03T12:00:00.000Z'), doc(20_000, '2026-12-03T12:05:00.000Z'))?.since).toBe('earlier today');
  });
  it('at or above 70 %, a rise, or anything not measured: null', () => {
    expect(capacityChange(doc(40_000, '2026-12-02T12:00:00.000Z'), doc(28_000, '2026-12-03T12:00:00.000Z'))).toBeNull();
    expect(capacityChange(doc(40_000, '2026-12-02T12:00:00.000Z'), doc(27_999, '2026-12-03T12:00:00.000Z'))).not.toBeNull();
    expect(capacityChange(doc(10_000, '2026-12-02T12:00:00.000Z'), doc(40_000, '2026-12-03T12:00:00.000Z'))).toBeNull();
    expect(capacityChange(null, doc(1_000, '2026-12-03T12:00:00.000Z'))).toBeNull();
    const failed: CapacityDoc = { status: 'failed', profile: 'farm', measuredAt: '2026-12-02T12:00:00.000Z', neededKbps: 20_000, reason: 'capacity.busy', message: 'busy' };
    expect(capacityChange(failed, doc(1_000, '2026-12-03T12:00:00.000Z'))).toBeNull();
    expect(capacityChange(doc(40_000, '2026-12-02T12:00:00.000Z'), failed)).toBeNull();
    expect(capacityChange(doc(40_000, 'not a date'), doc(1_000, '2026-12-03T12:00:00.000Z'))).toBeNull();
  });
  it('relativeDay counts calendar days', () => {
    expect(relativeDay(new Date(2026, 11, 2, 23, 50), new Date(2026, 11, 3, 0, 10))).toBe('yesterday');
    expect(relativeDay(new Date(2026, 11, 3, 0, 10), new Date(2026, 11, 3, 23, 50))).toBe('earlier today');
    expect(relativeDay(new Date(2026, 10, 26, 9), new Date(2026, 11, 3, 9))).toBe('7 days ago');
  });
});

describe('measureForStream per network', () => {
  it('first time on a network: no previous; then a fall is reported, saved per network, and not saved into the store', async () => {
    const store = new LastCapacityStore(tmp());
    const first = await measureForStream({ policy, store, measure: async () => result(40_000), now: () => new Date('2026-12-02T12:00:00Z') }, { ...req, networkId: NET });
    expect(first).toMatchObject({ status: 'measured', network: { id: NET, previousKbps: null, previousAt: null, fell: null } });
    const second = await measureForStream({ policy, store, measure: async () => result(12_000), now: () => new Date('2026-12-03T12:00:00Z') }, { ...req, networkId: NET });
    expect(CapacitySchema.parse(second)).toMatchObject({ network: { id: NET, previousKbps: 40_000, previousAt: '2026-12-02T12:00:00.000Z', fell: 'capacity on this network fell from 40 to 12 Mbit/s since yesterday' } });
    expect(store.onNetwork(NET, 'farm')).toMatchObject({ downKbps: 12_000 });
    expect(store.onNetwork(NET, 'farm')).not.toHaveProperty('network');
    expect(store.get('farm')).not.toHaveProperty('network');
  });
  it('another network does not compare with this one; no network id: nothing per network', async () => {
    const store = new LastCapacityStore(tmp());
    await measureForStream({ policy, store, measure: async () => result(40_000), now: () => new Date('2026-12-02T12:00:00Z') }, { ...req, networkId: NET });
    const elsewhere = await measureForStream({ policy, store, measure: async () => result(6_000), now: () => new Date('2026-12-03T12:00:00Z') }, { ...req, networkId: OTHER });
    expect(elsewhere).toMatchObject({ network: { id: OTHER, previousKbps: null, fell: null } });
    const unknown = await measureForStream({ policy, store, measure: async () => result(6_000), now: () => new Date('2026-12-03T13:00:00Z') }, { ...req, networkId: null });
    expect(unknown).not.toHaveProperty('network');
    expect(Object.keys(store.networks()).sort()).toEqual([OTHER, NET].sort());
    expect(store.onNetwork(NET, 'farm')).toMatchObject({ downKbps: 40_000 });
  });
  it('a failed measurement is not remembered per network (the last real figure stays)', async () => {
    const store = new LastCapacityStore(tmp());
    await measureForStream({ policy, store, measure: async () => result(40_000), now: () => new Date('2026-12-02T12:00:00Z') }, { ...req, networkId: NET });
    const failed = await measureForStream({ policy, store, measure: async () => { throw new CapacityError('capacity.busy', 'busy'); } }, { ...req, networkId: NET });
    expect(failed).toMatchObject({ status: 'failed' });
    expect(failed).not.toHaveProperty('network');
    expect(store.onNetwork(NET, 'farm')).toMatchObject({ status: 'measured', downKbps: 40_000 });
    expect(store.get('farm')).toMatchObject({ status: 'failed' });
  });
  it('a malformed network id (a raw MAC) is ignored, never stored', async () => {
    const store = new LastCapacityStore(tmp());
    const d = await measureForStream({ policy, store, measure: async () => result(40_000) }, { ...req, networkId: '52:53:c2:82:93:4d' });
    expect(d).not.toHaveProperty('network');
    expect(fs.readFileSync(store.file, 'utf8')).not.toContain('52:53');
  });
});

describe('gate item stream.capacity-fell', () => {
  const m1080 = { width: 1920, height: 1080, fps: 60, yuv444: false };
  it('a fall adds a warning item (not blocking) next to the capacity verdict', () => {
    const fell = { ...doc(30_000, '2026-12-03T12:00:00.000Z'), network: { id: NET, previousKbps: 60_000, previousAt: '2026-12-02T12:00:00.000Z', fell: 'capacity on this network fell from 60 to 30 Mbit/s since yesterday' } };
    const d = decideCapacity(fell, m1080, 20_000);
    expect(d.items[0]).toMatchObject({ id: 'capacity', status: 'pass' });
    const item = d.items.find((i) => i.id === 'capacity-fell');
    expect(item).toMatchObject({ status: 'warn', findingCode: 'stream.capacity-fell', summary: 'capacity on this network fell from 60 to 30 Mbit/s since yesterday' });
    expect(item!.fix).toMatch(/cable/);
    expect(evaluateGate({ checks: d.items, pathMtu: 1420 }, { maxPacketSizeOptIn: false, requireGate: true, override: false }).blocked).toBe(false);
  });
  it('no fall (or no network): no item', () => {
    expect(decideCapacity({ ...doc(30_000, '2026-12-03T12:00:00.000Z'), network: { id: NET, previousKbps: 32_000, previousAt: '2026-12-02T12:00:00.000Z', fell: null } }, m1080, 20_000).items.map((i) => i.id)).toEqual(['capacity']);
    expect(decideCapacity(doc(30_000, '2026-12-03T12:00:00.000Z'), m1080, 20_000).items.map((i) => i.id)).toEqual(['capacity']);
  });
});

describe('endpointIpOf', () => {
  it('IPv4/IPv6 endpoints give the address; names and nothing give null', () => {
    expect(endpointIpOf('172.30.40.1:51820')).toBe('172.30.40.1');
    expect(endpointIpOf('[2001:db8::1]:51820')).toBe('2001:db8::1');
    expect(endpointIpOf('gateway.lab40.test:51820')).toBeNull();
    expect(endpointIpOf(null)).toBeNull();
  });
});
