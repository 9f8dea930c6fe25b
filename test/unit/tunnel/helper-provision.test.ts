/**
 * Pre-provisioned sites for a non-root app: the client parses the helper's `status` document old and new; the store
 * keeps metadata-only records (`keyHolder: 'helper'`) that refuse `load`/`canonicalText` with a clear message; a
 * provisioning pass through a `pkexec` stand-in running the real (bundled) helper stores them and removes them when the
 * policy drops the bundle; `up` of such a profile sends nothing on the helper's stdin. `pkexec` is a stand-in (it
 * needs a polkit agent and a session): it runs the bundle as root with the helper's test directories.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProvisioning } from '../../../src-main/core/app/provisioning';
import { createCoreServices, type CoreServices } from '../../../src-main/core/app/services';
import { createRunner } from '../../../src-main/core/platform/runner';
import { createFileSecretStore, createProfileStore, parseProfile, publicKeyOf, ProfileStoreError } from '../../../src-main/core/profiles';
import { splitSecrets } from '../../../src-main/core/profiles/store-record';
import { parseHelperDoc, type ProvisionedProfile } from '../../../src-main/core/tunnel/helper-client';
import { upThroughHelper } from '../../../src-main/core/tunnel/helper-up';
import { isHelperHeldName } from '../../../src-main/core/tunnel/service';
import { bundleEntry } from '../../support/bundle';
import { isRoot, warnSkippedUnlessRoot } from '../../support/lab';
import { buildProfile } from '../../support/profile';

warnSkippedUnlessRoot('test/unit/tunnel/helper-provision.test.ts: its root-only tests are skipped (run as root)');

const tmp = (p: string) => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), p));
  fs.chmodSync(d, 0o755);
  return d;
};

function conf(): { text: string; key: string } {
  return buildProfile({ address: '10.78.0.2/32', dns: '10.78.0.1', endpoint: '192.0.2.8:51820', allowedIPs: '10.78.0.0/24' });
}

function provisioned(name: string): ProvisionedProfile {
  const c = conf();
  const p = parseProfile(c.text, { fileName: `${name}.conf`, origin: 'policy' }).profile!;
  return { name, origin: 'policy', allowScripts: false, sourceFileName: `${name}.conf`, publicKey: publicKeyOf(c.key), profile: splitSecrets(p).pub, warnings: [], site: null };
}

describe('the helper status document', () => {
  it('parses an older helper (tunnels only), a newer one (provisioned), ignores unknown fields, refuses garbage', () => {
    const old = parseHelperDoc('{"schemaVersion":1,"tunnels":[]}\n');
    expect(old).toEqual({ tunnels: [] });
    expect(old?.provisioned).toBeUndefined();
    const p = provisioned('farm');
    const next = parseHelperDoc(`noise\n${JSON.stringify({ schemaVersion: 1, tunnels: [], provisioned: [p], provisionRefused: [{ bundle: '/x', reason: 'r', name: 'y' }], future: 1 })}\n`);
    expect(next?.provisioned).toEqual([p]);
    expect(next?.provisionRefused).toEqual([{ bundle: '/x', reason: 'r' }]);
    expect(parseHelperDoc('not json')).toBeNull();
    expect(parseHelperDoc(JSON.stringify({ provisioned: [{ name: 'x' }] }))).toBeNull();
  });
});

describe('metadata-only records (keys held by the helper)', () => {
  const dir = tmp('lh-helperheld-');
  const store = createProfileStore(path.join(dir, 'profiles'), createFileSecretStore(path.join(dir, 'secrets')));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('stores and lists the public view, stores no secret, refuses load and canonicalText clearly', async () => {
    const p = provisioned('farm');
    const view = await store.putHelperHeld(p);
    expect(view).toMatchObject({ name: 'farm', origin: 'policy', publicKey: p.publicKey, addresses: ['10.78.0.2/32'], endpoint: '192.0.2.8:51820' });
    expect((await store.list()).map((v) => v.name)).toEqual(['farm']);
    expect((await store.records())[0]?.keyHolder).toBe('helper');
    expect(await store.secrets.get('farm')).toBeNull();
    await expect(store.canonicalText('farm')).rejects.toThrow(/provisioned by IT and its keys are readable only by Longhaul's helper/);
    await expect(store.load('farm')).rejects.toMatchObject({ code: 'helper-held' });
    await expect(store.canonicalText('farm')).rejects.toBeInstanceOf(ProfileStoreError);
  });

  it('keeps a local MTU fix when refreshed, and never replaces a user profile', async () => {
    await store.setMtuOverride('farm', 1380);
    const again = await store.putHelperHeld(provisioned('farm'));
    expect(again.mtuOverride).toBe(1380);
    await store.import({ fileName: 'mine.conf', bytes: conf().text });
    await expect(store.putHelperHeld(provisioned('mine'))).rejects.toThrow(/that you imported already exists/);
    expect((await store.records()).find((r) => r.name === 'mine')?.keyHolder).toBeUndefined();
    expect(await store.remove('farm')).toBe(true);
    expect(await store.get('farm')).toBeNull();
  });
});

describe.skipIf(!isRoot)('a non-root provisioning pass through the helper (pkexec stand-in, real helper bundle)', () => {
  let root: string;
  let core: CoreServices;
  let key: string;
  const policyFile = () => path.join(root, 'policy.json');
  const bundleDir = () => path.join(root, 'sites', 'farm');

  beforeAll(async () => {
    root = tmp('lh-helper-prov-');
    const bundle = path.join(root, 'helper.cjs');
    await bundleEntry({ entry: 'src-main/helper/entry.ts', outfile: bundle, target: 'node18', testBuild: true });
    const dirs: Record<string, string> = {};
    for (const k of ['PROFILES', 'RUNTIME', 'LOG']) {
      dirs[`LONGHAUL_HELPER_${k}_DIR`] = path.join(root, `helper-${k.toLowerCase()}`);
      fs.mkdirSync(dirs[`LONGHAUL_HELPER_${k}_DIR`]!, { mode: 0o700 });
    }
    const bin = path.join(root, 'bin');
    fs.mkdirSync(bin, { mode: 0o755 });
    const env = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LONGHAUL_TEST_POLICY_PATH: policyFile(), ...dirs };
    fs.writeFileSync(
      path.join(bin, 'pkexec'),
      `#!${process.execPath}
const { spawnSync } = require('child_process');
const r = spawnSync(${JSON.stringify(process.execPath)}, [${JSON.stringify(bundle)}, ...process.argv.slice(3)], { stdio: 'inherit', env: ${JSON.stringify(env)} });
process.exit(r.status === null ? 2 : r.status);
`,
      { mode: 0o755 },
    );
    fs.mkdirSync(bundleDir(), { recursive: true, mode: 0o755 });
    const c = conf();
    key = c.key;
    fs.writeFileSync(path.join(bundleDir(), 'farm.conf'), c.text, { mode: 0o600 });
    fs.writeFileSync(path.join(bundleDir(), 'site.json'), JSON.stringify({ name: 'Studio farm' }), { mode: 0o644 });
    fs.writeFileSync(policyFile(), JSON.stringify({ sites: [bundleDir()] }), { mode: 0o644 });
    const base = createCoreServices({ face: 'cli', dataDir: path.join(root, 'data'), policySources: [] });
    core = { ...base, runner: createRunner({ searchPath: bin }) };
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('stores what the helper reports (no key), and removes it once policy no longer lists the bundle', async () => {
    const prov = createProvisioning(core, () => null, { direct: false });
    const first = await prov.onSites([bundleDir()]);
    expect(first).toEqual([expect.objectContaining({ path: 'helper:farm', status: 'imported' })]);
    const store = core.profiles;
    expect(await store.get('farm')).toMatchObject({ origin: 'policy', site: { name: 'Studio farm' }, publicKey: publicKeyOf(key) });
    expect(await isHelperHeldName(core, 'farm')).toBe(true);
    const onDisk = fs.readdirSync(store.dir).map((f) => fs.readFileSync(path.join(store.dir, f), 'utf8')).join('\n');
    expect(onDisk).not.toContain(key);
    expect(await store.secrets.get('farm')).toBeNull();
    expect((await prov.onSites([bundleDir()]))[0]?.status).toBe('unchanged');
    await store.import({ fileName: 'mine.conf', bytes: conf().text });

    fs.writeFileSync(policyFile(), JSON.stringify({ sites: [] }), { mode: 0o644 });
    const gone = await prov.onSites([path.join(root, 'elsewhere')]);
    expect(gone).toEqual([expect.objectContaining({ path: 'helper:farm', status: 'removed' })]);
    expect((await store.list()).map((v) => v.name)).toEqual(['mine']); // user profiles are never touched
  });
});

describe('up of a helper-held profile sends nothing on stdin', () => {
  it('calls `pkexec HELPER up NAME` with empty stdin', async () => {
    const root = tmp('lh-helperheld-up-');
    try {
      const script = `#!${process.execPath}
const fs = require('fs');
const stdin = fs.readFileSync(0, 'utf8');
const argv = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(path.join(root, 'calls.jsonl'))}, JSON.stringify({ argv, stdin }) + '\\n');
const up = { name: 'farm', interface: 'farm', state: 'connected', reason: null, message: null, endpoint: null, latestHandshakeAgeSec: 1, rxBytes: 0, txBytes: 0, peers: [] };
process.stdout.write(JSON.stringify({ schemaVersion: 1, tunnels: argv[1] === 'up' ? [up] : [] }) + '\\n');
`;
      fs.writeFileSync(path.join(root, 'pkexec'), script, { mode: 0o755 });
      const base = createCoreServices({ face: 'cli', dataDir: path.join(root, 'data'), policySources: [] });
      const core = { ...base, runner: createRunner({ searchPath: root }) };
      await core.profiles.putHelperHeld(provisioned('farm'));
      const s = await upThroughHelper(core, 'farm', null, { waitSec: 1, force: false });
      expect(s.state).toBe('connected');
      const calls = fs.readFileSync(path.join(root, 'calls.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { argv: string[]; stdin: string });
      const upCall = calls.find((c) => c.argv[1] === 'up');
      expect(upCall).toEqual({ argv: ['/usr/lib/longhaul/longhaul-helper', 'up', 'farm'], stdin: '' });
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
