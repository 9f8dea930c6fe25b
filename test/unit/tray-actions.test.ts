/**
 * The tray's quick actions over the real app services of one face (a real profile store, report maker and stream
 * service in a temporary data directory): the tray reaches the same functions the handlers call, without dispatching
 * contract calls to itself, and its events go out through the face's host. Environment: plain Node.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName } from '../../src-main/contract';
import { createAppServices } from '../../src-main/core/app/handlers';
import type { HostDelegate } from '../../src-main/core/app/host';
import { createCoreServices, type CoreServices } from '../../src-main/core/app/services';
import { isZip } from '../../src-main/core/profiles/bundle';
import { buildProfile } from '../support/profile';

let tmp: string;
let core: CoreServices;
const events: [EventName, unknown][] = [];
const host: HostDelegate = { emit: (n, p) => void events.push([n, p]), notify: () => {}, openPath: async () => {}, showItemInFolder: () => {} };
const profile = buildProfile({ address: '10.99.0.2/32', endpoint: '127.0.0.1:51820', allowedIPs: '10.99.0.0/24', blankBeforePeer: false });
const PRIV = profile.key;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-tray-actions-'));
  core = createCoreServices({ face: 'test', dataDir: path.join(tmp, 'data'), policySources: [] });
  // Loopback endpoint and no tunnel: the report's checks that would send packets are skipped.
  await core.profiles.import({ fileName: 'paris.conf', bytes: profile.text });
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('tray actions over the app services', () => {
  it('lists the stored profiles, has no stream host without a site, and writes a real report with progress events', async () => {
    const app = createAppServices(core, host);
    expect(await app.tray.profileNames()).toEqual(['paris']);
    expect(await app.tray.streamHost()).toBeNull();
    const r = await app.tray.createReport('paris');
    expect(r.supportId).toMatch(/^LH-\d{8}-[0-9a-f]{8}$/);
    expect(path.dirname(r.path)).toBe(core.paths.reports);
    expect(events.some(([n]) => n === 'report.progress')).toBe(true);
    // The same maker backs `report.*`: the tray's report is known by its support ID, and its zip holds no key.
    expect(app.reports.known(r.supportId).path).toBe(r.path);
    const zip = fs.readFileSync(r.path);
    expect(zip.includes(Buffer.from(PRIV))).toBe(false);
    expect(isZip(zip)).toBe(true);
  });

  it('a failing action rejects with the domain error (the tray feed logs it): an unknown profile is not-found', async () => {
    const app = createAppServices(core, host);
    await expect(app.tray.connect('lyon')).rejects.toMatchObject({ code: 'not-found' });
    await expect(app.tray.runChecks('lyon')).rejects.toMatchObject({ code: 'not-found' });
  });
});
