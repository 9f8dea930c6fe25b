/**
 * A site pre-provisioned by managed policy, connected by a NON-root artist (root; lab id 65). IT's bundle (the .conf
 * with its key, 0600 root, and site.json) sits under /etc/longhaul/sites and `/etc/longhaul/policy.json` lists it; the
 * artist's app cannot read it. The app's provisioning pass asks the helper's `status` (the bundled helper behind a
 * `pkexec` stand-in: clean environment, PKEXEC_UID = an unprivileged uid), stores a metadata-only record (no key),
 * then `up` goes through the helper with nothing on stdin: the helper reads the bundle itself, the tunnel handshakes
 * in the artist namespace, a ping crosses; `down` removes it. No delivered copy is ever written.
 *
 * The helper's fixed directories and /etc/longhaul are bind-mounted from the lab directory in a private mount
 * namespace, so the host's own are never touched (a mount point this test had to create is removed afterwards).
 *
 * allowScripts: the same site with PostUp/PostDown is refused while the policy does not allow scripts; with
 * `allowScripts: true` wg-quick runs them as root on up and down; a profile with hooks sent by the app stays refused.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProvisioning } from '../../src-main/core/app/provisioning';
import { createCoreServices, type CoreServices } from '../../src-main/core/app/services';
import { createRunner } from '../../src-main/core/platform/runner';
import { callHelper } from '../../src-main/core/tunnel/helper-client';
import { upThroughHelper } from '../../src-main/core/tunnel/helper-up';
import { labDown, labExec, labUp, type Lab } from '../../scripts/lab';
import { helperSandbox, type HelperSandbox } from './tunnel-helpers';
import { isRoot, warnSkippedUnlessRoot } from '../support/lab';

warnSkippedUnlessRoot('test/lab/tunnel-helper-policy.test.ts: its root-only tests are skipped (run as root)');

const LAB_ID = 65;
const ARTIST_UID = 60065;
const FIXED_DIRS = { varlib: '/var/lib/longhaul', run: '/run/longhaul', log: '/var/log/longhaul', etc: '/etc/longhaul' } as const;

describe.skipIf(!isRoot)('a policy-provisioned site for a non-root artist (helper reads the bundle)', () => {
  let lab: Lab;
  let sandbox: HelperSandbox;
  let fsRoot: string;
  let artist: CoreServices;
  let name: string;
  let key: string;

  beforeAll(async () => {
    lab = await labUp({ id: LAB_ID });
    name = lab.names.profileName;
    sandbox = await helperSandbox(lab, FIXED_DIRS);
    fsRoot = sandbox.fsRoot;
    fs.chmodSync(path.join(fsRoot, 'etc'), 0o755);

    // IT's bundle: the lab's profile (with its key) 0600 root, and a site.json; the policy lists it.
    const text = fs.readFileSync(lab.profilePath, 'utf8');
    key = /^PrivateKey\s*=\s*(\S+)/m.exec(text)![1]!;
    const sites = path.join(fsRoot, 'etc', 'sites');
    fs.mkdirSync(path.join(sites, name), { recursive: true, mode: 0o755 });
    fs.chmodSync(sites, 0o700);
    fs.writeFileSync(path.join(sites, name, `${name}.conf`), text, { mode: 0o600 });
    fs.writeFileSync(path.join(sites, name, 'site.json'), JSON.stringify({ name: 'Lab farm' }), { mode: 0o644 });
    fs.writeFileSync(path.join(fsRoot, 'etc', 'policy.json'), JSON.stringify({ sites: [`/etc/longhaul/sites/${name}`] }), { mode: 0o644 });

    process.env.LONGHAUL_SECRET_STORE = 'file';
    const base = createCoreServices({ face: 'cli', dataDir: path.join(lab.dir, 'data-artist'), policySources: [] });
    artist = { ...base, runner: createRunner({ searchPath: sandbox.pkexecFor(ARTIST_UID) }) };
  }, 120_000);

  afterAll(async () => {
    await sandbox?.close();
    if (lab) await labDown(lab);
  });

  const interfaceExists = async () => (await labExec(lab, 'artist', 'ip', ['link', 'show', name], { okCodes: 'any' })).code === 0;

  it('the provisioning pass stores the site from the helper, without its key', async () => {
    const results = await createProvisioning(artist, () => null, { direct: false }).onSites([`/etc/longhaul/sites/${name}`]);
    expect(results).toEqual([expect.objectContaining({ path: `helper:${name}`, status: 'imported' })]);
    const store = artist.profiles;
    expect(await store.get(name)).toMatchObject({ name, origin: 'policy', site: { name: 'Lab farm' } });
    for (const f of fs.readdirSync(store.dir)) expect(fs.readFileSync(path.join(store.dir, f), 'utf8')).not.toContain(key);
    expect(await store.secrets.get(name)).toBeNull();
    await expect(store.canonicalText(name)).rejects.toMatchObject({ code: 'helper-held' });
  });

  it('up through the helper with nothing on stdin → handshake, ping; no delivered copy', async () => {
    const s = await upThroughHelper(artist, name, null, { waitSec: 20, force: false });
    expect(s).toMatchObject({ name, state: 'connected', reason: null });
    const ping = await labExec(lab, 'artist', 'ping', ['-c', '1', '-W', '5', lab.names.addr.gatewayTunnel]);
    expect(ping.stdout).toMatch(/1 received/);
    expect(fs.readdirSync(path.join(fsRoot, 'varlib', 'profiles'))).toEqual([]);
    for (const d of sandbox.createdMountPoints) expect(fs.readdirSync(d)).toEqual([]);
  });

  it('down through the helper removes the interface', async () => {
    const [s] = await callHelper(artist.runner, 'down', name);
    expect(s).toMatchObject({ name, state: 'disconnected' });
    expect(await interfaceExists()).toBe(false);
  });

  describe('allowScripts: IT-approved PostUp/PostDown run by wg-quick as root, only for the policy site', () => {
    // The hooks write into /etc/longhaul (bind-mounted from the lab directory), so the test sees what root ran.
    const hooksLog = () => path.join(fsRoot, 'etc', 'hooks.log');
    const logLines = () => (fs.existsSync(hooksLog()) ? fs.readFileSync(hooksLog(), 'utf8').trim().split('\n') : []);
    const setPolicy = (allowScripts: boolean) =>
      fs.writeFileSync(path.join(fsRoot, 'etc', 'policy.json'), JSON.stringify({ sites: [`/etc/longhaul/sites/${name}`], allowScripts }), { mode: 0o644 });

    beforeAll(() => {
      const conf = path.join(fsRoot, 'etc', 'sites', name, `${name}.conf`);
      const text = fs.readFileSync(conf, 'utf8').replace(/^\[Interface\]\n/m, '[Interface]\nPostUp = echo up %i >> /etc/longhaul/hooks.log\nPostDown = echo down %i >> /etc/longhaul/hooks.log\n');
      fs.writeFileSync(conf, text, { mode: 0o600 });
    });

    it('policy without allowScripts: the hooked site is refused, nothing runs', async () => {
      setPolicy(false);
      const [s] = await callHelper(artist.runner, 'up', name);
      expect(s).toMatchObject({ name, state: 'error', reason: 'hooks-refused' });
      expect(s!.message).toMatch(/provisioned by IT cannot be used: .*\.conf:\d+: PostUp would run/);
      expect(await interfaceExists()).toBe(false);
      expect(logLines()).toEqual([]);
    });

    it('policy with allowScripts: up runs PostUp (as root, %i expanded), the tunnel handshakes; down runs PostDown', async () => {
      setPolicy(true);
      const [s] = await callHelper(artist.runner, 'up', name);
      expect(s).toMatchObject({ name, state: 'connected', reason: null });
      expect(logLines()).toEqual([`up ${name}`]);
      const ping = await labExec(lab, 'artist', 'ping', ['-c', '1', '-W', '5', lab.names.addr.gatewayTunnel]);
      expect(ping.stdout).toMatch(/1 received/);
      const [d] = await callHelper(artist.runner, 'down', name);
      expect(d).toMatchObject({ name, state: 'disconnected' });
      expect(logLines()).toEqual([`up ${name}`, `down ${name}`]);
      expect(await interfaceExists()).toBe(false);
    });

    it('a profile with hooks sent by the app is refused even while the policy allows scripts', async () => {
      setPolicy(true);
      fs.rmSync(hooksLog(), { force: true });
      const own = 'lh65own';
      const text = fs.readFileSync(lab.profilePath, 'utf8').replace(/^\[Interface\]\n/m, '[Interface]\nPostUp = echo sent %i >> /etc/longhaul/hooks.log\n');
      const [s] = await callHelper(artist.runner, 'up', own, { input: text });
      expect(s).toMatchObject({ name: own, state: 'error', reason: 'hooks-refused' });
      expect(s!.message).toMatch(/never runs them for a profile sent by the app/);
      expect(logLines()).toEqual([]);
      expect(fs.readdirSync(path.join(fsRoot, 'varlib', 'profiles'))).toEqual([]);
    });
  });
});
