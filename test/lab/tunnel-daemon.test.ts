/**
 * The helper SERVICE end to end in the lab (root; lab id 80): the bundled daemon (dist/helper/longhaul-helperd.cjs as
 * scripts/build-node.mjs makes it, release define) runs as root inside the artist namespace with a cleared environment
 * and its fixed directories bind-mounted from the lab directory (helperSandbox's private mount namespace), listening on
 * a Unix socket root:<lab group> 0660 — the macOS launchd design, tested on Linux. The CLI (a TEST build, so
 * LONGHAUL_TEST_HELPER_SOCKET/_TOKEN select the service transport on Linux) runs as a NON-root user in the lab group
 * (`setpriv`): `up <path> --json` → connected with a handshake against the lab gateway, `status --json`, `down` →
 * interface gone; `status` of a WireGuard interface Longhaul did not bring up is refused with nothing read, and of the
 * member's own profile once down is `disconnected`. A user outside the group is refused (token unreadable; and the socket itself: permission denied),
 * a wrong token is refused, the release CLI ignores the override, and the private key never appears in any process's
 * argv (/proc), the daemon's logs, or any file others can read.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TunnelStatus } from '../../src-main/contract/tunnel';
import { createRunner } from '../../src-main/core/platform/runner';
import { SERVICE_CLIENT_UID } from '../../src-main/helper/daemon';
import { generateKeyPair, labDown, labExec, labUp, type Lab } from '../../scripts/lab';
import { bundleEntry, cliBundle, removeCliBundle } from '../support/bundle';
import { helperSandbox, type HelperSandbox } from './tunnel-helpers';
import { isRoot, warnSkippedUnlessRoot } from '../support/lab';

warnSkippedUnlessRoot('test/lab/tunnel-daemon.test.ts: its root-only tests are skipped (run as root)');

const LAB_ID = 80;
const MEMBER_UID = 60080;
const LAB_GROUP = 60081;
const OUTSIDER_UID = 60082;
const FIXED_DIRS = { varlib: '/var/lib/longhaul', run: '/run/longhaul', log: '/var/log/longhaul' } as const;
const SBIN_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe.skipIf(!isRoot)('the helper service (daemon on a Unix socket) for a non-root artist', () => {
  let lab: Lab;
  let sandbox: HelperSandbox;
  let pub: string;
  let sock: string;
  let tokenFile: string;
  let testCli: string;
  let daemon: ChildProcess;
  let daemonErr = '';
  let name: string;
  let key: string;
  let profileCopy: string;
  const argvSeen: string[] = [];

  function userDir(uid: number): string {
    const d = path.join(pub, `u${uid}`);
    fs.mkdirSync(d, { recursive: true, mode: 0o700 });
    fs.chownSync(d, uid, uid);
    return d;
  }

  /** `longhaul …` as `uid` (groups: `groups`) inside the artist namespace; `cli` = the test build unless given. */
  async function longhaulAs(uid: number, groups: number[], argv: string[], o: { token?: string; cli?: string } = {}): Promise<Run> {
    const home = userDir(uid);
    const env = {
      HOME: home,
      LONGHAUL_DATA_DIR: path.join(home, 'data'),
      LONGHAUL_SECRET_STORE: 'file',
      LONGHAUL_TEST_HELPER_SOCKET: sock,
      LONGHAUL_TEST_HELPER_TOKEN: o.token ?? tokenFile,
    };
    const ids = ['--reuid', String(uid), '--regid', String(uid), ...(groups.length > 0 ? ['--groups', groups.join(',')] : ['--clear-groups'])];
    const args = ['netns', 'exec', lab.names.ns.artist, 'setpriv', ...ids, '--', process.execPath, o.cli ?? testCli, ...argv];
    const r = await createRunner().run('ip', args, { okCodes: 'any', timeoutMs: 90_000, env, cwd: home });
    return { code: r.code ?? -1, stdout: r.stdout, stderr: r.stderr };
  }

  const member = (argv: string[], o?: { token?: string; cli?: string }) => longhaulAs(MEMBER_UID, [LAB_GROUP], argv, o);
  const doc = (r: Run) => {
    try {
      return JSON.parse(r.stdout) as { tunnels: TunnelStatus[] };
    } catch {
      throw new Error(`no JSON (exit ${r.code}): ${r.stdout.slice(0, 400)} ${r.stderr.slice(-1200)}`);
    }
  };
  const interfaceExists = async () => (await labExec(lab, 'artist', 'ip', ['link', 'show', name], { okCodes: 'any' })).code === 0;
  const profilesDir = () => path.join(sandbox.fsRoot, 'varlib', 'profiles');

  /** Record every process's argv while `work` runs (to prove the key never travels in argv). */
  async function watchingArgv<T>(work: () => Promise<T>): Promise<T> {
    const snap = () => {
      for (const p of fs.readdirSync('/proc')) {
        if (!/^\d+$/.test(p)) continue;
        try {
          argvSeen.push(fs.readFileSync(`/proc/${p}/cmdline`, 'latin1').replace(/\0/g, ' '));
        } catch {}
      }
    };
    const timer = setInterval(snap, 25);
    try {
      return await work();
    } finally {
      clearInterval(timer);
      snap();
    }
  }

  beforeAll(async () => {
    lab = await labUp({ id: LAB_ID });
    name = lab.names.profileName;
    sandbox = await helperSandbox(lab, FIXED_DIRS);
    pub = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-daemon-lab-'));
    fs.chmodSync(pub, 0o755); // the non-root users reach their own directories and the socket through it
    const sockDir = path.join(pub, 'sock');
    fs.mkdirSync(sockDir, { mode: 0o755 });
    sock = path.join(sockDir, 'helperd.sock');
    tokenFile = `${sock}.token`;

    const daemonJs = await bundleEntry({ entry: 'src-main/helper/daemon-main.ts', outfile: path.join(lab.dir, 'longhaul-helperd.cjs'), target: 'node18' });
    testCli = await bundleEntry({ entry: 'src-main/cli/entry.ts', outfile: path.join(pub, 'longhaul-test.cjs'), testBuild: true });
    fs.chmodSync(testCli, 0o644);

    const text = fs.readFileSync(lab.profilePath, 'utf8');
    key = /^PrivateKey\s*=\s*(\S+)/m.exec(text)![1]!;
    profileCopy = path.join(userDir(MEMBER_UID), `${name}.conf`);
    fs.writeFileSync(profileCopy, text, { mode: 0o600 });
    fs.chownSync(profileCopy, MEMBER_UID, MEMBER_UID);

    // As launchd would start it: root, a clean environment, the helper's fixed directories (bind-mounted here).
    daemon = spawn(
      'nsenter',
      [`--mount=${sandbox.nsFile}`, 'ip', 'netns', 'exec', lab.names.ns.artist, '/usr/bin/env', '-i', `PATH=${SBIN_PATH}`, process.execPath, daemonJs, '--socket', sock, '--group', String(LAB_GROUP)],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    daemon.stderr!.on('data', (d: Buffer) => (daemonErr += d.toString()));
    for (let i = 0; i < 200 && !fs.existsSync(tokenFile) && daemon.exitCode === null; i++) await new Promise((r) => setTimeout(r, 50));
    if (!fs.existsSync(tokenFile)) throw new Error(`the daemon did not start: ${daemonErr}`);
  }, 180_000);

  afterAll(async () => {
    if (daemon && daemon.exitCode === null && daemon.pid) {
      const exited = new Promise((r) => daemon.once('exit', r));
      process.kill(daemon.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (daemon.exitCode === null) process.kill(daemon.pid, 'SIGKILL');
    }
    await sandbox?.close();
    if (lab) await labDown(lab);
    if (pub) fs.rmSync(pub, { recursive: true, force: true });
    removeCliBundle();
  });

  it('the socket is root:<group> 0660 and the token 0640 root:<group>', () => {
    const s = fs.lstatSync(sock);
    expect(s.isSocket()).toBe(true);
    expect({ uid: s.uid, gid: s.gid, mode: s.mode & 0o777 }).toEqual({ uid: 0, gid: LAB_GROUP, mode: 0o660 });
    const t = fs.lstatSync(tokenFile);
    expect({ uid: t.uid, gid: t.gid, mode: t.mode & 0o777 }).toEqual({ uid: 0, gid: LAB_GROUP, mode: 0o640 });
  });

  it('up <path> --json as a non-root member → connected with a handshake; the copy is owned by the service caller', async () => {
    const r = await watchingArgv(() => member(['up', profileCopy, '--json', '--wait', '20']));
    expect(doc(r).tunnels[0], r.stderr).toMatchObject({ name, state: 'connected', reason: null });
    expect(r.code).toBe(0);
    expect(await interfaceExists()).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(profilesDir(), `${name}.owner`), 'utf8'))).toMatchObject({ uid: SERVICE_CLIENT_UID });
    expect(fs.statSync(path.join(profilesDir(), `${name}.conf`)).mode & 0o777).toBe(0o600);
  });

  it('status --json through the service shows the handshake and traffic; a ping crosses', async () => {
    const ping = await labExec(lab, 'artist', 'ping', ['-c', '1', '-W', '5', lab.names.addr.gatewayTunnel]);
    expect(ping.stdout).toMatch(/1 received/);
    const one = doc(await member(['status', name, '--json'])).tunnels[0]!;
    expect(one).toMatchObject({ name, state: 'connected' });
    expect(one.latestHandshakeAgeSec).not.toBeNull();
    expect(one.rxBytes).toBeGreaterThan(0);
    expect(doc(await member(['status', '--json'])).tunnels.map((t) => t.name)).toContain(name);
  });

  it('status of a WireGuard interface Longhaul did not bring up is refused; nothing about it is read or shown', async () => {
    // Another program's tunnel in the artist namespace (wireguard-go, as a corporate VPN client might run it).
    const corp = 'lhcorp80';
    const peer = generateKeyPair().publicKey;
    const wgGo = spawn('ip', ['netns', 'exec', lab.names.ns.artist, 'wireguard-go', '-f', corp], { stdio: 'ignore', env: { ...process.env, WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD: '1', LOG_LEVEL: 'error' } });
    try {
      for (let i = 0; i < 200 && !fs.existsSync(`/var/run/wireguard/${corp}.sock`); i++) await new Promise((r) => setTimeout(r, 25));
      await labExec(lab, 'artist', 'wg', ['set', corp, 'peer', peer, 'endpoint', '192.0.2.9:51820', 'allowed-ips', '10.99.0.0/24']);
      expect((await labExec(lab, 'artist', 'wg', ['show', corp, 'dump'])).stdout).toContain(peer); // it is real
      const r = await member(['status', corp, '--json']);
      expect(doc(r).tunnels).toEqual([expect.objectContaining({ name: corp, state: 'error', reason: 'permission-denied', peers: [], endpoint: null, message: expect.stringMatching(/^lhcorp80 is not a Longhaul tunnel: Longhaul reports only tunnels it brought up/) })]);
      expect(r.stdout + r.stderr).not.toContain(peer);
      expect(r.stdout + r.stderr).not.toContain('192.0.2.9');
      expect(fs.readFileSync(path.join(sandbox.fsRoot, 'log', 'helperd.log'), 'utf8')).not.toContain(peer);
    } finally {
      await labExec(lab, 'artist', 'ip', ['link', 'delete', 'dev', corp], { okCodes: 'any' });
      wgGo.kill();
    }
  });

  it('a user outside the group is refused in plain words: the token is unreadable, and so is the socket', async () => {
    const a = await longhaulAs(OUTSIDER_UID, [], ['status', name, '--json']);
    expect(doc(a).tunnels[0]).toMatchObject({ state: 'error', reason: 'permission-denied', message: expect.stringMatching(/may not use Longhaul's helper service .*not readable.*ask IT to add your account/) });
    // Even holding the token, the socket (0660 root:<group>) refuses the connection.
    const copy = path.join(userDir(OUTSIDER_UID), 'token');
    fs.copyFileSync(tokenFile, copy);
    fs.chownSync(copy, OUTSIDER_UID, OUTSIDER_UID);
    const b = await longhaulAs(OUTSIDER_UID, [], ['down', name, '--json'], { token: copy });
    expect(doc(b).tunnels[0]).toMatchObject({ state: 'error', reason: 'permission-denied', message: expect.stringMatching(/permission denied\): ask IT to add your account/) });
    expect(await interfaceExists()).toBe(true);
  });

  it('a wrong token is refused; the release CLI ignores the test override (pkexec path)', async () => {
    const wrong = path.join(userDir(MEMBER_UID), 'wrong-token');
    fs.writeFileSync(wrong, '0'.repeat(64));
    fs.chownSync(wrong, MEMBER_UID, MEMBER_UID);
    const r = await member(['down', name, '--json'], { token: wrong });
    expect(doc(r).tunnels[0]).toMatchObject({ state: 'error', reason: 'permission-denied', message: expect.stringMatching(/access token/) });
    expect(await interfaceExists()).toBe(true);
    const requests = () => (fs.readFileSync(path.join(sandbox.fsRoot, 'log', 'helperd.log'), 'utf8').match(/"service request( refused)?"/g) ?? []).length;
    const before = requests();
    const rel = await member(['status', name, '--json'], { cli: await cliBundle() });
    // The pkexec path: "pkexec (polkit) is not installed" where it is absent, polkit's refusal where it is installed
    // (no authentication agent and no rule for this user here) — never the service.
    expect(doc(rel).tunnels[0]).toMatchObject({ state: 'error', reason: 'permission-denied', message: expect.stringMatching(/pkexec \(polkit\) is not installed|Permission to control the tunnel was (refused|not given)/) });
    expect(requests()).toBe(before);
  });

  it('down as the member removes the interface and the delivered copy', async () => {
    const r = await member(['down', name, '--json']);
    expect(doc(r).tunnels[0]).toMatchObject({ name, state: 'disconnected' });
    expect(await interfaceExists()).toBe(false);
    expect(fs.readdirSync(profilesDir())).toEqual([]);
    // Now not Longhaul's any more for the helper (which reads nothing about it); the member's own profile: disconnected.
    expect(doc(await member(['status', name, '--json'])).tunnels).toEqual([expect.objectContaining({ name, state: 'disconnected', reason: null, message: null })]);
  });

  it('the key never appeared in argv, the daemon logs, or any file others can read', () => {
    expect(argvSeen.length).toBeGreaterThan(0);
    expect(argvSeen.some((a) => a.includes(name))).toBe(true); // the watcher did see the CLI run
    expect(argvSeen.filter((a) => a.includes(key))).toEqual([]);
    // Records go to helperd.log only (stderr is for start-up refusals and crashes); the key is in neither.
    expect(daemonErr).not.toContain(key);
    const logs = fs.readdirSync(path.join(sandbox.fsRoot, 'log'));
    expect(logs).toEqual(expect.arrayContaining(['helperd.log', 'longhaul.log']));
    expect(fs.readFileSync(path.join(sandbox.fsRoot, 'log', 'helperd.log'), 'utf8')).toMatch(/service request/);
    for (const f of logs) expect(fs.readFileSync(path.join(sandbox.fsRoot, 'log', f), 'utf8')).not.toContain(key);
    const readable: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.isFile() && (fs.statSync(p).mode & 0o004) !== 0) readable.push(p);
      }
    };
    walk(pub);
    walk(sandbox.fsRoot);
    expect(readable.length).toBeGreaterThan(0);
    for (const f of readable) expect(fs.readFileSync(f, 'latin1').includes(key), f).toBe(false);
  });

  it('SIGTERM stops the daemon cleanly: socket and token removed; the client then says it is not running', async () => {
    const exited = new Promise<number | null>((r) => daemon.once('exit', (c) => r(c)));
    process.kill(daemon.pid!, 'SIGTERM');
    expect(await exited).toBe(0);
    expect(fs.existsSync(sock)).toBe(false);
    expect(fs.existsSync(tokenFile)).toBe(false);
    const r = await member(['status', '--json']);
    expect(doc(r).tunnels[0]).toMatchObject({ state: 'error', message: "Longhaul's helper service is not running; reinstall Longhaul or ask IT." });
  });
});
