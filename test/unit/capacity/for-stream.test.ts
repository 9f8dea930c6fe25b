/**
 * Stream fitness for a stream (core/capacity/for-stream.ts): policy and the site's capacityProbe decide whether the
 * line is measured; the byte budget and the first step follow policy and the settings; outcomes are saved per profile
 * atomically and a damaged file is kept aside. The measurement itself runs against the real iperf3 in the lab tests
 * (test/lab/capacity*.test.ts); here it is the recorded result shape from measureCapacity's contract.
 */
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CapacitySchema } from '../../../src-main/contract/stream';
import { CapacityError, LastCapacityStore, measureForStream, targetKbpsFor, type CapacityOptions, type CapacityResult } from '../../../src-main/core/capacity';
import { capacityProbeOf } from '../../../src-main/core/profiles/capacity-probe';
import { createPolicyReader, type Policy } from '../../../src-main/core/policy/policy';
import { parseSiteFile } from '../../../src-main/core/profiles/site';
import { tempDirs } from '../../support/tmp';

const tmp = tempDirs('lh-cap-');
const policy = (values: Partial<Policy> = {}) => createPolicyReader([{ name: 'test', read: async () => ({ status: 'ok', values, unknownKeys: [] }) }]);
const RESULT: CapacityResult = {
  downKbps: 20_000, lossPercent: 0, jitterMs: 0.1, delayGrowthMs: 1.5, durationMs: 812, bytes: 1_560_000, server: { host: '10.200.1.1', port: 5202 },
  steps: [{ port: 5202, rateKbps: 25_000, burst: 50, sentKbps: 25_010, receivedKbps: 24_990, sentPackets: 1502, receivedPackets: 1502, lossPercent: 0, jitterMs: 0.1, delayGrowthMs: 1.5, outOfOrder: 0, durationMs: 500, setupMs: 12, stoppedEarly: null, passed: true, limit: null }],
  limit: 'none', targetKbps: 25_000, packetBytes: 1040, fps: 60, truncated: false,
};
const req = { profile: 'farm', probe: { host: '10.200.1.1', ports: [5201, 5202] }, neededKbps: 20_000, packetSize: 1024, fps: 60 };

describe('measureForStream', () => {
  it('policy off: not measured, nothing sent', async () => {
    let called = 0;
    const doc = await measureForStream({ policy: policy({ capacityTest: 'off' }), measure: async () => (called++, RESULT) }, req);
    expect(doc).toMatchObject({ status: 'unmeasured', reason: 'policy-off' });
    expect(called).toBe(0);
  });
  it('no capacityProbe: not measured', async () => {
    const doc = await measureForStream({ policy: policy() }, { ...req, probe: null });
    expect(doc).toMatchObject({ status: 'unmeasured', reason: 'no-probe' });
  });
  it('asks need ÷ 0.8 first, with the policy byte budget, the ports in order, the packet size and fps; saves the result', async () => {
    const dir = tmp();
    const store = new LastCapacityStore(dir);
    let seen: CapacityOptions | null = null;
    const doc = await measureForStream({ policy: policy({ capacityByteBudgetMB: 20 }), store, measure: async (o) => ((seen = o), RESULT), now: () => new Date('2026-12-02T17:00:00Z') }, req);
    expect(seen).toMatchObject({ host: '10.200.1.1', ports: [5201, 5202], targetKbps: 25_000, packetSize: 1024, fps: 60, byteBudget: 20_000_000 });
    expect(CapacitySchema.parse(doc)).toMatchObject({ status: 'measured', downKbps: 20_000, neededKbps: 20_000, measuredAt: '2026-12-02T17:00:00.000Z', server: { port: 5202 } });
    expect(store.get('farm')).toEqual(doc);
    expect(fs.statSync(store.file).mode & 0o777).toBe(0o600);
    expect(targetKbpsFor(40_000)).toBe(50_000);
  });
  it('a failed measurement is an outcome (reason = the error code), saved too', async () => {
    const store = new LastCapacityStore(tmp());
    const doc = await measureForStream({ policy: policy(), store, measure: async () => { throw new CapacityError('capacity.busy', 'Every iperf3 port stayed busy.'); } }, req);
    expect(doc).toMatchObject({ status: 'failed', reason: 'capacity.busy', message: 'Every iperf3 port stayed busy.' });
    expect(store.get('farm')).toMatchObject({ status: 'failed' });
  });
  it('other errors are bugs and propagate', async () => {
    await expect(measureForStream({ policy: policy(), measure: async () => { throw new TypeError('boom'); } }, req)).rejects.toThrow('boom');
  });
});

describe('LastCapacityStore', () => {
  it('keeps one result per profile and a damaged file aside before replacing it', async () => {
    const dir = tmp();
    const store = new LastCapacityStore(dir);
    expect(store.get('farm')).toBeNull();
    fs.writeFileSync(store.file, '{"version": 1, "profiles": {"farm": {"status": "measured"}}}');
    expect(store.all()).toEqual({});
    const doc = await measureForStream({ policy: policy(), store, measure: async () => RESULT }, req);
    await measureForStream({ policy: policy(), store, measure: async () => RESULT }, { ...req, profile: 'other' });
    expect(fs.readFileSync(`${store.file}.damaged`, 'utf8')).toContain('"status": "measured"');
    expect(Object.keys(store.all()).sort()).toEqual(['farm', 'other']);
    expect(store.get('farm')).toEqual(doc);
    expect(store.get('__proto__')).toBeNull();
  });
});

describe('site file capacityProbe', () => {
  it('port, ports, both (port first, no repeats), or neither (5201)', () => {
    const site = (p: unknown) => parseSiteFile(JSON.stringify({ name: 'Farm', capacityProbe: p }));
    expect(capacityProbeOf(site({ host: '10.8.0.1', port: 5202 }).site)).toEqual({ host: '10.8.0.1', ports: [5202] });
    expect(capacityProbeOf(site({ host: '10.8.0.1', ports: [5201, 5202] }).site)).toEqual({ host: '10.8.0.1', ports: [5201, 5202] });
    expect(capacityProbeOf(site({ host: '10.8.0.1', port: 5202, ports: [5201, 5202] }).site)).toEqual({ host: '10.8.0.1', ports: [5202, 5201] });
    expect(capacityProbeOf(site({ host: '10.8.0.1' }).site)).toEqual({ host: '10.8.0.1', ports: [5201] });
    expect(capacityProbeOf(parseSiteFile('{"name": "Farm"}').site)).toBeNull();
  });
  it('a bad port is site.invalid naming the field; an unknown field inside is a warning', () => {
    const bad = parseSiteFile(JSON.stringify({ name: 'Farm', capacityProbe: { host: 'gw', ports: [70000] } }), 'site.json');
    expect(bad.site).toBeNull();
    expect(bad.errors[0]).toMatchObject({ code: 'site.invalid' });
    expect(bad.errors[0]!.message).toMatch(/^site\.json: capacityProbe\.ports\.0: /);
    const typo = parseSiteFile(JSON.stringify({ name: 'Farm', capacityProbe: { host: 'gw', prot: 5201 } }), 'site.json');
    expect(typo.site?.capacityProbe).toEqual({ host: 'gw' });
    expect(typo.warnings.map((w) => w.message)).toEqual(['site.json: unknown field "capacityProbe.prot" is ignored (check the spelling against docs/site-file.md).']);
  });
});
