/**
 * The REAL pkexec and polkitd with Longhaul's polkit actions (resources/linux/studio.longhaul.client.helper.policy).
 * Root only; no lab (no network namespace) is needed. Skipped loudly when not root; when CI=true and pkexec, polkitd or
 * dbus-daemon is missing it FAILS (scripts/setup.sh --system installs them).
 *
 * Everything happens in a PRIVATE mount namespace (a persistent one bound to a file, entered with nsenter) in which
 * temp dirs are bind-mounted over /run/dbus (a private system bus: test/fixtures/polkit/system-bus.conf),
 * /usr/share/polkit-1/actions (our .policy plus a copy of the host's org.freedesktop.policykit.policy, which defines
 * the generic exec action), /etc/polkit-1/rules.d (test/fixtures/polkit/00-longhaul-test.rules),
 * /usr/share/polkit-1/rules.d (empty: the host's rules play no part) and /usr/lib/longhaul (a recording STAND-IN
 * helper: test/fixtures/polkit/longhaul-helper-standin.js). A mount point the host lacks is created and removed
 * afterwards. polkitd runs in the foreground (without --no-debug, so the rules' polkit.log lines reach its stderr).
 *
 * There is no logind session here, so `allow_active` never applies: the rules file answers YES for the listed action
 * ids and the test user (`nobody`), NO for everything else. The caller runs as that user via setpriv; pkexec's parent
 * is `timeout` (or the client's Node) running as that user, which is what polkit checks.
 */
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunner } from '../../src-main/core/platform/runner';
import { HELPER_PATH } from '../../src-main/core/tunnel/helper-client';
import { bundleEntry } from '../support/bundle';

const FIX = path.join(__dirname, '../fixtures/polkit');
const POLICY = path.join(__dirname, '../../resources/linux/studio.longhaul.client.helper.policy');
const POLKITD = '/usr/lib/polkit-1/polkitd';
const HOST_EXEC_POLICY = '/usr/share/polkit-1/actions/org.freedesktop.policykit.policy';
const A = (verb: string) => `studio.longhaul.client.helper.${verb}`;
const CALLER = 'nobody';
const PATH_BEFORE = process.env.PATH ?? '';

const isRoot = process.getuid?.() === 0;
const host = createRunner();
const missing = [
  host.which('pkexec') ? null : 'pkexec',
  fs.existsSync(POLKITD) ? null : POLKITD,
  host.which('dbus-daemon') ? null : 'dbus-daemon',
  fs.existsSync(HOST_EXEC_POLICY) ? null : HOST_EXEC_POLICY,
  fs.existsSync('/etc/passwd') && /^polkitd:/m.test(fs.readFileSync('/etc/passwd', 'utf8')) ? null : 'the polkitd user',
].filter((x): x is string => x !== null);

if (!isRoot) console.warn('SKIPPED test/lab/polkit-real.test.ts: needs root (private mount namespace, polkitd, setpriv).');
else if (missing.length > 0 && process.env.CI !== 'true') console.warn(`SKIPPED test/lab/polkit-real.test.ts: missing ${missing.join(', ')} (apt-get install pkexec).`);

// In CI the prerequisites are installed by scripts/setup.sh --system: missing ones fail the file (never a silent skip).
if (isRoot && missing.length > 0 && process.env.CI === 'true') {
  throw new Error(`CI=true but ${missing.join(', ')} missing: run scripts/setup.sh --system (apt package pkexec).`);
}

interface HelperRecord {
  argv: string[];
  uid: number;
  euid: number;
  env: Record<string, string>;
}

describe.runIf(isRoot && missing.length === 0)('real pkexec + polkitd with the shipped polkit actions', () => {
  const runner = createRunner();
  let tmp: string;
  let nsFile: string;
  let anchor: string;
  let dbusPid = 0;
  let polkitd: ChildProcess | null = null;
  let polkitLog = '';
  let callerUid = 0;
  let callerGid = 0;
  const created: string[] = [];
  const binds: [string, string][] = [];
  const hostBefore = new Map<string, string[]>();
  const started = Date.now();

  const inNs = (args: string[]) => [`--mount=${nsFile}`, ...args];
  const asCaller = (args: string[]) => inNs(['setpriv', `--reuid=${callerUid}`, `--regid=${callerGid}`, '--clear-groups', ...args]);
  const recordsDir = () => path.join(tmp, 'usrlib', 'records');
  const records = (): HelperRecord[] =>
    fs.existsSync(recordsDir()) ? fs.readdirSync(recordsDir()).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(fs.readFileSync(path.join(recordsDir(), f), 'utf8')) as HelperRecord) : [];

  function writeRules(allowed: string[]): void {
    const text = fs.readFileSync(path.join(FIX, '00-longhaul-test.rules'), 'utf8').replaceAll('@CALLER@', CALLER).replaceAll('@ALLOWED@', JSON.stringify(allowed));
    const file = path.join(tmp, 'rules', '00-longhaul-test.rules');
    fs.writeFileSync(`${file}.tmp`, text, { mode: 0o600 });
    fs.renameSync(`${file}.tmp`, file);
    fs.chownSync(file, polkitdIds().uid, polkitdIds().gid);
  }

  function polkitdIds(): { uid: number; gid: number } {
    const line = fs.readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('polkitd:'))!;
    const [, , uid, gid] = line.split(':');
    return { uid: Number(uid), gid: Number(gid) };
  }

  /** Start polkitd in the namespace; resolves once it owns its bus name (it says so on stdout). */
  async function startPolkitd(): Promise<void> {
    polkitLog = '';
    const child = runner.start('nsenter', inNs([POLKITD]), { stdio: ['ignore', 'pipe', 'pipe'] });
    polkitd = child;
    child.stderr?.on('data', (d: Buffer) => (polkitLog += d.toString()));
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`polkitd did not take its bus name within 15 s: ${out} ${polkitLog}`)), 15_000);
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('Acquired the name org.freedesktop.PolicyKit1')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`polkitd exited (${code}): ${out} ${polkitLog}`));
      });
    });
  }

  async function stopPolkitd(): Promise<void> {
    const child = polkitd;
    polkitd = null;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }

  /** `pkexec --disable-internal-agent HELPER …` as the caller, with variables pkexec must not pass on. */
  const pkexec = (args: string[]) =>
    runner.run('nsenter', asCaller(['timeout', '20', 'pkexec', '--disable-internal-agent', ...args]), {
      okCodes: 'any',
      timeoutMs: 30_000,
      env: { NODE_OPTIONS: '--max-old-space-size=123', LONGHAUL_POLKIT_CANARY: 'leaked', SHELL: undefined, XAUTHORITY: undefined, DISPLAY: undefined },
    });

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-polkit-'));
    fs.chmodSync(tmp, 0o755);
    const ids = (await runner.run('id', ['-u', CALLER])).stdout.trim();
    callerUid = Number(ids);
    callerGid = Number((await runner.run('id', ['-g', CALLER])).stdout.trim());
    const pk = polkitdIds();
    const mk = (name: string, mode: number, owner?: { uid: number; gid: number }) => {
      const d = path.join(tmp, name);
      fs.mkdirSync(d, { mode });
      fs.chmodSync(d, mode);
      if (owner) fs.chownSync(d, owner.uid, owner.gid);
      return d;
    };
    const run = mk('run', 0o755);
    const actions = mk('actions', 0o755);
    fs.copyFileSync(POLICY, path.join(actions, path.basename(POLICY)));
    fs.copyFileSync(HOST_EXEC_POLICY, path.join(actions, path.basename(HOST_EXEC_POLICY)));
    const rules = mk('rules', 0o700, pk);
    const shareRules = mk('share-rules', 0o700, pk);
    const usrlib = mk('usrlib', 0o755);
    const helper = path.join(usrlib, 'longhaul-helper');
    fs.writeFileSync(helper, `#!${process.execPath}\n${fs.readFileSync(path.join(FIX, 'longhaul-helper-standin.js'), 'utf8')}`, { mode: 0o755 });
    writeRules([A('status'), A('up')]);
    const client = mk('client', 0o755);
    await bundleEntry({ entry: path.join(FIX, 'client-status.ts'), outfile: path.join(client, 'client-status.cjs') });
    fs.chmodSync(path.join(client, 'client-status.cjs'), 0o644);

    binds.push([run, '/run/dbus'], [actions, '/usr/share/polkit-1/actions'], [rules, '/etc/polkit-1/rules.d'], [shareRules, '/usr/share/polkit-1/rules.d'], [usrlib, path.dirname(HELPER_PATH)]);
    for (const [, target] of binds) {
      if (!fs.existsSync(target)) {
        fs.mkdirSync(target, { mode: 0o755 });
        created.push(target);
      }
      hostBefore.set(target, fs.readdirSync(target).sort());
    }

    // The persistent private mount namespace (as privateMountNamespace in tunnel-helpers.ts, without a lab).
    anchor = mk('mnt', 0o700);
    nsFile = path.join(anchor, 'mntns');
    fs.writeFileSync(nsFile, '');
    await runner.run('mount', ['--bind', anchor, anchor]);
    await runner.run('mount', ['--make-private', anchor]);
    await runner.run('unshare', [`--mount=${nsFile}`, '--propagation', 'private', 'true']);
    for (const [from, onto] of binds) await runner.run('nsenter', inNs(['mount', '--bind', from, onto]));

    const bus = await runner.run('nsenter', inNs(['dbus-daemon', `--config-file=${path.join(FIX, 'system-bus.conf')}`, '--fork', '--print-pid']), { timeoutMs: 15_000 });
    dbusPid = Number(bus.stdout.trim().split('\n')[0]);
    expect(dbusPid).toBeGreaterThan(1);
    await startPolkitd();
  }, 120_000);

  afterAll(async () => {
    await stopPolkitd();
    if (dbusPid > 1) {
      try {
        process.kill(dbusPid, 'SIGTERM');
      } catch {
        /* already gone */
      }
    }
    if (nsFile) await runner.run('umount', [nsFile], { okCodes: 'any' });
    if (anchor) await runner.run('umount', [anchor], { okCodes: 'any' });
    for (const d of created) fs.rmdirSync(d);
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    console.info(`polkit-real.test.ts took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  it('polkitd accepts the shipped action file (pkaction reads all three actions back)', async () => {
    const r = await runner.run('nsenter', inNs(['pkaction', '--verbose', '--action-id', A('status')]), { timeoutMs: 15_000 });
    expect(r.stdout).toContain(`org.freedesktop.policykit.exec.path -> ${HELPER_PATH}`);
    expect(r.stdout).toContain('org.freedesktop.policykit.exec.argv1 -> status');
    const all = (await runner.run('nsenter', inNs(['pkaction']), { timeoutMs: 15_000 })).stdout.split('\n');
    expect(all).toEqual(expect.arrayContaining([A('up'), A('down'), A('status'), 'org.freedesktop.policykit.exec']));
  });

  it.each(['status', 'up'])('`pkexec helper %s NAME` maps to its action, is allowed, and runs the helper as root with PKEXEC_UID and a cleared environment', async (verb) => {
    fs.rmSync(recordsDir(), { recursive: true, force: true });
    const r = await pkexec([HELPER_PATH, verb, 'lab-farm']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toEqual({ schemaVersion: 1, tunnels: [] });
    expect(polkitLog).toContain(`action=${A(verb)} user=${CALLER} command_line=${HELPER_PATH} ${verb} lab-farm`);
    const [rec, ...more] = records();
    expect(more).toEqual([]);
    expect(rec!.argv).toEqual([verb, 'lab-farm']);
    expect([rec!.uid, rec!.euid]).toEqual([0, 0]);
    expect(rec!.env.PKEXEC_UID).toBe(String(callerUid));
    expect(rec!.env.NODE_OPTIONS).toBeUndefined();
    expect(rec!.env.LONGHAUL_POLKIT_CANARY).toBeUndefined();
    expect(rec!.env.PATH).not.toBe(PATH_BEFORE);
    expect(rec!.env.PATH?.split(':')).not.toContain(path.dirname(process.execPath));
  });

  it('`down` maps to its action and is refused: pkexec exits 127 and the helper does not run', async () => {
    fs.rmSync(recordsDir(), { recursive: true, force: true });
    const r = await pkexec([HELPER_PATH, 'down', 'lab-farm']);
    expect(r.code).toBe(127);
    expect(r.stderr).toContain('Not authorized');
    expect(polkitLog).toContain(`action=${A('down')} user=${CALLER}`);
    expect(records()).toEqual([]);
  });

  it('a verb with no action falls back to the generic org.freedesktop.policykit.exec action and is refused', async () => {
    fs.rmSync(recordsDir(), { recursive: true, force: true });
    const r = await pkexec([HELPER_PATH, 'serve']);
    expect(r.code).toBe(127);
    expect(polkitLog).toContain(`action=org.freedesktop.policykit.exec user=${CALLER} command_line=${HELPER_PATH} serve`);
    expect(records()).toEqual([]);
  });

  /** Longhaul's own client (bundled, run as the caller) → the real pkexec on /usr/bin → polkitd → the stand-in. */
  const client = async () => {
    const r = await runner.run('nsenter', asCaller([process.execPath, path.join(tmp, 'client', 'client-status.cjs'), path.dirname(host.which('pkexec')!)]), {
      okCodes: 'any',
      timeoutMs: 60_000,
      env: { SHELL: undefined, XAUTHORITY: undefined, DISPLAY: undefined, LONGHAUL_TEST_HELPER_SOCKET: undefined },
    });
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout.trim()) as { uid: number; pkexec: string; result: { ok: boolean; doc?: unknown; failure?: { reason: string; message: string } } };
  };

  it('callHelperDoc(runner, "status", null) through the real pkexec, as the caller → the document', async () => {
    fs.rmSync(recordsDir(), { recursive: true, force: true });
    const out = await client();
    expect(out.uid).toBe(callerUid);
    expect(out.pkexec).toBe(host.which('pkexec'));
    expect(out.result).toEqual({ ok: true, doc: { tunnels: [] } });
    expect(records().map((x) => [x.argv, x.uid, x.env.PKEXEC_UID])).toEqual([[['status'], 0, String(callerUid)]]);
  });

  it('with the rule changed to NO (polkitd restarted on the new rules) → permission-denied in plain words', async () => {
    writeRules([]);
    await stopPolkitd();
    await startPolkitd();
    fs.rmSync(recordsDir(), { recursive: true, force: true });
    const out = await client();
    expect(out.result.ok).toBe(false);
    expect(out.result.failure).toMatchObject({ reason: 'permission-denied', message: expect.stringContaining('Permission to control the tunnel was refused') });
    expect(polkitLog).toContain(`action=${A('status')} user=${CALLER} command_line=${HELPER_PATH} status`);
    expect(records()).toEqual([]);
  });

  it('the host is untouched: its polkit, dbus and /usr/lib/longhaul directories hold what they held before', () => {
    for (const [, target] of binds) expect({ target, entries: fs.readdirSync(target).sort() }).toEqual({ target, entries: hostBefore.get(target) });
  });
});
