/**
 * The REAL pkexec and polkitd with Longhaul's polkit actions (resources/linux/studio.longhaul.client.helper.policy)
 * and the helper wrapper the package installs. Root only; no lab (no network namespace) is needed. Skipped loudly
 * when not root; when CI=true and pkexec, polkitd or dbus-daemon is missing it FAILS (scripts/setup.sh --system
 * installs them). The sandbox (private mount namespace, private system bus, polkitd, rules): ./polkit-sandbox.ts.
 *
 * /usr/lib/longhaul is filled by the package's own install script (resources/linux/helper-install.sh, which the deb
 * postinst runs) from a resources folder holding the shipped wrapper (resources/linux/longhaul-helper-wrapper.sh) and,
 * as the helper binary, a recording STAND-IN (test/fixtures/polkit/longhaul-helper-standin.js): so what pkexec runs
 * is the installed wrapper itself, and the stand-in records what reached the helper through it. The caller runs as
 * `nobody` via setpriv; pkexec's parent is `timeout` (or the client's Node) running as that user, which is what
 * polkit checks. The real helper behind the same wrapper, with two users and a real tunnel: polkit-wrapper.test.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunner } from '../../src-main/core/platform/runner';
import { HELPER_PATH } from '../../src-main/core/tunnel/helper-client';
import { bundleEntry } from '../support/bundle';
import { ACTION as A, polkitSandbox, polkitTestsCanRun, type Caller, type PolkitSandbox } from './polkit-sandbox';

const FIX = path.join(__dirname, '../fixtures/polkit');
const LINUX = path.join(__dirname, '../../resources/linux');
const POLICY = 'studio.longhaul.client.helper.policy';
const CALLER = 'nobody';
const PATH_BEFORE = process.env.PATH ?? '';
const host = createRunner();
const canRun = polkitTestsCanRun('test/lab/polkit-real.test.ts');

interface HelperRecord {
  argv: string[];
  uid: number;
  euid: number;
  env: Record<string, string>;
}

describe.runIf(canRun)('real pkexec + polkitd with the shipped polkit actions and the installed wrapper', () => {
  const runner = createRunner();
  let sb: PolkitSandbox;
  let caller: Caller;
  let hostBefore: Map<string, string[]>;
  const started = Date.now();

  const inNs = (args: string[]) => sb.inNs(args);
  const asCaller = (args: string[]) => sb.asCaller(caller, args);
  const recordsDir = () => path.join(sb.tmp, 'usrlib', 'records');
  const records = (): HelperRecord[] =>
    fs.existsSync(recordsDir()) ? fs.readdirSync(recordsDir()).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(fs.readFileSync(path.join(recordsDir(), f), 'utf8')) as HelperRecord) : [];
  const polkitLog = () => sb.log();

  /** `pkexec --disable-internal-agent HELPER …` as the caller, with variables pkexec must not pass on. */
  const pkexec = (args: string[]) =>
    runner.run('nsenter', asCaller(['timeout', '20', 'pkexec', '--disable-internal-agent', ...args]), {
      okCodes: 'any',
      timeoutMs: 30_000,
      env: { NODE_OPTIONS: '--max-old-space-size=123', LONGHAUL_POLKIT_CANARY: 'leaked', SHELL: undefined, XAUTHORITY: undefined, DISPLAY: undefined },
    });

  beforeAll(async () => {
    sb = await polkitSandbox({ callers: [{ name: CALLER }], allowed: [A('status'), A('up')] });
    caller = sb.callers[0]!;
    hostBefore = new Map(sb.binds.map(([, target]) => [target, fs.readdirSync(target).sort()]));
    // The package's resources folder: the shipped wrapper and policy, the recording stand-in as the helper binary.
    const res = path.join(sb.tmp, 'res');
    fs.mkdirSync(path.join(res, 'helper'), { recursive: true, mode: 0o700 });
    fs.mkdirSync(path.join(res, 'polkit'), { mode: 0o700 });
    fs.writeFileSync(path.join(res, 'helper', 'longhaul-helper'), `#!${process.execPath}\n${fs.readFileSync(path.join(FIX, 'longhaul-helper-standin.js'), 'utf8')}`, { mode: 0o755 });
    fs.copyFileSync(path.join(LINUX, 'longhaul-helper-wrapper.sh'), path.join(res, 'helper', 'longhaul-helper-wrapper.sh'));
    fs.copyFileSync(path.join(LINUX, POLICY), path.join(res, 'polkit', POLICY));
    const inst = await sb.install(res);
    expect(inst.code, inst.stderr).toBe(0);
    const client = path.join(sb.tmp, 'client');
    fs.mkdirSync(client, { mode: 0o755 });
    await bundleEntry({ entry: path.join(FIX, 'client-status.ts'), outfile: path.join(client, 'client-status.cjs') });
    fs.chmodSync(path.join(client, 'client-status.cjs'), 0o644);
  }, 120_000);

  afterAll(async () => {
    await sb?.close();
    console.info(`polkit-real.test.ts took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  it('the install script put the shipped wrapper at the polkit exec.path and the helper binary beside it', () => {
    const usrlib = path.join(sb.tmp, 'usrlib');
    expect(fs.readFileSync(path.join(usrlib, 'longhaul-helper'), 'utf8')).toBe(fs.readFileSync(path.join(LINUX, 'longhaul-helper-wrapper.sh'), 'utf8'));
    for (const f of ['longhaul-helper', 'longhaul-helper.bin']) {
      const st = fs.statSync(path.join(usrlib, f));
      expect({ f, uid: st.uid, mode: st.mode & 0o7777 }).toEqual({ f, uid: 0, mode: 0o755 });
    }
    expect(fs.statSync(path.join(sb.tmp, 'actions', POLICY)).mode & 0o777).toBe(0o644);
    expect(fs.statSync(path.join(sb.tmp, 'etc-longhaul', 'sites')).mode & 0o777).toBe(0o700);
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
    expect(polkitLog()).toContain(`action=${A(verb)} user=${CALLER} command_line=${HELPER_PATH} ${verb} lab-farm`);
    const [rec, ...more] = records();
    expect(more).toEqual([]);
    expect(rec!.argv).toEqual([verb, 'lab-farm']);
    expect([rec!.uid, rec!.euid]).toEqual([0, 0]);
    expect(rec!.env.PKEXEC_UID).toBe(String(caller.uid));
    // Exactly what the wrapper passes on: the fixed PATH, LC_ALL and pkexec's PKEXEC_UID.
    expect(rec!.env).toEqual({ PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C', PKEXEC_UID: String(caller.uid) });
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
    expect(polkitLog()).toContain(`action=${A('down')} user=${CALLER}`);
    expect(records()).toEqual([]);
  });

  it('a verb with no action falls back to the generic org.freedesktop.policykit.exec action and is refused', async () => {
    fs.rmSync(recordsDir(), { recursive: true, force: true });
    const r = await pkexec([HELPER_PATH, 'serve']);
    expect(r.code).toBe(127);
    expect(polkitLog()).toContain(`action=org.freedesktop.policykit.exec user=${CALLER} command_line=${HELPER_PATH} serve`);
    expect(records()).toEqual([]);
  });

  /** Longhaul's own client (bundled, run as the caller) → the real pkexec on /usr/bin → polkitd → the stand-in. */
  const client = async () => {
    const r = await runner.run('nsenter', asCaller([process.execPath, path.join(sb.tmp, 'client', 'client-status.cjs'), path.dirname(host.which('pkexec')!)]), {
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
    expect(out.uid).toBe(caller.uid);
    expect(out.pkexec).toBe(host.which('pkexec'));
    expect(out.result).toEqual({ ok: true, doc: { tunnels: [] } });
    expect(records().map((x) => [x.argv, x.uid, x.env.PKEXEC_UID])).toEqual([[['status'], 0, String(caller.uid)]]);
  });

  it('with the rule changed to NO (polkitd restarted on the new rules) → permission-denied in plain words', async () => {
    await sb.setAllowed([]);
    fs.rmSync(recordsDir(), { recursive: true, force: true });
    const out = await client();
    expect(out.result.ok).toBe(false);
    expect(out.result.failure).toMatchObject({ reason: 'permission-denied', message: expect.stringContaining('Permission to control the tunnel was refused') });
    expect(polkitLog()).toContain(`action=${A('status')} user=${CALLER} command_line=${HELPER_PATH} status`);
    expect(records()).toEqual([]);
  });

  it('the host is untouched: its polkit, dbus, /usr/lib/longhaul and /etc/longhaul directories hold what they held before', () => {
    for (const [, target] of sb.binds) expect({ target, entries: fs.readdirSync(target).sort() }).toEqual({ target, entries: hostBefore.get(target) });
  });
});
