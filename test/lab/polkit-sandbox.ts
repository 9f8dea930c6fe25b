/**
 * The REAL pkexec and polkitd with Longhaul's polkit actions, in a sandbox, for lab tests (root only).
 *
 * Everything happens in a PRIVATE mount namespace (a persistent one bound to a file, entered with nsenter) in which
 * temp dirs are bind-mounted over /run/dbus (a private system bus: test/fixtures/polkit/system-bus.conf),
 * /usr/share/polkit-1/actions (an empty folder: the package's install script puts our .policy there; the host's
 * org.freedesktop.policykit.policy, which defines the generic exec action, is copied in), /etc/polkit-1/rules.d
 * (test/fixtures/polkit/00-longhaul-test.rules), /usr/share/polkit-1/rules.d (empty: the host's rules play no part),
 * /usr/lib/longhaul and /etc/longhaul (empty: the package's install script fills them), plus whatever the test adds
 * (`extraBinds`). /etc/passwd and /etc/group are copies with the test's callers added, so pkexec and polkitd know them
 * by name. A mount point the host lacks is created and removed afterwards. polkitd runs in the foreground (without
 * --no-debug, so the rules' polkit.log lines reach its stderr).
 *
 * There is no logind session here, so `allow_active` never applies: the rules file answers YES for the allowed
 * action ids and the listed callers, NO for everything else.
 */
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRunner, type RunResult } from '../../src-main/core/platform/runner';

const FIX = path.join(__dirname, '../fixtures/polkit');
export const POLKITD = '/usr/lib/polkit-1/polkitd';
export const HOST_EXEC_POLICY = '/usr/share/polkit-1/actions/org.freedesktop.policykit.policy';
export const ACTION = (verb: string) => `studio.longhaul.client.helper.${verb}`;
/** What resources/linux/helper-install.sh installs (the deb postinst runs it). */
export const INSTALL_SCRIPT = path.resolve(__dirname, '../../resources/linux/helper-install.sh');

const host = createRunner();

/** What is missing on this machine for the real polkit tests (empty: all there). */
export function polkitPrerequisitesMissing(): string[] {
  return [
    host.which('pkexec') ? null : 'pkexec',
    fs.existsSync(POLKITD) ? null : POLKITD,
    host.which('dbus-daemon') ? null : 'dbus-daemon',
    fs.existsSync(HOST_EXEC_POLICY) ? null : HOST_EXEC_POLICY,
    fs.existsSync('/etc/passwd') && /^polkitd:/m.test(fs.readFileSync('/etc/passwd', 'utf8')) ? null : 'the polkitd user',
  ].filter((x): x is string => x !== null);
}

/**
 * Skip loudly when not root or (outside CI) when prerequisites are missing; in CI missing prerequisites FAIL the file
 * (scripts/setup.sh --system installs them). Returns whether the file's tests can run.
 */
export function polkitTestsCanRun(file: string): boolean {
  const isRoot = process.getuid?.() === 0;
  const missing = isRoot ? polkitPrerequisitesMissing() : [];
  if (!isRoot) console.warn(`SKIPPED ${file}: needs root (private mount namespace, polkitd, setpriv).`);
  else if (missing.length > 0 && process.env.CI !== 'true') console.warn(`SKIPPED ${file}: missing ${missing.join(', ')} (apt-get install pkexec).`);
  if (isRoot && missing.length > 0 && process.env.CI === 'true') {
    throw new Error(`CI=true but ${missing.join(', ')} missing: run scripts/setup.sh --system (apt package pkexec).`);
  }
  return isRoot && missing.length === 0;
}

export interface Caller {
  name: string;
  uid: number;
  gid: number;
}

export interface PolkitSandboxOptions {
  /** Callers the rules know; a caller that is not in /etc/passwd is added to the sandbox's copy. */
  callers: { name: string; uid?: number }[];
  /** Action ids the rules allow for every listed caller. */
  allowed: string[];
  /** More bind mounts inside the sandbox: [a folder of the test's, the path it appears at]. */
  extraBinds?: [string, string][];
}

export interface PolkitSandbox {
  tmp: string;
  nsFile: string;
  callers: Caller[];
  /** polkitd's stderr since it last started (the rules log each decision). */
  log(): string;
  /** Args for `nsenter` that enter the sandbox's mount namespace and run `args`. */
  inNs(args: string[]): string[];
  /** `nsenter` args running `args` as the caller (setpriv: real and effective ids, no supplementary groups). */
  asCaller(c: Caller, args: string[]): string[];
  /** Run `resources/linux/helper-install.sh RES` as root in the sandbox, as the deb postinst does. */
  install(res: string): Promise<RunResult>;
  /** Rewrite the rules (allowed action ids) and restart polkitd so they take effect. */
  setAllowed(allowed: string[]): Promise<void>;
  /** The folders of the sandbox that stand for host paths: [sandbox folder, host path]. */
  binds: readonly [string, string][];
  close(): Promise<void>;
}

function idsOf(user: string): { uid: number; gid: number } | null {
  const line = fs.readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${user}:`));
  if (!line) return null;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

export async function polkitSandbox(o: PolkitSandboxOptions): Promise<PolkitSandbox> {
  const runner = createRunner();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-polkit-'));
  fs.chmodSync(tmp, 0o755);
  const pk = idsOf('polkitd');
  if (!pk) throw new Error('no polkitd user');
  const mk = (name: string, mode: number, owner?: { uid: number; gid: number }) => {
    const d = path.join(tmp, name);
    fs.mkdirSync(d, { mode });
    fs.chmodSync(d, mode);
    if (owner) fs.chownSync(d, owner.uid, owner.gid);
    return d;
  };

  // Callers: known users as they are; the others added to copies of /etc/passwd and /etc/group.
  let passwd = fs.readFileSync('/etc/passwd', 'utf8');
  let group = fs.readFileSync('/etc/group', 'utf8');
  const callers: Caller[] = o.callers.map((c) => {
    const known = idsOf(c.name);
    if (known) return { name: c.name, ...known };
    if (c.uid === undefined) throw new Error(`caller ${c.name} is not a user here: give it a uid`);
    passwd += `${passwd.endsWith('\n') ? '' : '\n'}${c.name}:x:${c.uid}:${c.uid}:Longhaul polkit test caller:/nonexistent:/usr/sbin/nologin\n`;
    group += `${group.endsWith('\n') ? '' : '\n'}${c.name}:x:${c.uid}:\n`;
    return { name: c.name, uid: c.uid, gid: c.uid };
  });
  const etc = mk('etc', 0o755);
  fs.writeFileSync(path.join(etc, 'passwd'), passwd, { mode: 0o644 });
  fs.writeFileSync(path.join(etc, 'group'), group, { mode: 0o644 });

  const run = mk('run', 0o755);
  const actions = mk('actions', 0o755);
  fs.copyFileSync(HOST_EXEC_POLICY, path.join(actions, path.basename(HOST_EXEC_POLICY)));
  const rules = mk('rules', 0o700, pk);
  const shareRules = mk('share-rules', 0o700, pk);
  const usrlib = mk('usrlib', 0o755);
  const etcLonghaul = mk('etc-longhaul', 0o755);

  const writeRules = (allowed: string[]) => {
    const text = fs
      .readFileSync(path.join(FIX, '00-longhaul-test.rules'), 'utf8')
      .replaceAll('@CALLERS@', JSON.stringify(callers.map((c) => c.name)))
      .replaceAll('@ALLOWED@', JSON.stringify(allowed));
    const file = path.join(rules, '00-longhaul-test.rules');
    fs.writeFileSync(`${file}.tmp`, text, { mode: 0o600 });
    fs.renameSync(`${file}.tmp`, file);
    fs.chownSync(file, pk.uid, pk.gid);
  };
  writeRules(o.allowed);

  const binds: [string, string][] = [
    [run, '/run/dbus'],
    [actions, '/usr/share/polkit-1/actions'],
    [rules, '/etc/polkit-1/rules.d'],
    [shareRules, '/usr/share/polkit-1/rules.d'],
    [usrlib, '/usr/lib/longhaul'],
    [etcLonghaul, '/etc/longhaul'],
    ...(o.extraBinds ?? []),
  ];
  const created: string[] = [];
  for (const [, target] of binds) {
    if (!fs.existsSync(target)) {
      fs.mkdirSync(target, { recursive: true, mode: 0o755 });
      created.push(target);
    }
  }

  // The persistent private mount namespace.
  const anchor = mk('mnt', 0o700);
  const nsFile = path.join(anchor, 'mntns');
  fs.writeFileSync(nsFile, '');
  await runner.run('mount', ['--bind', anchor, anchor]);
  await runner.run('mount', ['--make-private', anchor]);
  await runner.run('unshare', [`--mount=${nsFile}`, '--propagation', 'private', 'true']);
  const inNs = (args: string[]) => [`--mount=${nsFile}`, ...args];
  for (const [from, onto] of binds) await runner.run('nsenter', inNs(['mount', '--bind', from, onto]));
  for (const f of ['passwd', 'group']) await runner.run('nsenter', inNs(['mount', '--bind', path.join(etc, f), `/etc/${f}`]));

  const bus = await runner.run('nsenter', inNs(['dbus-daemon', `--config-file=${path.join(FIX, 'system-bus.conf')}`, '--fork', '--print-pid']), { timeoutMs: 15_000 });
  const dbusPid = Number(bus.stdout.trim().split('\n')[0]);
  if (!(dbusPid > 1)) throw new Error(`dbus-daemon did not start: ${bus.stdout} ${bus.stderr}`);

  let polkitd: ChildProcess | null = null;
  let polkitLog = '';
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
  await startPolkitd();

  return {
    tmp,
    nsFile,
    callers,
    binds,
    log: () => polkitLog,
    inNs,
    asCaller: (c, args) => inNs(['setpriv', `--reuid=${c.uid}`, `--regid=${c.gid}`, '--clear-groups', ...args]),
    install: (res) => runner.run('nsenter', inNs(['/usr/bin/env', '-i', 'PATH=/usr/sbin:/usr/bin:/sbin:/bin', 'sh', INSTALL_SCRIPT, res]), { okCodes: 'any' }),
    async setAllowed(allowed) {
      writeRules(allowed);
      await stopPolkitd();
      await startPolkitd();
    },
    async close() {
      await stopPolkitd();
      try {
        process.kill(dbusPid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      await runner.run('umount', [nsFile], { okCodes: 'any' });
      await runner.run('umount', [anchor], { okCodes: 'any' });
      for (const d of created.reverse()) fs.rmdirSync(d);
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}
