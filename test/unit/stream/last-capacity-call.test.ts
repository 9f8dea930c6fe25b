/**
 * `stream.lastCapacity` through the contract dispatch with the real handlers: the profile's stored outcome from
 * `<data dir>/state/capacity.json` (written by the real LastCapacityStore), null when none, and nothing measured;
 * with a measured outcome, the bitrate Moonlight would get from it with the saved stream settings. The profiles here
 * are not stored, so the current network is unknown (lineForNetwork's cases: test/unit/capacity/last-result.test.ts).
 * Environment: plain Node.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MainHandlers } from '../../../src-main/contract';
import { dispatch } from '../../../src-main/contract/dispatch';
import type { CapacityDoc } from '../../../src-main/contract/stream';
import { createMainHandlers } from '../../../src-main/core/app/handlers';
import { createCoreServices, type CoreServices } from '../../../src-main/core/app/services';
import { LastCapacityStore } from '../../../src-main/core/capacity/last-result';

const measured: CapacityDoc = {
  status: 'measured', profile: 'paris', measuredAt: '2026-12-03T08:40:00.000Z', neededKbps: 20_000, downKbps: 18_400, lossPercent: 0, jitterMs: 1.2, delayGrowthMs: 3,
  durationMs: 2100, bytes: 4_600_000, server: { host: '10.200.0.1', port: 5201 }, steps: [], limit: 'capacity', targetKbps: 25_000, packetBytes: 1392, fps: 60, truncated: false,
};

describe('stream.lastCapacity', () => {
  let tmp: string;
  let core: CoreServices;
  let handlers: Partial<MainHandlers>;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-last-capacity-'));
    core = createCoreServices({ face: 'test', dataDir: path.join(tmp, 'data'), policySources: [] });
    handlers = createMainHandlers(core, { emit: () => {}, notify: () => {}, openPath: async () => {}, showItemInFolder: () => {} });
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('null before anything was measured, then the stored outcome of that profile only', async () => {
    expect(await dispatch(handlers, 'stream.lastCapacity', { profile: 'paris' }, { host: 'harness' })).toEqual({ ok: true, value: { capacity: null, bitrateKbps: null, network: 'unknown' } });
    new LastCapacityStore(core.paths.state).put('paris', measured);
    // Default settings (1080p60: Moonlight's 20 Mbit/s) on a line that carried 18.4: Moonlight would get 18.4.
    expect(await dispatch(handlers, 'stream.lastCapacity', { profile: 'paris' }, { host: 'harness' })).toEqual({ ok: true, value: { capacity: measured, bitrateKbps: 18_400, network: 'unknown' } });
    expect(await dispatch(handlers, 'stream.lastCapacity', { profile: 'tokyo' }, { host: 'harness' })).toEqual({ ok: true, value: { capacity: null, bitrateKbps: null, network: 'unknown' } });
  });

  it('the bitrate follows the saved settings: a need the stored line carries is passed as is; a damaged settings file is ignored (the defaults), as everywhere', async () => {
    new LastCapacityStore(core.paths.state).put('paris', measured);
    const settingsFile = path.join(core.paths.state, 'stream.json');
    fs.writeFileSync(settingsFile, JSON.stringify({ settings: { width: 1280, height: 720, fps: 60, bitrateKbps: 10_000 } }) + '\n');
    expect(await dispatch(handlers, 'stream.lastCapacity', { profile: 'paris' }, { host: 'harness' })).toEqual({ ok: true, value: { capacity: measured, bitrateKbps: 10_000, network: 'unknown' } });
    fs.writeFileSync(settingsFile, JSON.stringify({ settings: { width: -5 } }) + '\n');
    expect(await dispatch(handlers, 'stream.lastCapacity', { profile: 'paris' }, { host: 'harness' })).toEqual({ ok: true, value: { capacity: measured, bitrateKbps: 18_400, network: 'unknown' } });
    fs.rmSync(settingsFile);
  });

  it('a file name or path is not a profile: invalid-payload', async () => {
    for (const profile of ['paris.conf', '../paris', '/etc/passwd']) {
      expect(await dispatch(handlers, 'stream.lastCapacity', { profile }, { host: 'harness' })).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    }
  });
});
