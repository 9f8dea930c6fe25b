/**
 * What the uninstallers run to take Longhaul's tunnels down, for real (root; lab id 66).
 *
 * The deb's prerm (resources/linux/deb-prerm.sh): an artist's tunnel is up through the
 * helper (profile delivered on stdin, pkexec stand-in), IT has its own profile in the helper's directory, and an
 * interface that Longhaul did not bring up exists. `prerm upgrade` changes nothing; `prerm remove` takes Longhaul's
 * tunnel down through the installed helper path, removes the artist's delivered copy (its key) and leaves IT's file
 * and the foreign interface alone.
 *
 * The helper's fixed directories and /usr/lib/longhaul are bind-mounted from the lab directory in a private mount
 * namespace (tunnel-helpers.ts), so the host's own are never touched; /usr/lib/longhaul/longhaul-helper there is a
 * wrapper like the one the postinst writes (clean environment), running the release-bundled helper.
 *
 * `longhaul-helperd --down-all` (what the Windows uninstaller runs before removing the service): the tunnel brought up
 * again is taken down, the foreign interface stays, the JSON document lists it disconnected (refusals: daemon.test.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoreServices, type CoreServices } from '../../src-main/core/app/services';
import { createRunner } from '../../src-main/core/platform/runner';
import { upThroughHelper } from '../../src-main/core/tunnel/helper-up';
import { labDown, labExec, labUp, type Lab } from '../../scripts/lab';
import { bundleEntry } from '../support/bundle';
import { helperSandbox, type HelperSandbox } from './tunnel-helpers';
import { isRoot, warnSkippedUnlessRoot } from '../support/lab';

warnSkippedUnlessRoot('test/lab/uninstall.test.ts: its root-only tests are skipped (run as root)');

const LAB_ID = 66;
const ARTIST_UID = 60066;
const FIXED_DIRS = { varlib: '/var/lib/longhaul', run: '/run/longhaul', log: '/var/log/longhaul', usrlib: '/usr/lib/longhaul', etc: '/etc/longhaul' } as const;
const LINUX = path.resolve(__dirname, '../../resources/linux');
const PRERM = path.resolve(__dirname, '../../resources/linux/deb-prerm.sh');

describe.skipIf(!isRoot)('deb prerm: Longhaul tunnels down and artists\' keys removed before the package goes', () => {
  let lab: Lab;
  let sandbox: HelperSandbox;
  let artist: CoreServices;
  let name: string;
  const foreign = 'lh66foreign';

  const runPrerm = (arg: string) =>
    createRunner().run('nsenter', [`--mount=${sandbox.nsFile}`, 'ip', 'netns', 'exec', lab.names.ns.artist, '/usr/bin/env', '-i', 'PATH=/usr/sbin:/usr/bin:/sbin:/bin', 'bash', PRERM, arg], { okCodes: 'any' });
  const linkExists = async (n: string) => (await labExec(lab, 'artist', 'ip', ['link', 'show', n], { okCodes: 'any' })).code === 0;
  const profilesDir = () => path.join(sandbox.fsRoot, 'varlib', 'profiles');

  beforeAll(async () => {
    lab = await labUp({ id: LAB_ID });
    name = lab.names.profileName;
    sandbox = await helperSandbox(lab, FIXED_DIRS);
    // The installed helper path, as the deb postinst installs it (helper-install.sh: the shipped wrapper in front of
    // the helper binary; here the release bundle behind a node shebang stands for the single executable).
    const res = path.join(lab.dir, 'res');
    fs.mkdirSync(path.join(res, 'helper'), { recursive: true, mode: 0o700 });
    fs.writeFileSync(path.join(res, 'helper', 'longhaul-helper'), `#!${process.execPath}\n${fs.readFileSync(sandbox.helper, 'utf8')}`, { mode: 0o755 });
    fs.copyFileSync(path.join(LINUX, 'longhaul-helper-wrapper.sh'), path.join(res, 'helper', 'longhaul-helper-wrapper.sh'));
    const inst = await createRunner().run('nsenter', [`--mount=${sandbox.nsFile}`, 'sh', path.join(LINUX, 'helper-install.sh'), res], { okCodes: 'any' });
    expect(inst.code, inst.stderr).toBe(0);

    process.env.LONGHAUL_SECRET_STORE = 'file';
    const base = createCoreServices({ face: 'cli', dataDir: path.join(lab.dir, 'data-artist'), policySources: [] });
    artist = { ...base, runner: createRunner({ searchPath: sandbox.pkexecFor(ARTIST_UID) }) };
    await artist.profiles.import({ fileName: path.basename(lab.profilePath), bytes: new Uint8Array(fs.readFileSync(lab.profilePath)) });
    const s = await upThroughHelper(artist, name, await artist.profiles.canonicalText(name), { waitSec: 20, force: false });
    expect(s).toMatchObject({ name, state: 'connected' });

    // IT's own profile in the helper's directory (no .owner record), and an interface Longhaul never brought up.
    fs.writeFileSync(path.join(profilesDir(), 'itfarm.conf'), fs.readFileSync(lab.profilePath), { mode: 0o600 });
    await labExec(lab, 'artist', 'ip', ['link', 'add', foreign, 'type', 'veth', 'peer', 'name', 'lh66fpeer']);
  }, 120_000);

  afterAll(async () => {
    await sandbox?.close();
    if (lab) await labDown(lab);
  });

  it('upgrade: nothing is taken down or removed', async () => {
    const r = await runPrerm('upgrade');
    expect(r.code).toBe(0);
    expect(await linkExists(name)).toBe(true);
    expect(fs.existsSync(path.join(profilesDir(), `${name}.owner`))).toBe(true);
  });

  it('remove: Longhaul\'s tunnel is down, the delivered key is gone, IT\'s file and the foreign interface stay', async () => {
    const r = await runPrerm('remove');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(await linkExists(name)).toBe(false);
    expect(fs.readdirSync(profilesDir()).sort()).toEqual(['itfarm.conf']);
    expect(fs.readdirSync(path.join(sandbox.fsRoot, 'run', 'tunnels')).filter((f) => f !== 'stale-baselines.json')).toEqual([]);
    expect(await linkExists(foreign)).toBe(true);
  });

  it('longhaul-helperd --down-all: Longhaul\'s tunnel down, the foreign interface stays', async () => {
    const s = await upThroughHelper(artist, name, await artist.profiles.canonicalText(name), { waitSec: 20, force: false });
    expect(s).toMatchObject({ name, state: 'connected' });
    const helperd = await bundleEntry({ entry: 'src-main/helper/daemon-main.ts', outfile: path.join(lab.dir, 'longhaul-helperd.cjs'), target: 'node18' });
    const r = await createRunner().run(
      'nsenter',
      [`--mount=${sandbox.nsFile}`, 'ip', 'netns', 'exec', lab.names.ns.artist, '/usr/bin/env', '-i', 'PATH=/usr/sbin:/usr/bin:/sbin:/bin', process.execPath, helperd, '--down-all'],
      { okCodes: 'any' },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ schemaVersion: 1, tunnels: [expect.objectContaining({ name, state: 'disconnected' })] });
    expect(await linkExists(name)).toBe(false);
    expect(await linkExists(foreign)).toBe(true);
  });
});
