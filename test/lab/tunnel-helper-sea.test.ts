/**
 * The helper as shipped on macOS/Windows — a Node single-executable application (scripts/build-helper-sea.mjs) — run
 * for real as root in the lab (lab id 85 only): built once from the release-bundled helper, started inside the artist
 * network namespace the way pkexec starts it (cleared environment, PKEXEC_UID = an unprivileged uid) with `up NAME`
 * and the lab's artist profile on stdin → a connected tunnel with a handshake; `status`; `down` removes it.
 *
 * The helper's fixed directories (/var/lib/longhaul, /run/longhaul, /var/log/longhaul) are bind-mounted from the lab
 * directory in a private mount namespace (helperSandbox, exactly as tunnel-helper-stdin.test.ts), and in that same
 * namespace every `node` on the helper's PATH is hidden (/dev/null bound over it): the binary needs no Node.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TunnelStatus } from '../../src-main/contract/tunnel';
import { createRunner } from '../../src-main/core/platform/runner';
import { labDown, labExec, labUp, type Lab } from '../../scripts/lab';
import { helperSandbox, type HelperSandbox } from './tunnel-helpers';
import { isRoot, warnSkippedUnlessRoot } from '../support/lab';

warnSkippedUnlessRoot('test/lab/tunnel-helper-sea.test.ts: its root-only tests are skipped (run as root)');

const LAB_ID = 85;
const ARTIST_UID = 60085;
const FIXED_DIRS = { varlib: '/var/lib/longhaul', run: '/run/longhaul', log: '/var/log/longhaul' } as const;
const HELPER_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const SCRIPT = path.resolve(__dirname, '../../scripts/build-helper-sea.mjs');

describe.skipIf(!isRoot)('longhaul-helper single executable, as root in the lab', () => {
  let lab: Lab;
  let sandbox: HelperSandbox;
  let sea: string;
  let name: string;
  const runner = createRunner();

  /** Run the SEA as pkexec would: private mounts, artist netns, `env -i` with PATH and PKEXEC_UID only. */
  async function helper(args: string[], input?: string): Promise<{ code: number; doc: { tunnels?: TunnelStatus[]; error?: unknown } }> {
    const r = await runner.run(
      'nsenter',
      [`--mount=${sandbox.nsFile}`, 'ip', 'netns', 'exec', lab.names.ns.artist, '/usr/bin/env', '-i', `PATH=${HELPER_PATH}`, `PKEXEC_UID=${ARTIST_UID}`, sea, ...args],
      { okCodes: 'any', timeoutMs: 90_000, ...(input === undefined ? {} : { input }) },
    );
    try {
      return { code: r.code ?? -1, doc: JSON.parse(r.stdout) as { tunnels?: TunnelStatus[]; error?: unknown } };
    } catch {
      throw new Error(`no JSON from the SEA helper (exit ${r.code}): ${r.stdout.slice(0, 400)} ${r.stderr.slice(-1200)}`);
    }
  }

  beforeAll(async () => {
    lab = await labUp({ id: LAB_ID });
    name = lab.names.profileName;
    sandbox = await helperSandbox(lab, FIXED_DIRS);
    // Build the binary once, from the same release bundle the sandbox made.
    sea = path.join(lab.dir, 'longhaul-helper');
    await runner.run(process.execPath, [SCRIPT, sandbox.helper, sea], { timeoutMs: 120_000 });
    // Hide every node the helper's PATH could find, in the sandbox's mount namespace only.
    for (const d of HELPER_PATH.split(':')) {
      const node = path.join(d, 'node');
      if (fs.existsSync(node)) await runner.run('nsenter', [`--mount=${sandbox.nsFile}`, 'mount', '--bind', '/dev/null', node]);
    }
  }, 180_000);

  afterAll(async () => {
    await sandbox?.close();
    if (lab) await labDown(lab);
  });

  const interfaceExists = async () => (await labExec(lab, 'artist', 'ip', ['link', 'show', name], { okCodes: 'any' })).code === 0;

  it('no node is reachable where the helper runs', async () => {
    const r = await runner.run('nsenter', [`--mount=${sandbox.nsFile}`, '/usr/bin/env', '-i', `PATH=${HELPER_PATH}`, 'node', '--version'], { okCodes: 'any' });
    expect(r.code).not.toBe(0);
  });

  it('up NAME with the profile on stdin → connected with a handshake', async () => {
    const r = await helper(['up', name], fs.readFileSync(lab.profilePath, 'utf8'));
    expect(r.doc.error).toBeUndefined();
    expect(r.doc.tunnels?.[0]).toMatchObject({ name, state: 'connected', reason: null });
    expect(r.code).toBe(0);
    expect(await interfaceExists()).toBe(true);
    // The delivered copy went to the sandbox's private directory, root-only, with the invoking user recorded.
    const delivered = path.join(sandbox.fsRoot, 'varlib', 'profiles');
    expect(fs.statSync(path.join(delivered, `${name}.conf`)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(fs.readFileSync(path.join(delivered, `${name}.owner`), 'utf8'))).toMatchObject({ uid: ARTIST_UID });
  });

  it('status NAME shows the handshake and traffic after a ping', async () => {
    await labExec(lab, 'artist', 'ping', ['-c', '1', '-W', '5', lab.names.addr.gatewayTunnel]);
    const r = await helper(['status', name]);
    expect(r.code).toBe(0);
    const s = r.doc.tunnels?.[0];
    expect(s).toMatchObject({ name, state: 'connected' });
    expect(s?.latestHandshakeAgeSec).not.toBeNull();
    expect(s?.rxBytes).toBeGreaterThan(0);
  });

  it('down NAME removes the interface and the delivered copy', async () => {
    const r = await helper(['down', name]);
    expect(r.doc.tunnels?.[0]).toMatchObject({ name, state: 'disconnected' });
    expect(r.code).toBe(0);
    expect(await interfaceExists()).toBe(false);
    expect(fs.readdirSync(path.join(sandbox.fsRoot, 'varlib', 'profiles'))).toEqual([]);
  });
});
