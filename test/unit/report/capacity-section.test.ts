/**
 * The report carries the profile's last line measurement (saved by `longhaul capacity` / the stream gate in
 * `<data dir>/state/capacity.json`): ok with the result, anonymised like the rest (strict mode maps the gateway's
 * private address), unavailable when the line was never measured.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CapacityDoc } from '../../../src-main/contract/stream';
import { LastCapacityStore } from '../../../src-main/core/capacity';
import { createRunner } from '../../../src-main/core/platform/runner';
import { readPolicy } from '../../../src-main/core/policy/policy';
import { createReport } from '../../../src-main/core/report/create';
import { ReportSchema } from '../../../src-main/core/report/model';
import type { ReportSources } from '../../../src-main/core/report/sources';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-report-cap-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const DOC: CapacityDoc = {
  status: 'measured', profile: 'farm', measuredAt: '2026-12-02T17:00:00.000Z', neededKbps: 20_000, downKbps: 16_400, lossPercent: 0.2, jitterMs: 0.4,
  delayGrowthMs: 6.1, durationMs: 1530, bytes: 2_900_000, server: { host: '10.200.72.1', port: 5201 },
  steps: [
    { port: 5201, rateKbps: 25_000, burst: 50, sentKbps: 25_000, receivedKbps: 22_800, sentPackets: 900, receivedPackets: 640, lossPercent: 28.9, jitterMs: 0.9, delayGrowthMs: 41, outOfOrder: 0, durationMs: 150, setupMs: 14, stoppedEarly: 'loss', passed: false, limit: 'capacity' },
    { port: 5201, rateKbps: 20_520, burst: 41, sentKbps: 20_500, receivedKbps: 20_480, sentPackets: 1230, receivedPackets: 1228, lossPercent: 0.2, jitterMs: 0.4, delayGrowthMs: 6.1, outOfOrder: 0, durationMs: 500, setupMs: 12, stoppedEarly: null, passed: true, limit: null },
  ],
  limit: 'capacity', targetKbps: 25_000, packetBytes: 1040, fps: 60, truncated: false,
};

const sources = (capacity?: ReportSources['capacity']): ReportSources => ({ policy: () => readPolicy([]), logFiles: () => [], env: { runner: createRunner() }, capacity });

describe('report capacity section', () => {
  it('is the stored last result of the profile, schema-valid; strict mode maps the gateway address', async () => {
    const store = new LastCapacityStore(tmp);
    store.put('farm', DOC);
    const { report } = await createReport({ sources: sources(async () => store.get('farm')), mode: 'normal', face: 'test' });
    expect(ReportSchema.parse(report).capacity).toEqual({ status: 'ok', error: null, data: DOC });
    const strict = await createReport({ sources: sources(async () => store.get('farm')), mode: 'strict', face: 'test' });
    const data = strict.report.capacity!.data as Extract<CapacityDoc, { status: 'measured' }>;
    expect(data.downKbps).toBe(16_400);
    expect(data.server.host).not.toBe('10.200.72.1');
  });
  it('unavailable when the profile was never measured', async () => {
    const store = new LastCapacityStore(tmp);
    const { report } = await createReport({ sources: { ...sources(async () => store.get('other')), missing: { capacity: 'the line has not been measured for other (longhaul capacity)' } }, mode: 'normal', face: 'test' });
    expect(report.capacity).toEqual({ status: 'unavailable', error: 'the line has not been measured for other (longhaul capacity)', data: null });
  });
});
