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
import { build } from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoreServices, type CoreServices } from '../../src-main/core/app/services';
import { createRunner } from '../../src-main/core/platform/runner';
import { parseProfile, profileStoreOf, serializeProfile } from '../../src-main/core/profiles';
import { callHelper } from '../../src-main/core/tunnel/helper-client';
import { upThroughHelper } from '../../src-main/core/tunnel/helper-up';
import { labDown, labExec, labUp, type Lab } from '../../scripts/lab';

const isRoot = process.getuid?.() === 0;
const ROOT = path.resolve(__dirname, '../..');
const HELPER = path.join(ROOT, 'dist/helper/longhaul-helper.cjs');
const LAB_ID = 60;
const ARTIST_UID = 60060;
const OTHER_UID = 60061;
const FIXED_DIRS = { varlib: '/var/lib/longhaul', run: '/run/longhaul', log: '/var/log/longhaul' } as const;

describe.skipIf(!isRoot)('longhaul-helper with the profile on stdin (non-root path)', () => {
  const runner = createRunner();
  let lab: Lab;
  let nsFile: string;
  let anchor: string;
  let fsRoot: string;
  const createdMountPoints: string[] = [];
  let artist: CoreServices;
  let other: CoreServices;
  let name: string;
  let canonical: string;

  /** A `pkexec` stand-in in its own directory, running the bundled helper for `uid` inside the lab. */
  function pkexecFor(uid: number): string {
    const dir = path.join(lab.dir, `pkexec-${uid}`);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const script = `#!${process.execPath}
const { spawnSync } = require('child_process');
const args = process.argv.slice(3); // drop the helper path pkexec was given; run the bundle instead
const r = spawnSync('nsenter', [${JSON.stringify(`--mount=${nsFile}`)}, 'ip', 'netns', 'exec', ${JSON.stringify(lab.names.ns.artist)},
  '/usr/bin/env', '-i', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'PKEXEC_UID=${uid}',
  ${JSON.stringify(process.execPath)}, ${JSON.stringify(HELPER)}, ...args], { stdio: 'inherit' });
process.exit(r.status === null ? 2 : r.status);
`;
    fs.writeFileSync(path.join(dir, 'pkexec'), script, { mode: 0o700 });
    return dir;
  }

  function coreFor(label: string, pkexecDir: string): CoreServices {
    const base = createCoreServices({ face: 'cli', dataDir: path.join(lab.dir, `data-${label}`), policySources: [] });
    return { ...base, runner: createRunner({ searchPath: pkexecDir }) };
  }

  beforeAll(async () => {
    lab = await labUp({ id: LAB_ID });
    name = lab.names.profileName;
    // The bundle as scripts/build-node.mjs makes it (`npm run build:node`), rebuilt so it matches the sources.
    await build({
      entryPoints: [path.join(ROOT, 'src-main/helper/main.ts')],
      outfile: HELPER,
      bundle: true,
      platform: 'node',
      target: 'node18',
      format: 'cjs',
      sourcemap: 'linked',
      logLevel: 'error',
      legalComments: 'none',
      define: { 'process.env.LONGHAUL_TEST_BUILD': '"0"' },
    });
    // A persistent private mount namespace where the helper's fixed directories are the lab's.
    fsRoot = path.join(lab.dir, 'helper-fs');
    for (const k of Object.keys(FIXED_DIRS)) fs.mkdirSync(path.join(fsRoot, k), { recursive: true, mode: 0o700 });
    for (const target of Object.values(FIXED_DIRS)) {
      if (!fs.existsSync(target)) {
        fs.mkdirSync(target, { mode: 0o700 });
        createdMountPoints.push(target);
      }
    }
    anchor = path.join(lab.dir, 'mnt');
    fs.mkdirSync(anchor, { recursive: true });
    nsFile = path.join(anchor, 'mntns');
    fs.writeFileSync(nsFile, '');
    await runner.run('mount', ['--bind', anchor, anchor]);
    await runner.run('mount', ['--make-private', anchor]);
    await runner.run('unshare', [`--mount=${nsFile}`, '--propagation', 'private', 'true']);
    for (const [k, target] of Object.entries(FIXED_DIRS)) await runner.run('nsenter', [`--mount=${nsFile}`, 'mount', '--bind', path.join(fsRoot, k), target]);

    process.env.LONGHAUL_SECRET_STORE = 'file';
    artist = coreFor('artist', pkexecFor(ARTIST_UID));
    other = coreFor('other', pkexecFor(OTHER_UID));
    const batch = await profileStoreOf(artist).import({ fileName: path.basename(lab.profilePath), bytes: new Uint8Array(fs.readFileSync(lab.profilePath)) });
    expect(batch.entries[0]).toMatchObject({ name, valid: true });
    canonical = await profileStoreOf(artist).canonicalText(name);
  }, 120_000);

  afterAll(async () => {
    // Release the mount namespace before the lab directory goes; remove only the mount points this test made.
    if (nsFile) await runner.run('umount', [nsFile], { okCodes: 'any' });
    if (anchor) await runner.run('umount', [anchor], { okCodes: 'any' });
    for (const d of createdMountPoints) fs.rmdirSync(d);
    if (lab) await labDown(lab);
  });

  const delivered = (f: string) => path.join(fsRoot, 'varlib', 'profiles', f);
  const interfaceExists = async () => (await labExec(lab, 'artist', 'ip', ['link', 'show', name], { okCodes: 'any' })).code === 0;

  it('up: stdin → root-only re-serialised copy with its owner → tunnel with a handshake', async () => {
    const s = await upThroughHelper(artist, name, canonical, { waitSec: 20, force: false });
    expect(s).toMatchObject({ name, state: 'connected', reason: null });
    expect(fs.statSync(path.join(fsRoot, 'varlib', 'profiles')).mode & 0o777).toBe(0o700);
    expect(fs.statSync(delivered(`${name}.conf`)).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(delivered(`${name}.conf`), 'utf8')).toBe(serializeProfile(parseProfile(canonical, { origin: 'user' }).profile!));
    expect(JSON.parse(fs.readFileSync(delivered(`${name}.owner`), 'utf8'))).toMatchObject({ uid: ARTIST_UID });
    // Nothing of the profile anywhere on the host's fixed paths (only the lab's bind mounts were written).
    for (const d of createdMountPoints) expect(fs.readdirSync(d)).toEqual([]);
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
    expect(fs.readdirSync(path.join(fsRoot, 'varlib', 'profiles'))).toEqual([]);
    expect(fs.readdirSync(path.join(fsRoot, 'run', 'tunnels')).filter((f) => f.startsWith(name))).toEqual([]);
  });
});
