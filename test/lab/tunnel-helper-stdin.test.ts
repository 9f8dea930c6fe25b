/**
 * The non-root path end to end in the lab (root; lab id 60): the artist's ProfileStore gives the canonical text, the
 * client (`upThroughHelper` → `callHelper`) pipes it on stdin to `pkexec HELPER up NAME`; the bundled
 * dist/helper/longhaul-helper.cjs runs inside the artist namespace with a pkexec-like clean environment and
 * PKEXEC_UID set to an unprivileged uid, stores the re-serialised copy root-only, brings the tunnel up (handshake),
 * reports status; `down` from another PKEXEC_UID is refused; the owner's `down` removes the interface and the copy.
 *
 * `pkexec` is a stand-in (pkexec needs a polkit agent and a session): a Node program that runs the helper bundle as
 * pkexec would (argv passed through, stdin inherited, environment cleared except PATH and PKEXEC_UID). The helper's
 * fixed directories (/var/lib/longhaul, /run/longhaul, /var/log/longhaul) are bind-mounted from the lab directory in
 * a private mount namespace, so the host's own are never touched.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoreServices, type CoreServices } from '../../src-main/core/app/services';
import { createRunner } from '../../src-main/core/platform/runner';
import { parseProfile, serializeProfile } from '../../src-main/core/profiles';
import { callHelper } from '../../src-main/core/tunnel/helper-client';
import { upThroughHelper } from '../../src-main/core/tunnel/helper-up';
import { labDown, labExec, labUp, type Lab } from '../../scripts/lab';
import { helperSandbox, type HelperSandbox } from './tunnel-helpers';
import { isRoot, warnSkippedUnlessRoot } from '../support/lab';

warnSkippedUnlessRoot('test/lab/tunnel-helper-stdin.test.ts: its root-only tests are skipped (run as root)');

const LAB_ID = 60;
const ARTIST_UID = 60060;
const OTHER_UID = 60061;
const FIXED_DIRS = { varlib: '/var/lib/longhaul', run: '/run/longhaul', log: '/var/log/longhaul' } as const;

describe.skipIf(!isRoot)('longhaul-helper with the profile on stdin (non-root path)', () => {
  let lab: Lab;
  let sandbox: HelperSandbox;
  let artist: CoreServices;
  let other: CoreServices;
  let name: string;
  let canonical: string;

  function coreFor(label: string, pkexecDir: string): CoreServices {
    const base = createCoreServices({ face: 'cli', dataDir: path.join(lab.dir, `data-${label}`), policySources: [] });
    return { ...base, runner: createRunner({ searchPath: pkexecDir }) };
  }

  beforeAll(async () => {
    lab = await labUp({ id: LAB_ID });
    name = lab.names.profileName;
    // The bundle as scripts/build-node.mjs makes it (`npm run build:node`), rebuilt so it matches the sources.
    sandbox = await helperSandbox(lab, FIXED_DIRS);

    process.env.LONGHAUL_SECRET_STORE = 'file';
    artist = coreFor('artist', sandbox.pkexecFor(ARTIST_UID));
    other = coreFor('other', sandbox.pkexecFor(OTHER_UID));
    const batch = await artist.profiles.import({ fileName: path.basename(lab.profilePath), bytes: new Uint8Array(fs.readFileSync(lab.profilePath)) });
    expect(batch.entries[0]).toMatchObject({ name, valid: true });
    canonical = await artist.profiles.canonicalText(name);
  }, 120_000);

  afterAll(async () => {
    // Release the mount namespace before the lab directory goes; remove only the mount points this test made.
    await sandbox?.close();
    if (lab) await labDown(lab);
  });

  const delivered = (f: string) => path.join(sandbox.fsRoot, 'varlib', 'profiles', f);
  const interfaceExists = async () => (await labExec(lab, 'artist', 'ip', ['link', 'show', name], { okCodes: 'any' })).code === 0;

  it('up: stdin → root-only re-serialised copy with its owner → tunnel with a handshake', async () => {
    const s = await upThroughHelper(artist, name, canonical, { waitSec: 20, force: false });
    expect(s).toMatchObject({ name, state: 'connected', reason: null });
    expect(fs.statSync(path.join(sandbox.fsRoot, 'varlib', 'profiles')).mode & 0o777).toBe(0o700);
    expect(fs.statSync(delivered(`${name}.conf`)).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(delivered(`${name}.conf`), 'utf8')).toBe(serializeProfile(parseProfile(canonical, { origin: 'user' }).profile!));
    expect(JSON.parse(fs.readFileSync(delivered(`${name}.owner`), 'utf8'))).toMatchObject({ uid: ARTIST_UID });
    // Nothing of the profile anywhere on the host's fixed paths (only the lab's bind mounts were written).
    for (const d of sandbox.createdMountPoints) expect(fs.readdirSync(d)).toEqual([]);
  });

  it('status through the helper shows the handshake and traffic; a ping crosses', async () => {
    const ping = await labExec(lab, 'artist', 'ping', ['-c', '1', '-W', '5', lab.names.addr.gatewayTunnel]);
    expect(ping.stdout).toMatch(/1 received/);
    const [s] = await callHelper(artist.runner, 'status', name);
    expect(s).toMatchObject({ name, state: 'connected' });
    expect(s!.latestHandshakeAgeSec).not.toBeNull();
    expect(s!.rxBytes).toBeGreaterThan(0);
    expect((await callHelper(artist.runner, 'status', null)).map((t) => t.name)).toEqual([name]);
  });

  it('another user can neither take it down nor replace its profile', async () => {
    const [down] = await callHelper(other.runner, 'down', name);
    expect(down).toMatchObject({ state: 'error', reason: 'permission-denied', message: expect.stringMatching(new RegExp(`uid ${ARTIST_UID}`)) });
    const [up] = await callHelper(other.runner, 'up', name, { input: canonical });
    expect(up).toMatchObject({ state: 'error', reason: 'permission-denied' });
    expect(await interfaceExists()).toBe(true);
    expect(JSON.parse(fs.readFileSync(delivered(`${name}.owner`), 'utf8'))).toMatchObject({ uid: ARTIST_UID });
  });

  it('hooks on stdin are refused by the helper before anything runs', async () => {
    const hooked = canonical.replace('[Peer]', 'PostUp = touch /tmp/longhaul-pwned\n\n[Peer]');
    const [s] = await callHelper(other.runner, 'up', 'lh60hook', { input: hooked });
    expect(s).toMatchObject({ state: 'error', reason: 'hooks-refused' });
    expect(fs.existsSync(delivered('lh60hook.conf'))).toBe(false);
    expect(fs.existsSync('/tmp/longhaul-pwned')).toBe(false);
  });

  it('down by the owner removes the interface and the delivered copy', async () => {
    const [s] = await callHelper(artist.runner, 'down', name);
    expect(s).toMatchObject({ name, state: 'disconnected' });
    expect(await interfaceExists()).toBe(false);
    expect(fs.readdirSync(path.join(sandbox.fsRoot, 'varlib', 'profiles'))).toEqual([]);
    expect(fs.readdirSync(path.join(sandbox.fsRoot, 'run', 'tunnels')).filter((f) => f.startsWith(name))).toEqual([]);
  });
});
