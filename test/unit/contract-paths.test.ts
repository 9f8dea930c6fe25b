/**
 * The renderer never chooses a file main reads or writes, nor a program main runs. Every string the renderer can send
 * is classified here (a new field fails the inventory until it is); names and IDs refuse anything path-shaped with
 * `invalid-payload` before a handler runs; and main itself never reads a file named by a request even if the schema
 * were bypassed (a canary file's content is never echoed). Through the contract dispatch with the real handlers.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { calls, type CallName, type EventName, type MainHandlers } from '../../src-main/contract';
import { dispatch } from '../../src-main/contract/dispatch';
import { createMainHandlers } from '../../src-main/core/app/handlers';
import type { HostDelegate } from '../../src-main/core/app/host';
import { createCoreServices, type CoreServices } from '../../src-main/core/app/services';
import { MOONLIGHT_STANDIN } from './stream/standin';

type FieldClass =
  | 'name' // a stored profile (= interface) name; main looks it up in its store
  | 'issued-id' // an ID main issued (support ID, run ID, pairing ID)
  | 'host' // a host name or address to connect to (never opened as a file)
  | 'label' // shown or passed on as a value, never opened (file name of uploaded content, host label, Moonlight app name, Parsec peer)
  | 'content' // the bytes of a file the artist chose in the page (the renderer reads it, main parses it)
  | 'text'; // free text (log message, ping nonce)

/** Every string the renderer can send. There is deliberately no "path" class. */
const FIELDS: Record<string, FieldClass> = {
  'app.ping.nonce': 'text',
  'log.write.msg': 'text',
  'profiles.get.name': 'name',
  'profiles.import.fileName': 'label',
  'profiles.import.text': 'content',
  'profiles.import.base64': 'content',
  'profiles.import.name': 'name',
  'profiles.check.fileName': 'label',
  'profiles.check.text': 'content',
  'profiles.check.base64': 'content',
  'profiles.check.name': 'name',
  'profiles.remove.name': 'name',
  'profiles.setMtuOverride.name': 'name',
  'report.create.profile': 'name',
  'report.open.supportId': 'issued-id',
  'report.showInFolder.supportId': 'issued-id',
  'report.summary.supportId': 'issued-id',
  'report.upload.supportId': 'issued-id',
  'checks.run.profile': 'name',
  'checks.run.interface': 'name',
  'checks.cancel.runId': 'issued-id',
  'checks.last.profile': 'name',
  'checks.applyFix.runId': 'issued-id',
  'stream.addHost.name': 'label',
  'stream.addHost.host': 'host',
  'stream.addHost.app': 'label',
  'stream.probe.host': 'host',
  'stream.pairStart.host': 'host',
  'stream.pairConfirm.pairingId': 'issued-id',
  'stream.launch.host': 'host',
  'stream.launch.app': 'label',
  'stream.launch.profile': 'name',
  'stream.capacity.host': 'host',
  'stream.capacity.profile': 'name',
  'stream.lastCapacity.profile': 'name',
  'stream.parsec.peerId': 'label',
  'tunnel.connect.name': 'name',
  'tunnel.disconnect.name': 'name',
  'tunnel.status.name': 'name',
};

/** The string leaves of a zod request schema, as `field.sub` paths (zod 4 internals: `_zod.def`). */
function stringFields(schema: z.ZodType, prefix = ''): string[] {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
      return stringFields(def.innerType as z.ZodType, prefix);
    case 'pipe':
      return stringFields(def.in as z.ZodType, prefix);
    case 'object':
      return Object.entries(def.shape as Record<string, z.ZodType>).flatMap(([k, v]) => stringFields(v, prefix ? `${prefix}.${k}` : k));
    case 'array':
      return stringFields(def.element as z.ZodType, `${prefix}[]`);
    case 'string':
      return [prefix];
    default:
      return [];
  }
}

const PATHS = ['/etc/passwd', '../../../etc/passwd', '..', '.', 'a/b', 'C:\\Users\\artist\\key', '\\\\server\\share\\x', '~/.ssh/id_ed25519'];

/** A request for `call` that is valid except for `field` = value (other required fields get plain values). */
function requestWith(call: CallName, field: string, value: string): Record<string, unknown> {
  const base: Record<string, Record<string, unknown>> = {
    'checks.run': { profile: 'farm' },
    'checks.applyFix': { runId: 'r1', code: 'mtu.blackhole' },
    'profiles.import': { fileName: 'farm.conf', text: '' },
    'profiles.check': { fileName: 'farm.conf', text: '' },
    'profiles.setMtuOverride': { name: 'farm', mtu: 1380 },
    'stream.addHost': { name: 'WS', host: 'ws.farm.example' },
    'stream.launch': { host: 'ws.farm.example' },
  };
  return { ...(base[call] ?? {}), [field]: value };
}

describe('every string the renderer sends is classified, and none is a path', () => {
  it('the inventory matches the contract exactly (a new string field must be classified here)', () => {
    const found = Object.entries(calls).flatMap(([name, spec]) => stringFields(spec.request).map((f) => `${name}.${f}`));
    expect(found.sort()).toEqual(Object.keys(FIELDS).sort());
  });

  const pathShaped = Object.entries(FIELDS).filter(([, c]) => c === 'name' || c === 'issued-id' || c === 'host');
  it.each(pathShaped)('%s (%s) refuses path-shaped values with invalid-payload before any handler runs', async (key) => {
    const call = key.split('.').slice(0, 2).join('.') as CallName;
    const field = key.split('.').slice(2).join('.');
    const ran: string[] = [];
    const handlers = new Proxy({}, { get: (_t, name) => () => void ran.push(String(name)) }) as Partial<MainHandlers>;
    for (const p of PATHS) {
      const r = await dispatch(handlers, call, requestWith(call, field, p), { host: 'harness' });
      expect(r, `${key} = ${p}`).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    }
    expect(ran).toEqual([]);
  });

  it('names where the CLI would read a file (.conf/.zip) are refused as names too', async () => {
    for (const call of ['report.create', 'stream.launch', 'checks.run', 'checks.last'] as const) {
      for (const p of ['farm.conf', 'bundle.ZIP']) {
        const r = await dispatch({}, call, requestWith(call, 'profile', p), { host: 'harness' });
        expect(r, `${call} ${p}`).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
      }
    }
  });
});

describe('main never reads a file a request names (real handlers)', () => {
  const CANARY = 'CANARY-c0ffee-4b1d';
  let tmp: string;
  let core: CoreServices;
  let canaryConf: string;
  let handlers: Partial<MainHandlers>;
  const events: [EventName, unknown][] = [];
  const picked: { next: string | null } = { next: null };
  const host: HostDelegate = {
    emit: (n, p) => void events.push([n, p]),
    notify: () => {},
    openPath: async () => {},
    showItemInFolder: () => {},
    chooseFile: async () => picked.next,
  };

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-contract-paths-'));
    canaryConf = path.join(tmp, 'farm.conf');
    // Looks like a profile to a parser that echoes what it cannot read.
    fs.writeFileSync(canaryConf, `[Interface]\n${CANARY} = ${CANARY}\nAddress = ${CANARY}\n[Peer]\nEndpoint = ${CANARY}:51820\n`);
    core = createCoreServices({ face: 'test', dataDir: path.join(tmp, 'data'), policySources: [] });
    fs.mkdirSync(core.paths.state, { recursive: true });
    fs.writeFileSync(path.join(core.paths.state, 'stream.json'), JSON.stringify({ moonlightPath: MOONLIGHT_STANDIN }));
    handlers = createMainHandlers(core, host);
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('stream.launch: an absolute path or ../ as the profile is invalid-payload; the canary is never echoed', async () => {
    const rel = path.relative(process.cwd(), canaryConf);
    for (const profile of [canaryConf, rel, `../${path.basename(tmp)}/farm.conf`]) {
      const r = await dispatch(handlers, 'stream.launch', { host: '127.0.0.1', profile, dryRun: true }, { host: 'harness' });
      expect(r).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
      expect(JSON.stringify(r)).not.toContain(CANARY);
    }
    expect(JSON.stringify(events)).not.toContain(CANARY);
  });

  it('stream.launch handler (schema bypassed): a path is not a stored profile; nothing of the file reaches the page', async () => {
    events.length = 0;
    let out: unknown;
    try {
      out = await handlers['stream.launch']!({ host: '127.0.0.1', profile: canaryConf, dryRun: true }, { host: 'harness' });
    } catch (err) {
      out = { error: (err as Error).message };
    }
    const text = JSON.stringify([out, events]);
    expect(text).not.toContain(CANARY);
    expect(text).toMatch(/not a stored profile name/);
  });

  it('the Moonlight program is chosen in main (a dialog main owns), never named by the renderer', async () => {
    expect(await dispatch(handlers, 'stream.setMoonlightPath', { path: '/bin/sh' }, { host: 'harness' })).toMatchObject({ ok: false, error: { code: 'unknown-call' } });
    expect(await dispatch(handlers, 'stream.chooseMoonlight', { path: '/bin/sh' }, { host: 'harness' })).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    picked.next = '/bin/sh';
    expect(await dispatch(handlers, 'stream.chooseMoonlight', {}, { host: 'harness' })).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringMatching(/not Moonlight/) } });
    picked.next = null; // cancelled
    expect(await dispatch(handlers, 'stream.chooseMoonlight', {}, { host: 'harness' })).toMatchObject({ ok: true, value: { chosen: false } });
    picked.next = MOONLIGHT_STANDIN;
    expect(await dispatch(handlers, 'stream.chooseMoonlight', {}, { host: 'harness' })).toMatchObject({ ok: true, value: { chosen: true, found: true, executable: MOONLIGHT_STANDIN } });
    const reset = await dispatch(handlers, 'stream.resetMoonlight', {}, { host: 'harness' });
    expect(reset.ok).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(core.paths.state, 'stream.json'), 'utf8')).moonlightPath).toBeNull();
    const { chooseFile: _c, ...noDialog } = host;
    const bare = createMainHandlers(core, noDialog);
    expect(await dispatch(bare, 'stream.chooseMoonlight', {}, { host: 'harness' })).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });
});
