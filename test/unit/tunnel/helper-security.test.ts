/**
 * Review findings on the privileged helper (issue 4): `down` never deletes an interface or connection Longhaul did not
 * bring up (helper, controller and backends); the top-level error handler redacts keys; overridden directories must
 * already exist root-owned 0700 (never created or chmod-ed); `up`/`down` hold an exclusive lock with stale-lock
 * recovery. Backends run against a recording runner so a regression can never delete a real interface here.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { nullLogger } from '../../../src-main/core/log/logger';
import type { ProcessRunner, RunResult } from '../../../src-main/core/platform/runner';
import { generatePrivateKey } from '../../../src-main/core/profiles';
import { createNetworkManagerBackend } from '../../../src-main/core/tunnel/backends/networkmanager';
import { NotLonghaulTunnel, type TunnelBackend } from '../../../src-main/core/tunnel/backends/types';
import { createWgQuickBackend } from '../../../src-main/core/tunnel/backends/wg-quick';
import { createTunnelController } from '../../../src-main/core/tunnel/controller';
import { writeMarker } from '../../../src-main/core/tunnel/runtime-files';
import { checkOverrideDir, helperConfig } from '../../../src-main/helper/config';
import { acquireHelperLock, HelperBusy, LOCK_FILE } from '../../../src-main/helper/lock';
import { main, runHelper, type HelperConfig } from '../../../src-main/helper/main';
import { isRoot, warnSkippedUnlessRoot } from '../../support/lab';
import { buildProfile } from '../../support/profile';

warnSkippedUnlessRoot('test/unit/tunnel/helper-security.test.ts: its root-only tests are skipped (run as root)');

function recordingRunner(): { runner: ProcessRunner; calls: string[][] } {
  const calls: string[][] = [];
  const runner: ProcessRunner = {
    which: (p) => `/usr/bin/${p}`,
    run: (file, args) => {
      calls.push([file, ...args]);
      return Promise.resolve({ file, args, code: 0, signal: null, stdout: '', stderr: '', durationMs: 0 } satisfies RunResult);
    },
    start: () => {
      throw new Error('not used');
    },
  };
  return { runner, calls };
}

function tmp(label: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `lh-sec-${label}-`));
  fs.chmodSync(d, 0o700);
  return d;
}

function profileText(): string {
  return buildProfile({ address: '10.9.0.2/32', endpoint: '192.0.2.1:51820', allowedIPs: '10.9.0.0/24' }).text;
}

describe('down never deletes what Longhaul did not bring up', () => {
  it('wg-quick: no canonical file and no marker → refused, nothing run; with the marker → ip link delete', async () => {
    const { runner, calls } = recordingRunner();
    const b = createWgQuickBackend(runner, 'linux');
    await expect(b.down('eth0', '/nonexistent/eth0.conf', { marked: false })).rejects.toThrow(NotLonghaulTunnel);
    await expect(b.down('wlan0', '/nonexistent/wlan0.conf', { marked: false })).rejects.toThrow(/wlan0 is not a Longhaul tunnel; nothing was changed/);
    expect(calls).toEqual([]);
    await b.down('farm', '/nonexistent/farm.conf', { marked: true });
    expect(calls[0]).toEqual(['ip', 'link', 'delete', 'dev', 'farm']);
  });

  it('NetworkManager: no marker → no nmcli down/delete at all', async () => {
    const { runner, calls } = recordingRunner();
    const b = createNetworkManagerBackend(runner);
    await expect(b.down('eth0', '/nonexistent/eth0.conf', { marked: false })).rejects.toThrow(/eth0 is not a Longhaul tunnel; nothing was changed/);
    expect(calls).toEqual([]);
    await b.down('farm', '/nonexistent/farm.conf', { marked: true });
    expect(calls).toEqual([
      ['nmcli', 'connection', 'down', 'id', 'farm'],
      ['nmcli', 'connection', 'delete', 'id', 'farm'],
    ]);
  });

  function fakeBackend(downs: { name: string; marked: boolean }[]): TunnelBackend {
    return {
      kind: 'wg-quick',
      runsHooks: true,
      missingTools: () => [],
      interfaceOf: (n) => n,
      interfaceExists: () => Promise.resolve(true),
      up: () => Promise.resolve(),
      down: (name, _conf, o) => {
        downs.push({ name, marked: o.marked });
        return Promise.resolve();
      },
      dump: () => Promise.resolve({ ok: false, reason: 'absent', detail: '' }),
    };
  }

  it('controller (root CLI path too): an existing interface without Longhaul\'s marker is left alone', async () => {
    const downs: { name: string; marked: boolean }[] = [];
    const rt = tmp('ctl');
    const c = createTunnelController({ runner: recordingRunner().runner, logger: nullLogger, backend: fakeBackend(downs), runtimeDir: rt });
    const s = await c.down('eth0');
    expect(s).toMatchObject({ state: 'error', reason: 'permission-denied', message: expect.stringMatching(/^eth0 is not a Longhaul tunnel; nothing was changed/) });
    // A stored profile that happens to be named like the interface changes nothing either.
    expect((await c.down('wlan0', profileText())).message).toMatch(/wlan0 is not a Longhaul tunnel/);
    expect(downs).toEqual([]);
    expect(fs.readdirSync(rt)).toEqual([]);
    writeMarker(rt, { name: 'farm', interface: 'farm', startedAt: 1, waitSec: 10 });
    await c.down('farm');
    expect(downs).toEqual([{ name: 'farm', marked: true }]);
    // The helper's IT-installed profile: through its canonical file, still unmarked for the backend.
    await c.down('itfarm', profileText(), { allowUnmarked: true });
    expect(downs[1]).toEqual({ name: 'itfarm', marked: false });
  });
});

describe.skipIf(!isRoot)('helper down (root)', () => {
  function cfg(): HelperConfig {
    return { profilesDir: tmp('prof'), runtimeDir: tmp('run'), logDir: null, ownerUid: 0 };
  }
  const run = (c: HelperConfig, argv: string[], env: Record<string, string> = {}) => runHelper(argv, env, 0, { stdin: null, config: c });

  it('refuses down of a name Longhaul never brought up (lo, an unknown name), changing nothing', async () => {
    const c = cfg();
    for (const name of ['lo', 'lhsecnone0']) {
      const out = await run(c, ['down', name]);
      expect(out.doc).toMatchObject({ tunnels: [{ name, state: 'error', reason: 'permission-denied', message: expect.stringMatching(new RegExp(`^${name} is not a Longhaul tunnel; nothing was changed`)) }] });
      expect(out.code).toBe(2);
    }
    expect(fs.existsSync('/sys/class/net/lo')).toBe(true);
    expect(fs.readdirSync(c.profilesDir)).toEqual([]);
    // Also for a non-root caller through pkexec.
    expect((await run(c, ['down', 'lo'], { PKEXEC_UID: '1000' })).doc).toMatchObject({ tunnels: [{ reason: 'permission-denied', message: expect.stringMatching(/not a Longhaul tunnel/) }] });
  });

  it('allows down with Longhaul\'s marker or an IT-installed profile (and keeps IT\'s file)', async () => {
    const c = cfg();
    writeMarker(c.runtimeDir, { name: 'lhsecmk0', interface: 'lhsecmk0', startedAt: 1, waitSec: 10 });
    expect(await run(c, ['down', 'lhsecmk0'])).toMatchObject({ code: 0, doc: { tunnels: [{ state: 'disconnected' }] } });
    expect(fs.existsSync(path.join(c.runtimeDir, 'lhsecmk0.json'))).toBe(false);
    fs.writeFileSync(path.join(c.profilesDir, 'lhsecit0.conf'), profileText(), { mode: 0o600 });
    expect(await run(c, ['down', 'lhsecit0'])).toMatchObject({ code: 0, doc: { tunnels: [{ state: 'disconnected' }] } });
    expect(fs.existsSync(path.join(c.profilesDir, 'lhsecit0.conf'))).toBe(true);
  });
});

describe('helper top-level error handler', () => {
  it('redacts keys from an unexpected error', async () => {
    const key = generatePrivateKey();
    const lines: string[] = [];
    let exit = -1;
    await main({ run: () => Promise.reject(new Error(`boom near PrivateKey = ${key}`)), write: (l) => lines.push(l), setExit: (c) => (exit = c) });
    expect(exit).toBe(2);
    expect(lines.join('')).not.toContain(key);
    expect(JSON.parse(lines.join(''))).toMatchObject({ schemaVersion: 1, error: { code: 'internal', message: expect.stringMatching(/boom near PrivateKey = \[REDACTED-KEY\]/) } });
  });
});

describe('helper directory overrides', () => {
  it('refuses a directory that does not exist, is not 0700, or is a symlink, and never changes it', () => {
    const etcMode = fs.statSync('/etc').mode;
    expect(() => helperConfig({ LONGHAUL_HELPER_RUNTIME_DIR: '/etc' })).toThrow(/LONGHAUL_HELPER_RUNTIME_DIR=\/etc must (have mode 0700 exactly|be owned by root)/);
    expect(fs.statSync('/etc').mode).toBe(etcMode);
    const missing = path.join(os.tmpdir(), `lh-sec-missing-${process.pid}`);
    expect(() => helperConfig({ LONGHAUL_HELPER_PROFILES_DIR: missing })).toThrow(/does not exist; the helper only creates its built-in directories/);
    expect(fs.existsSync(missing)).toBe(false);
    expect(() => helperConfig({ LONGHAUL_HELPER_LOG_DIR: 'relative/dir' })).toThrow(/not an absolute path/);
    const d = tmp('mode');
    fs.chmodSync(d, 0o750);
    expect(() => checkOverrideDir('LONGHAUL_HELPER_LOG_DIR', d)).toThrow(/mode 0700 exactly \(it has 0750\)/);
    expect(fs.statSync(d).mode & 0o777).toBe(0o750);
    const link = `${d}-link`;
    fs.symlinkSync(tmp('target'), link);
    expect(() => checkOverrideDir('LONGHAUL_HELPER_LOG_DIR', link)).toThrow(/not a directory \(symlinks are not accepted\)/);
    // Ignored entirely under pkexec.
    expect(helperConfig({ PKEXEC_UID: '1000', LONGHAUL_HELPER_RUNTIME_DIR: '/etc' }).runtimeDir).toBe('/run/longhaul/tunnels');
  });

  it.skipIf(!isRoot)('accepts an existing root-owned 0700 directory and refuses another owner; runHelper reports the refusal', async () => {
    const d = tmp('ok');
    expect(helperConfig({ LONGHAUL_HELPER_PROFILES_DIR: d, LONGHAUL_HELPER_RUNTIME_DIR: d, LONGHAUL_HELPER_LOG_DIR: d })).toMatchObject({ profilesDir: d, runtimeDir: d, logDir: d });
    fs.chownSync(d, 1000, 1000);
    expect(() => checkOverrideDir('LONGHAUL_HELPER_RUNTIME_DIR', d)).toThrow(/must be owned by root \(uid 0\), not uid 1000/);
    const etcMode = fs.statSync('/etc').mode;
    const out = await runHelper(['down', 'farm'], { LONGHAUL_HELPER_RUNTIME_DIR: '/etc' }, 0, { stdin: null });
    expect(out).toMatchObject({ code: 2, doc: { error: { code: 'invalid-configuration', message: expect.stringMatching(/\/etc must have mode 0700/) } } });
    expect(fs.statSync('/etc').mode).toBe(etcMode);
  });
});

describe('helper request lock', () => {
  it('serialises two holders: the second gets the lock only after the first releases it', async () => {
    const d = tmp('lock');
    const order: string[] = [];
    const releaseA = await acquireHelperLock(d);
    expect(fs.readFileSync(path.join(d, LOCK_FILE), 'utf8')).toMatch(new RegExp(`^${process.pid} [0-9a-f]{16}( start=[0-9a-f-]{36}/\\d+)?\\n$`));
    const b = acquireHelperLock(d, { timeoutMs: 10_000, pollMs: 10 }).then((rel) => {
      order.push('B acquired');
      return rel;
    });
    await new Promise((r) => setTimeout(r, 100));
    order.push('A released');
    releaseA();
    const releaseB = await b;
    expect(order).toEqual(['A released', 'B acquired']);
    releaseB();
    expect(fs.readdirSync(d)).toEqual([]);
  });

  it('gives up with a clear message while a live process holds it', async () => {
    const d = tmp('busy');
    fs.writeFileSync(path.join(d, LOCK_FILE), '1 deadbeefdeadbeef\n', { mode: 0o600 }); // pid 1 is always alive
    await expect(acquireHelperLock(d, { timeoutMs: 50, pollMs: 10 })).rejects.toThrow(HelperBusy);
    await expect(acquireHelperLock(d, { timeoutMs: 50, pollMs: 10 })).rejects.toThrow(/Another Longhaul tunnel request is still running \(process 1\); nothing was changed/);
    expect(fs.readFileSync(path.join(d, LOCK_FILE), 'utf8')).toBe('1 deadbeefdeadbeef\n'); // never removed
  });

  it('takes over a lock left by a process that is gone', async () => {
    const d = tmp('stale');
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    fs.writeFileSync(path.join(d, LOCK_FILE), `${gone} 0123456789abcdef\n`, { mode: 0o600 });
    const release = await acquireHelperLock(d, { timeoutMs: 2000, pollMs: 10 }); // real liveness check (signal 0)
    expect(fs.readFileSync(path.join(d, LOCK_FILE), 'utf8')).toMatch(new RegExp(`^${process.pid} `));
    release();
    expect(fs.existsSync(path.join(d, LOCK_FILE))).toBe(false);
  });

  it.skipIf(!isRoot)('a helper request waiting on a held lock fails as busy without touching anything', async () => {
    const c: HelperConfig = { profilesDir: tmp('hprof'), runtimeDir: tmp('hrun'), logDir: null, ownerUid: 0 };
    writeMarker(c.runtimeDir, { name: 'lhseclk0', interface: 'lhseclk0', startedAt: 1, waitSec: 10 });
    fs.writeFileSync(path.join(c.profilesDir, LOCK_FILE), '1 deadbeefdeadbeef\n', { mode: 0o600 });
    const out = await runHelper(['down', 'lhseclk0'], {}, 0, { stdin: null, config: c, lockTimeoutMs: 50 });
    expect(out).toMatchObject({ code: 2, doc: { error: { code: 'busy', message: expect.stringMatching(/still running/) } } });
    expect(fs.existsSync(path.join(c.runtimeDir, 'lhseclk0.json'))).toBe(true);
  });
});

describe.skipIf(process.platform !== 'linux')('helper request lock: a PID reused after a crash (Linux: boot id + start time)', () => {
  // The recorded identity is independent of the code under test: /proc/PID/stat field 22 (starttime, clock ticks
  // since boot; proc(5)), read after the last ')' because field 2 (comm) may contain spaces and parentheses.
  const bootId = () => fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  const startTicks = (pid: number) => fs.readFileSync(`/proc/${pid}/stat`, 'utf8').slice(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').lastIndexOf(')') + 2).split(' ')[19]!;
  let child: ChildProcess | null = null;
  const liveProcess = async (): Promise<number> => {
    child = spawn('sleep', ['60'], { stdio: 'ignore' });
    await new Promise((r) => child!.once('spawn', r));
    return child.pid!;
  };
  const stop = () => {
    child?.kill('SIGKILL');
    child = null;
  };

  it('a live process whose start time differs from the recorded one is not the holder: the lock is taken over at once', async () => {
    const d = tmp('reused');
    try {
      const pid = await liveProcess(); // stands for an unrelated process that got the crashed helper's PID
      const wrong = String(Number(startTicks(pid)) - 1);
      fs.writeFileSync(path.join(d, LOCK_FILE), `${pid} 0123456789abcdef start=${bootId()}/${wrong}\n`, { mode: 0o600 });
      const release = await acquireHelperLock(d, { timeoutMs: 1_000, pollMs: 10 });
      expect(fs.readFileSync(path.join(d, LOCK_FILE), 'utf8')).toMatch(new RegExp(`^${process.pid} [0-9a-f]{16} start=${bootId()}/${startTicks(process.pid)}\n$`));
      release();
      // Same with a record from another boot (the lock file outlives a reboot; PIDs start again from 1).
      fs.writeFileSync(path.join(d, LOCK_FILE), `${pid} 0123456789abcdef start=00000000-0000-0000-0000-000000000000/${startTicks(pid)}\n`, { mode: 0o600 });
      (await acquireHelperLock(d, { timeoutMs: 1_000, pollMs: 10 }))();
    } finally {
      stop();
    }
  });

  it('a live holder whose start time matches is respected (busy), as is one recorded without a start time', async () => {
    const d = tmp('live');
    try {
      const pid = await liveProcess();
      const lock = `${pid} 0123456789abcdef start=${bootId()}/${startTicks(pid)}\n`;
      fs.writeFileSync(path.join(d, LOCK_FILE), lock, { mode: 0o600 });
      await expect(acquireHelperLock(d, { timeoutMs: 100, pollMs: 10 })).rejects.toThrow(new RegExp(`still running \\(process ${pid}\\)`));
      expect(fs.readFileSync(path.join(d, LOCK_FILE), 'utf8')).toBe(lock);
      fs.writeFileSync(path.join(d, LOCK_FILE), `${pid} 0123456789abcdef\n`, { mode: 0o600 }); // an older helper's lock
      await expect(acquireHelperLock(d, { timeoutMs: 100, pollMs: 10 })).rejects.toThrow(HelperBusy);
    } finally {
      stop();
    }
  });

  it('macOS/Windows rules (no start time there): PID and age only, with the shorter age bound', async () => {
    const d = tmp('nostart');
    try {
      const pid = await liveProcess();
      const file = path.join(d, LOCK_FILE);
      // A recorded identity cannot be checked there: a live PID is respected.
      fs.writeFileSync(file, `${pid} 0123456789abcdef start=${bootId()}/1\n`, { mode: 0o600 });
      await expect(acquireHelperLock(d, { timeoutMs: 100, pollMs: 10, platform: 'darwin' })).rejects.toThrow(HelperBusy);
      // Older than LOCK_STALE_NO_START_MS (5 min) but younger than LOCK_STALE_MS (10 min): stale there, not on Linux.
      fs.writeFileSync(file, `${pid} 0123456789abcdef\n`, { mode: 0o600 });
      const sixMinutesAgo = new Date(Date.now() - 6 * 60_000);
      fs.utimesSync(file, sixMinutesAgo, sixMinutesAgo);
      await expect(acquireHelperLock(d, { timeoutMs: 100, pollMs: 10, platform: 'linux' })).rejects.toThrow(HelperBusy);
      const release = await acquireHelperLock(d, { timeoutMs: 1_000, pollMs: 10, platform: 'win32' });
      expect(fs.readFileSync(file, 'utf8')).toMatch(new RegExp(`^${process.pid} [0-9a-f]{16}\\n$`)); // no identity recorded there
      release();
    } finally {
      stop();
    }
  });
});
