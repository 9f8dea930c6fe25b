/**
 * The one profile resolver (`core/profiles/resolve.ts`): FILE | stored NAME | the connected tunnel → profile, site,
 * secrets, check target, with one coded error. A real profile store on disk; the connected-tunnel list is the only
 * injected part (on Linux it is `wg show interfaces`, exercised by the lab's checks scenarios).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractFailure } from '../../../src-main/contract';
import { createFileSecretStore, createProfileStore, generatePrivateKey, publicKeyOf, type ProfileStore } from '../../../src-main/core/profiles';
import { contractFailureOf, isPathLike, noProfileNamed, ProfileResolveError, resolveProfile, type ResolveDeps, type ResolveInput } from '../../../src-main/core/profiles/resolve';

const KEY = generatePrivateKey();
const PSK = generatePrivateKey();
const PEER = publicKeyOf(generatePrivateKey());
const conf = (addr = '10.77.0.2/32') => `[Interface]\nPrivateKey = ${KEY}\nAddress = ${addr}\nDNS = 10.77.0.1\n\n[Peer]\nPublicKey = ${PEER}\nPresharedKey = ${PSK}\nEndpoint = 192.0.2.1:51820\nAllowedIPs = 10.77.0.0/24\n`;

let dir: string;
let store: ProfileStore;
let connected: string[] = [];
const added: string[] = [];
const deps = (): ResolveDeps => ({ profiles: store, connectedTunnels: async () => connected, redactor: { addSecret: (s) => void added.push(s) } });
const resolve = (input: Partial<ResolveInput>) => resolveProfile({ from: 'cli', cwd: dir, ...input }, deps());

async function failure(p: Promise<unknown>): Promise<ProfileResolveError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProfileResolveError);
  return err as ProfileResolveError;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-resolve-'));
  store = createProfileStore(path.join(dir, 'profiles'), createFileSecretStore(path.join(dir, 'profiles', 'secrets')));
  fs.writeFileSync(path.join(dir, 'paris.conf'), conf());
  fs.writeFileSync(path.join(dir, 'tokyo.conf'), conf('10.78.0.2/32'));
  // Line 3: a bad Address; line 4: a bad MTU.
  fs.writeFileSync(path.join(dir, 'broken.conf'), `[Interface]\nPrivateKey = ${KEY}\nAddress = 10.0.0.300/32\nMTU = big\n`);
  fs.writeFileSync(path.join(dir, 'site.json'), JSON.stringify({ name: 'Paris farm', dnsNames: ['render.paris.example'] }));
  fs.writeFileSync(path.join(dir, 'bad-site.json'), '{\n  "name": \n');
  const batch = await store.import({ fileName: 'farm.conf', bytes: conf() });
  expect(batch.entries[0]).toMatchObject({ name: 'farm', valid: true });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('isPathLike', () => {
  it('is a path exactly with a separator or a .conf/.zip ending', () => {
    for (const p of ['./farm', 'a/b', 'c:\\x', 'farm.conf', 'FARM.ZIP']) expect(isPathLike(p), p).toBe(true);
    for (const p of ['farm', 'farm.json', 'lh86art']) expect(isPathLike(p), p).toBe(false);
  });
});

describe('resolveProfile', () => {
  it('a file path is parsed in place (not stored): target, name from the file, key values with secrets', async () => {
    added.length = 0;
    const r = await resolve({ profile: './paris.conf', secrets: true, siteFile: 'site.json' });
    expect(r).toMatchObject({ name: 'paris', how: 'file', file: path.join(dir, 'paris.conf'), view: null, siteFrom: { kind: 'file', path: path.join(dir, 'site.json') } });
    expect(r.target).toMatchObject({ profileName: 'paris', interfaceName: 'paris', addresses: ['10.77.0.2/32'], publicKey: publicKeyOf(KEY), site: { name: 'Paris farm' } });
    expect(r.secrets.sort()).toEqual([KEY, PSK].sort());
    expect(added.sort()).toEqual([KEY, PSK].sort());
    expect(JSON.stringify(r.target)).not.toContain(KEY);
    expect(await store.get('paris')).toBeNull();
  });

  it('a stored name gives its view and target; no secrets unless asked', async () => {
    const r = await resolve({ profile: 'farm', interfaceName: 'wg-farm' });
    expect(r).toMatchObject({ name: 'farm', how: 'stored', file: null, secrets: [] });
    expect(r.view?.name).toBe('farm');
    expect(r.target).toMatchObject({ profileName: 'farm', interfaceName: 'wg-farm' });
  });

  it('nothing named: the one connected tunnel, when it is stored', async () => {
    connected = ['farm'];
    const r = await resolve({ secrets: true });
    expect(r).toMatchObject({ name: 'farm', how: 'connected' });
    expect(r.secrets.sort()).toEqual([KEY, PSK].sort());
  });

  it('nothing named and several tunnels connected: profile.ambiguous naming them', async () => {
    connected = ['farm', 'other'];
    const e = await failure(resolve({}));
    expect(e.code).toBe('profile.ambiguous');
    expect(e.message).toContain('several tunnels are connected (farm, other)');
    expect(e.message).toContain('--profile NAME');
  });

  it('nothing named and nothing connected: profile.none-connected, listing the stored profiles', async () => {
    connected = [];
    const e = await failure(resolve({}));
    expect(e.code).toBe('profile.none-connected');
    expect(e.message).toBe('no tunnel is connected: connect first, or pass --profile FILE|NAME (stored: farm)');
  });

  it('the connected tunnel is not a stored profile: profile.not-found', async () => {
    connected = ['stranger'];
    const e = await failure(resolve({}));
    expect(e.code).toBe('profile.not-found');
    expect(e.message).toContain('the connected tunnel stranger is not a stored profile');
  });

  it('an unknown name: profile.not-found with the one message (stored names, how to import)', async () => {
    const e = await failure(resolve({ profile: 'nosuch' }));
    expect(e.code).toBe('profile.not-found');
    expect(e.message).toBe(noProfileNamed('nosuch', { stored: ['farm'], filesAccepted: true }));
    expect(e.message).toBe('no profile named "nosuch" (stored: farm); see `longhaul profile list`, import it with `longhaul profile import FILE`, or give the path of its .conf file');
    const app = await failure(resolveProfile({ profile: 'nosuch', from: 'app' }, deps()));
    expect(app.message).toBe('no profile named "nosuch" (stored: farm); import it on the Profiles page');
  });

  it('an invalid file: profile.invalid naming file and line of each problem, and how to see them all', async () => {
    const e = await failure(resolve({ profile: './broken.conf' }));
    expect(e.code).toBe('profile.invalid');
    expect(e.message).toMatch(/^\.\/broken\.conf is not a usable profile:\n/);
    expect(e.message).toMatch(/ {2}\.\/broken\.conf:3: /);
    expect(e.message).toMatch(/ {2}\.\/broken\.conf:4: /);
    expect(e.message).toContain('(run `longhaul profile check ./broken.conf` for every problem)');
    expect(e.message).not.toContain(KEY);
  });

  it('an invalid file kept for the report: its issues with lines, no target', async () => {
    const r = await resolve({ profile: './broken.conf', keepInvalid: true });
    expect(r.target).toBeNull();
    expect(r.parsed?.errors.map((x) => x.line)).toEqual(expect.arrayContaining([3, 4]));
    expect(r.warnings.some((w) => w.startsWith('line 3: '))).toBe(true);
  });

  it('an unreadable file: profile.unreadable with the absolute path and errno', async () => {
    const e = await failure(resolve({ profile: './missing.conf' }));
    expect(e).toMatchObject({ code: 'profile.unreadable', message: `cannot read profile ${path.join(dir, 'missing.conf')}: ENOENT` });
  });

  it('a site file that does not parse: site.invalid naming the file, before the profile is looked at', async () => {
    const e = await failure(resolve({ profile: 'nosuch', siteFile: 'bad-site.json' }));
    expect(e.code).toBe('site.invalid');
    expect(e.message).toBe(`${path.join(dir, 'bad-site.json')}: bad-site.json is not valid JSON (Unexpected end of JSON input). Ask IT to fix the file.`);
    expect((await failure(resolve({ siteFile: 'nope.json' }))).code).toBe('site.unreadable');
  });

  it('file: import stores it first and notes it; the same file again uses the stored one', async () => {
    const first = await resolve({ profile: './tokyo.conf', file: 'import' });
    expect(first).toMatchObject({ name: 'tokyo', how: 'imported', file: path.join(dir, 'tokyo.conf') });
    expect(first.notes).toEqual(['imported tokyo from tokyo.conf']);
    expect((await store.get('tokyo'))?.addresses).toEqual(['10.78.0.2/32']);
    const again = await resolve({ profile: './tokyo.conf', file: 'import' });
    expect(again.name).toBe('tokyo');
    expect(again.notes[0]).toMatch(/^using the stored profile "tokyo"/);
    const bad = await failure(resolve({ profile: './broken.conf', file: 'import' }));
    expect(bad.code).toBe('profile.invalid');
    expect(bad.message).toMatch(/\.\/broken\.conf:3: /);
  });

  it('from the app a path is never read, however it looks: profile.not-a-name', async () => {
    for (const profile of [path.join(dir, 'paris.conf'), 'paris.conf', '../x', 'a name']) {
      const e = await failure(resolveProfile({ profile, from: 'app', cwd: dir }, deps()));
      expect(e.code, profile).toBe('profile.not-a-name');
      expect(e.message).toMatch(/not a stored profile name/);
    }
  });

  it('one mapping to the contract: a typed code, the stable code in details.reason', () => {
    const f = contractFailureOf(new ProfileResolveError('profile.not-found', 'x'));
    expect(f).toBeInstanceOf(ContractFailure);
    expect(f).toMatchObject({ code: 'not-found', message: 'x', details: { reason: 'profile.not-found' } });
    expect(contractFailureOf(new ProfileResolveError('profile.invalid', 'x')).code).toBe('invalid-input');
    expect(contractFailureOf(new ProfileResolveError('profile.ambiguous', 'x')).code).toBe('conflict');
    expect(contractFailureOf(new ProfileResolveError('profile.none-connected', 'x')).code).toBe('unavailable');
  });
});
