/**
 * Two artists on one Linux workstation, each authorised by polkit, and the helper exactly as the deb installs it
 * (lab id 67, root only): the package's install script (resources/linux/helper-install.sh, run by the deb postinst)
 * installs the shipped wrapper (resources/linux/longhaul-helper-wrapper.sh) at the polkit exec.path and the helper
 * as the Node single executable the deb ships (scripts/build-helper-sea.mjs); the REAL pkexec and polkitd
 * (./polkit-sandbox.ts) start it for two distinct non-root users in the lab's artist network namespace.
 *
 * What it proves (issue 13.1): the helper knows who asked. The first artist's tunnel cannot be taken down, replaced or
 * reused by the second; the first can take it down. A wrapper that clears PKEXEC_UID (the one the 0.1.0 postinst
 * wrote) makes the helper refuse every request instead of treating the caller as root.
 *
 * The helper's fixed directories (/var/lib/longhaul, /run/longhaul, /var/log/longhaul) are folders of the lab in the
 * sandbox's private mount namespace; the host's are never touched.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TunnelStatus } from '../../src-main/contract/tunnel';
import { createRunner } from '../../src-main/core/platform/runner';
import { HELPER_PATH } from '../../src-main/core/tunnel/helper-client';
import { labDown, labExec, labUp, type Lab } from '../../scripts/lab';
import { helperBundle } from '../support/bundle';
import { ACTION, polkitSandbox, polkitTestsCanRun, type Caller, type PolkitSandbox } from './polkit-sandbox';

const LAB_ID = 67;
const LINUX = path.resolve(__dirname, '../../resources/linux');
const SEA_SCRIPT = path.resolve(__dirname, '../../scripts/build-helper-sea.mjs');
const POLICY = 'studio.longhaul.client.helper.policy';
/** The wrapper the 0.1.0 postinst wrote: it cleared PKEXEC_UID along with everything else. */
const OLD_WRAPPER = '#!/bin/sh\nexec /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C /usr/lib/longhaul/longhaul-helper.bin "$@"\n';
const canRun = polkitTestsCanRun('test/lab/polkit-wrapper.test.ts');

interface HelperAnswer {
  code: number;
  tunnels: TunnelStatus[];
  error?: { code: string; message: string };
  stderr: string;
}

describe.runIf(canRun)('the installed wrapper under the real pkexec: two artists, one tunnel', () => {
  const runner = createRunner();
  let lab: Lab;
  let sb: PolkitSandbox;
  let first: Caller;
  let second: Caller;
  let name: string;
  let res: string;
  const profilesDir = () => path.join(lab.dir, 'helper-fs', 'varlib', 'profiles');

  /** `pkexec /usr/lib/longhaul/longhaul-helper VERB NAME` as `who`, in the artist's network namespace. */
  async function helper(who: Caller, verb: 'up' | 'down' | 'status', input?: string): Promise<HelperAnswer> {
    const args = sb.inNs(['ip', 'netns', 'exec', lab.names.ns.artist, 'setpriv', `--reuid=${who.uid}`, `--regid=${who.gid}`, '--clear-groups', 'timeout', '60', 'pkexec', '--disable-internal-agent', HELPER_PATH, verb, name]);
    const r = await runner.run('nsenter', args, { okCodes: 'any', timeoutMs: 90_000, ...(input === undefined ? { input: '' } : { input }), env: { SHELL: undefined, XAUTHORITY: undefined, DISPLAY: undefined } });
    try {
      const doc = JSON.parse(r.stdout) as { tunnels?: TunnelStatus[]; error?: { code: string; message: string } };
      return { code: r.code ?? -1, tunnels: doc.tunnels ?? [], error: doc.error, stderr: r.stderr };
    } catch {
      throw new Error(`no JSON from the helper (exit ${r.code}): ${r.stdout.slice(0, 400)} ${r.stderr.slice(-1200)} ${sb.log().slice(-800)}`);
    }
  }
  const interfaceExists = async () => (await labExec(lab, 'artist', 'ip', ['link', 'show', name], { okCodes: 'any' })).code === 0;
  const owner = () => JSON.parse(fs.readFileSync(path.join(profilesDir(), `${name}.owner`), 'utf8')) as { uid: number };

  beforeAll(async () => {
    lab = await labUp({ id: LAB_ID });
    name = lab.names.profileName;
    const fsRoot = path.join(lab.dir, 'helper-fs');
    const fixed = { varlib: '/var/lib/longhaul', run: '/run/longhaul', log: '/var/log/longhaul' };
    for (const k of Object.keys(fixed)) fs.mkdirSync(path.join(fsRoot, k), { recursive: true, mode: 0o700 });
    sb = await polkitSandbox({
      callers: [
        { name: 'lhartist1', uid: 60167 },
        { name: 'lhartist2', uid: 60267 },
      ],
      allowed: ['up', 'down', 'status'].map(ACTION),
      extraBinds: Object.entries(fixed).map(([k, target]) => [path.join(fsRoot, k), target] as [string, string]),
    });
    [first, second] = sb.callers as [Caller, Caller];

    // The package's resources folder, as electron-builder.yml lays it out for Linux.
    res = path.join(lab.dir, 'res');
    fs.mkdirSync(path.join(res, 'helper'), { recursive: true, mode: 0o700 });
    fs.mkdirSync(path.join(res, 'polkit'), { mode: 0o700 });
    const bundle = await helperBundle(path.join(lab.dir, 'longhaul-helper.cjs'));
    const sea = await runner.run(process.execPath, [SEA_SCRIPT, bundle, path.join(res, 'helper', 'longhaul-helper')], { timeoutMs: 120_000, okCodes: 'any' });
    expect(sea.code, sea.stderr).toBe(0);
    fs.copyFileSync(path.join(LINUX, 'longhaul-helper-wrapper.sh'), path.join(res, 'helper', 'longhaul-helper-wrapper.sh'));
    fs.copyFileSync(path.join(LINUX, 'helper-install.sh'), path.join(res, 'helper', 'helper-install.sh'));
    fs.copyFileSync(path.join(LINUX, POLICY), path.join(res, 'polkit', POLICY));
    const inst = await sb.install(res);
    expect(inst.code, inst.stderr).toBe(0);
  }, 240_000);

  afterAll(async () => {
    await sb?.close();
    if (lab) await labDown(lab);
  });

  it('the first artist brings the tunnel up with the profile on stdin; the copy records that artist', async () => {
    const r = await helper(first, 'up', fs.readFileSync(lab.profilePath, 'utf8'));
    expect(r.error, r.stderr).toBeUndefined();
    expect(r.tunnels[0]).toMatchObject({ name, state: 'connected', reason: null });
    expect(r.code).toBe(0);
    expect(await interfaceExists()).toBe(true);
    expect(owner().uid).toBe(first.uid);
    expect(sb.log()).toContain(`action=${ACTION('up')} user=${first.name} command_line=${HELPER_PATH} up ${name}`);
  });

  it('the second artist cannot take it down: refused in plain words, the tunnel stays', async () => {
    const r = await helper(second, 'down');
    expect(r.code).toBe(2); // permission-denied: "could not run" (core/tunnel/exit-codes.ts)
    expect(r.tunnels[0]).toMatchObject({ name, state: 'error', reason: 'permission-denied' });
    expect(r.tunnels[0]?.message).toContain(`brought up by another user (uid ${first.uid})`);
    expect(await interfaceExists()).toBe(true);
    expect(sb.log()).toContain(`action=${ACTION('down')} user=${second.name}`);
  });

  it('the second artist can neither replace the profile (own stdin) nor reuse the stored copy (empty stdin)', async () => {
    const replaced = await helper(second, 'up', fs.readFileSync(lab.profilePath, 'utf8'));
    expect(replaced.tunnels[0]).toMatchObject({ name, state: 'error', reason: 'permission-denied' });
    expect(replaced.tunnels[0]?.message).toContain(`up for another user (uid ${first.uid})`);
    const reused = await helper(second, 'up');
    expect(reused.tunnels[0]).toMatchObject({ name, state: 'error', reason: 'permission-denied' });
    expect(reused.tunnels[0]?.message).toContain(`belongs to another user (uid ${first.uid})`);
    expect(owner().uid).toBe(first.uid);
    expect(await interfaceExists()).toBe(true);
  });

  it('behind a wrapper that clears PKEXEC_UID, the helper refuses instead of treating the caller as root', async () => {
    const installed = path.join(sb.tmp, 'usrlib', 'longhaul-helper');
    fs.writeFileSync(`${installed}.old`, OLD_WRAPPER, { mode: 0o755 });
    fs.renameSync(`${installed}.old`, installed);
    try {
      const r = await helper(second, 'down');
      expect(r.code).toBe(2);
      expect(r.error).toMatchObject({ code: 'caller-unknown', message: expect.stringContaining(`started by uid ${second.uid} without PKEXEC_UID`) });
      expect(await interfaceExists()).toBe(true);
    } finally {
      const again = await sb.install(res);
      expect(again.code, again.stderr).toBe(0);
    }
  });

  it('the first artist sees it connected and takes it down: the interface and the delivered copy are gone', async () => {
    const s = await helper(first, 'status');
    expect(s.tunnels[0]).toMatchObject({ name, state: 'connected' });
    const r = await helper(first, 'down');
    expect(r.tunnels[0]).toMatchObject({ name, state: 'disconnected' });
    expect(r.code).toBe(0);
    expect(await interfaceExists()).toBe(false);
    expect(fs.readdirSync(profilesDir()).filter((f) => f.startsWith(name))).toEqual([]);
  });
});
