/**
 * The `profiles.*` contract through the real dispatcher (request and response schemas enforced): public views only,
 * no private or preshared key in any response or event payload.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dispatch } from '../../../src-main/contract/dispatch';
import type { EventEmitterFn } from '../../../src-main/contract';
import { createCoreServices } from '../../../src-main/core/app/services';
import { createProfilesHandlers } from '../../../src-main/core/profiles/handlers';
import { conf, OWN_PUB, PRIV, PSK, PUB } from './keys';

let dir: string;
const events: unknown[] = [];
let handlers: ReturnType<typeof createProfilesHandlers>;
const saved = process.env.LONGHAUL_SECRET_STORE;
beforeAll(() => {
  process.env.LONGHAUL_SECRET_STORE = 'file';
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-handlers-'));
  const core = createCoreServices({ face: 'test', dataDir: dir });
  const emit: EventEmitterFn = (name, payload) => void events.push({ name, payload });
  handlers = createProfilesHandlers(core, { emit });
});
afterAll(() => {
  process.env.LONGHAUL_SECRET_STORE = saved;
  fs.rmSync(dir, { recursive: true, force: true });
});
const call = (name: string, payload: unknown) => dispatch(handlers, name, payload, { host: 'harness' });
const text = conf({ peers: [{ pub: PUB, allowed: '10.8.0.0/24', psk: PSK }] });

describe('profiles contract', () => {
  it('check validates without storing; import stores; list/get show public views', async () => {
    const check = await call('profiles.check', { fileName: 'farm.conf', text });
    expect(check).toMatchObject({ ok: true, value: { entries: [{ name: 'farm', valid: true }] } });
    expect(await call('profiles.list', {})).toMatchObject({ ok: true, value: { profiles: [] } });
    const imp = await call('profiles.import', { fileName: 'farm.conf', base64: Buffer.from(text).toString('base64') });
    expect(imp).toMatchObject({ ok: true, value: { entries: [{ name: 'farm', valid: true, profile: { publicKey: OWN_PUB } }] } });
    const get = await call('profiles.get', { name: 'farm' });
    expect(get).toMatchObject({ ok: true, value: { name: 'farm', endpoint: '192.0.2.10:51820', peers: [{ publicKey: PUB, hasPresharedKey: true }] } });
    const zip = zipSync({ 'paris.conf': strToU8(conf()), 'site.json': strToU8(JSON.stringify({ name: 'Paris', dnsNames: [], streamHosts: [{ name: 'ws', host: 'ws.farm.example' }] })) });
    const z = await call('profiles.import', { fileName: 'paris.zip', base64: Buffer.from(zip).toString('base64') });
    expect(z).toMatchObject({ ok: true, value: { site: { name: 'Paris' }, entries: [{ name: 'paris', profile: { site: { name: 'Paris' } } }] } });
    expect(await call('profiles.setMtuOverride', { name: 'farm', mtu: 1380 })).toMatchObject({ ok: true, value: { mtuOverride: 1380 } });
  });

  it('invalid input comes back line-numbered; bad requests and unknown names are typed errors', async () => {
    const bad = await call('profiles.import', { fileName: 'x.conf', text: '[Interface]\nMTU = 1\n' });
    expect(bad).toMatchObject({ ok: true, value: { entries: [{ valid: false, errors: [{ line: 1, code: 'key.missing-private' }, { line: 2, code: 'mtu.invalid' }] }] } });
    expect(await call('profiles.import', { fileName: 'x.conf' })).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    expect(await call('profiles.get', { name: 'nope' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await call('profiles.remove', { name: '../etc' })).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    expect(await call('profiles.remove', { name: 'nope' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('remove emits profiles.changed; no payload ever carries a key', async () => {
    expect(await call('profiles.remove', { name: 'farm' })).toEqual({ ok: true, value: null });
    await vi.waitFor(() => expect(events.length).toBeGreaterThanOrEqual(4));
    const all = JSON.stringify(events) + JSON.stringify(await call('profiles.list', {}));
    expect(all).not.toContain(PRIV);
    expect(all).not.toContain(PSK);
  });
});
