import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chooseSecretStore, createFileSecretStore, createProfileStore, parseProfile, type ProfileStore } from '../../../src-main/core/profiles';
import { conf, OWN_PUB, OWN_PUB2, PRIV, PRIV2, PSK, PUB, PUB2 } from './keys';

let dir: string;
let store: ProfileStore;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-profiles-'));
  store = createProfileStore(path.join(dir, 'profiles'), createFileSecretStore(path.join(dir, 'profiles', 'secrets')));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function allFiles(root: string): string[] {
  return fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.join(d.parentPath, d.name));
}

describe('ProfileStore', () => {
  it('imports, lists, gets and removes; metadata never holds a key, secrets are 0600', async () => {
    const b = await store.import({ fileName: 'farm.conf', bytes: conf({ peers: [{ pub: PUB, allowed: '10.8.0.0/24', psk: PSK }] }) });
    expect(b.entries).toHaveLength(1);
    expect(b.entries[0]).toMatchObject({ name: 'farm', valid: true, profile: { name: 'farm', publicKey: OWN_PUB, endpoint: '192.0.2.10:51820', addresses: ['10.8.0.2/32'] } });
    expect((await store.list()).map((p) => p.name)).toEqual(['farm']);
    expect((await store.get('FARM'))?.name).toBe('farm');
    const meta = fs.readFileSync(path.join(dir, 'profiles', 'farm.json'), 'utf8');
    expect(meta).not.toContain(PRIV);
    expect(meta).not.toContain(PSK);
    for (const f of allFiles(dir)) expect(fs.statSync(f).mode & 0o077).toBe(0);
    expect(fs.statSync(path.join(dir, 'profiles', 'secrets')).mode & 0o777).toBe(0o700);
    expect(JSON.stringify(await store.list())).not.toContain(PRIV);
    expect(await store.remove('farm')).toBe(true);
    expect(await store.list()).toEqual([]);
    expect(allFiles(dir)).toEqual([]);
    expect(await store.remove('farm')).toBe(false);
  });

  it('canonicalText rebuilds the full file from metadata + secrets, with the local MTU override', async () => {
    await store.import({ fileName: 'farm.conf', bytes: '\uFEFF' + conf({ extraIface: ['MTU = 1420'], peers: [{ pub: PUB, allowed: '10.8.0.0/24', psk: PSK }] }).replace(/\n/g, '\r\n') });
    const text = await store.canonicalText('farm');
    const back = parseProfile(text, { origin: 'user' });
    expect(back.errors).toEqual([]);
    expect(back.profile?.interface.privateKey).toBe(PRIV);
    expect(back.profile?.peers[0].presharedKey).toBe(PSK);
    expect(back.profile?.interface.mtu).toBe(1420);
    const v = await store.setMtuOverride('farm', 1380);
    expect(v.mtuOverride).toBe(1380);
    expect(parseProfile(await store.canonicalText('farm'), { origin: 'user' }).profile?.interface.mtu).toBe(1380);
    await store.setMtuOverride('farm', null);
    expect(parseProfile(await store.canonicalText('farm'), { origin: 'user' }).profile?.interface.mtu).toBe(1420);
    await expect(store.setMtuOverride('farm', 100)).rejects.toThrow(/out of range/);
    await expect(store.canonicalText('nope')).rejects.toThrow(/no profile named/);
  });

  it('never overwrites: the same name (any case) is refused with name.exists', async () => {
    await store.import({ fileName: 'farm.conf', bytes: conf() });
    const again = await store.import({ fileName: 'FARM.conf', bytes: conf({ priv: PRIV2 }) });
    expect(again.entries[0]).toMatchObject({ valid: false, errors: [expect.objectContaining({ code: 'name.exists' })] });
    expect((await store.get('farm'))?.publicKey).toBe(OWN_PUB);
    const renamed = await store.import({ fileName: 'FARM.conf', bytes: conf({ priv: PRIV2 }), name: 'farm2' });
    expect(renamed.entries[0].profile?.publicKey).toBe(OWN_PUB2);
  });

  it('managed policy replaces the profiles it provisioned (keeping a local MTU fix), never a user\'s, and users never replace its', async () => {
    await store.import({ fileName: 'farm.conf', bytes: conf(), origin: 'policy' });
    await store.setMtuOverride('farm', 1340);
    const updated = await store.import({ fileName: 'farm.conf', bytes: conf({ priv: PRIV2 }), origin: 'policy' });
    expect(updated.entries[0]).toMatchObject({ valid: true, profile: { publicKey: OWN_PUB2, origin: 'policy', mtuOverride: 1340 } });
    const byUser = await store.import({ fileName: 'farm.conf', bytes: conf() });
    expect(byUser.entries[0]).toMatchObject({ valid: false, errors: [expect.objectContaining({ code: 'name.exists' })] });
    await store.import({ fileName: 'mine.conf', bytes: conf() });
    const overUser = await store.import({ fileName: 'mine.conf', bytes: conf({ priv: PRIV2 }), origin: 'policy' });
    expect(overUser.entries[0]).toMatchObject({ valid: false, errors: [expect.objectContaining({ code: 'name.exists' })] });
    expect((await store.get('mine'))?.publicKey).toBe(OWN_PUB);
  });

  it('check (dryRun) stores nothing', async () => {
    const b = await store.import({ fileName: 'farm.conf', bytes: conf() }, { dryRun: true });
    expect(b.entries[0].valid).toBe(true);
    expect(b.entries[0].profile).toBeUndefined();
    expect(await store.list()).toEqual([]);
  });

  it('an invalid profile is not stored and reports line-numbered errors', async () => {
    const b = await store.import({ fileName: 'bad.conf', bytes: conf({ extraIface: ['PostUp = rm -rf /'] }) });
    expect(b.entries[0]).toMatchObject({ valid: false, errors: [{ line: 4, code: 'hook.forbidden' }] });
    expect(await store.list()).toEqual([]);
  });

  it('emits changes', async () => {
    let n = 0;
    store.onChanged(() => n++);
    await store.import({ fileName: 'farm.conf', bytes: conf() });
    await store.setMtuOverride('farm', 1400);
    await store.remove('farm');
    expect(n).toBe(3);
  });
});

describe('zip bundles', () => {
  const site = { name: 'Paris farm', dnsNames: ['ws01.farm.example'], streamHosts: [{ name: 'WS 01', host: 'ws01.farm.example', app: 'Desktop' }], probe: { host: '10.8.0.1', port: 47989 }, colour: 'blue' };

  it('imports a .conf with its site.json, by base name only, warning on unknown fields', async () => {
    const zip = zipSync({ 'deep/../../etc/paris.conf': strToU8(conf()), 'bundle/site.json': strToU8(JSON.stringify(site)), 'readme.txt': strToU8('hi') });
    const b = await store.import({ fileName: 'paris.zip', bytes: zip });
    expect(b.bundleErrors).toEqual([]);
    expect(b.bundleWarnings.map((w) => w.code).sort()).toEqual(['site.unknown-field', 'zip.ignored-entry']);
    expect(b.entries.map((e) => [e.fileName, e.name, !!e.profile])).toEqual([['paris.conf', 'paris', true]]);
    expect((await store.get('paris'))?.site).toEqual({ name: 'Paris farm', dnsNames: ['ws01.farm.example'], streamHosts: [{ name: 'WS 01', host: 'ws01.farm.example', app: 'Desktop' }], probe: { host: '10.8.0.1', port: 47989 } });
    expect(allFiles(dir).every((f) => f.startsWith(path.join(dir, 'profiles')))).toBe(true);
    expect(fs.existsSync('/etc/paris.conf')).toBe(false);
  });

  it('reports a duplicate base name and does not import the second copy', async () => {
    const zip = zipSync({ 'a/farm.conf': strToU8(conf()), 'b/farm.conf': strToU8(conf({ priv: PRIV2 })) });
    const b = await store.import({ fileName: 'two.zip', bytes: zip });
    expect(b.bundleErrors.map((e) => e.code)).toEqual(['zip.duplicate']);
    expect(b.entries).toHaveLength(1);
    expect((await store.get('farm'))?.publicKey).toBe(OWN_PUB);
  });

  it('imports several profiles and refuses two that map to one name', async () => {
    const zip = zipSync({ 'one.conf': strToU8(conf()), 'two.conf': strToU8(conf({ priv: PRIV2, peers: [{ pub: PUB2, allowed: '10.9.0.0/24' }] })) });
    const b = await store.import({ fileName: 'farm.zip', bytes: zip });
    expect(b.entries.map((e) => [e.name, e.valid])).toEqual([['one', true], ['two', true]]);
    expect((await store.list()).map((p) => p.name)).toEqual(['one', 'two']);
  });

  it('enforces size caps and rejects a broken site.json without storing', async () => {
    const big = zipSync({ 'x.conf': new Uint8Array(300 * 1024).fill(0x23) });
    expect((await store.import({ fileName: 'big.zip', bytes: big })).bundleErrors.map((e) => e.code)).toEqual(['zip.too-large']);
    const many: Record<string, Uint8Array> = {};
    for (let i = 0; i < 70; i++) many[`p${i}.conf`] = strToU8(conf());
    expect((await store.import({ fileName: 'many.zip', bytes: zipSync(many) })).bundleErrors.map((e) => e.code)).toEqual(['zip.too-large']);
    const badSite = zipSync({ 'farm.conf': strToU8(conf()), 'site.json': strToU8('{"name": 3}') });
    const b = await store.import({ fileName: 'bad.zip', bytes: badSite });
    expect(b.bundleErrors.map((e) => e.code)).toContain('site.invalid');
    expect(b.entries[0].errors.map((e) => e.code)).toEqual(['bundle.invalid']);
    expect(await store.list()).toEqual([]);
    const empty = zipSync({ 'notes.txt': strToU8('x') });
    expect((await store.import({ fileName: 'e.zip', bytes: empty })).bundleErrors.map((e) => e.code)).toEqual(['zip.no-profile']);
    const corrupt = zipSync({ 'farm.conf': strToU8(conf()) }).slice(0, 40);
    expect((await store.import({ fileName: 'c.zip', bytes: corrupt })).bundleErrors.map((e) => e.code)).toEqual(['zip.invalid']);
  });
});

describe('SecretStore choice', () => {
  const runner = (has: boolean) => ({ which: (p: string) => (has && p === 'secret-tool' ? '/usr/bin/secret-tool' : null), run: async () => { throw new Error('not run'); }, start: () => { throw new Error('not started'); } });
  it('uses the 0600 file store with a visible warning when no keychain is reachable', () => {
    const s = chooseSecretStore({ dir, runner: runner(false), env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/x' }, platform: 'linux' });
    expect(s.kind).toBe('file');
    expect(s.warning).toMatch(/readable only by your user account/);
    expect(chooseSecretStore({ dir, runner: runner(true), env: {}, platform: 'linux' }).kind).toBe('file');
    expect(chooseSecretStore({ dir, runner: runner(true), env: { DBUS_SESSION_BUS_ADDRESS: 'x', LONGHAUL_SECRET_STORE: 'file' }, platform: 'linux' }).kind).toBe('file');
  });
  it('uses secret-tool on a Linux session with it installed, reading older file keys as a fallback', async () => {
    const s = chooseSecretStore({ dir, runner: runner(true), env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/x' }, platform: 'linux' });
    expect(s.kind).toBe('secret-tool');
    expect(s.warning).toBeNull();
    await createFileSecretStore(dir).set('farm', 'secret-value');
    expect(await s.get('farm')).toBe('secret-value');
  });
  it('refuses ids that could escape the directory', async () => {
    const f = createFileSecretStore(dir);
    await expect(f.set('../x', 'v')).rejects.toThrow(/invalid secret id/);
    await expect(f.get('..')).rejects.toThrow(/invalid secret id/);
  });
});

describe('zip bundles that lie about their contents', () => {
  it('an entry whose declared size is smaller than its data (a zip bomb, or truncation) is refused, not imported truncated', async () => {
    const big = strToU8(conf() + '#'.repeat(5 * 1024 * 1024));
    const zip = zipSync({ 'farm.conf': big }, { level: 9 });
    const dv = new DataView(zip.buffer);
    const small = 300;
    dv.setUint32(22, small, true); // local header: uncompressed size
    for (let i = zip.length - 22; i >= 0; i--) {
      if (dv.getUint32(i, true) === 0x02014b50) {
        dv.setUint32(i + 24, small, true); // central directory: uncompressed size
        break;
      }
    }
    const b = await store.import({ fileName: 'bomb.zip', bytes: zip });
    expect(b.bundleErrors).toEqual([expect.objectContaining({ code: 'zip.corrupt' })]);
    expect(b.entries.filter((e) => e.valid)).toEqual([]);
    expect(await store.list()).toEqual([]);
  });

  it('an intact bundle with a non-ASCII file name still imports', async () => {
    const zip = zipSync({ 'ferme-été.conf': strToU8(conf()) });
    const b = await store.import({ fileName: 'été.zip', bytes: zip });
    expect(b.bundleErrors.filter((e) => e.code === 'zip.corrupt')).toEqual([]);
  });
});
