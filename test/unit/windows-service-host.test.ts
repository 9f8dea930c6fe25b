/**
 * The Windows service host resources/windows/service/longhaul-service.c, built for real with Debian's mingw-w64 cross
 * compiler by scripts/build-service-host.mjs into a temp directory:
 *  - statically: a PE32+ x86-64 console executable (header bytes read here), whose import table (objdump -p) has the
 *    SCM, process and job calls and nothing that runs a shell;
 *  - for real under Wine (Debian wine64, fresh WINEPREFIX in a temp dir, headless): `install` creates and starts the
 *    service in Wine's SCM, which runs the CHILD STAND-IN (test/fixtures/windows-service/helperd-stand-in.c, named
 *    longhaul-helperd.exe beside the host) with the quoted command line; an exit of the child is restarted; a stop
 *    kills it (job object); `uninstall` deletes the service; a child that keeps failing makes the host give up with
 *    its service-specific exit code; killing the host kills the child (KILL_ON_JOB_CLOSE); usage exits 2;
 *    `path-add` / `path-remove` (the NSIS installer's machine-PATH edit for the CLI) on Wine's real registry.
 * Wine 8 limits (not the host's): ChangeServiceConfig2W(FAILURE_ACTIONS_FLAG) is "invalid level" (the host warns and
 * goes on), its SCM does not notice a killed service process (so the last step leaves it to `wineserver -k`), and
 * its StartServiceCtrlDispatcherW outside the SCM fails only after ~10 s. Whole file ≈ 45 s (prefix boot ≈ 11 s).
 * Without the compiler (or Wine) the tests skip LOUDLY, except under CI=true, where setup.sh installs both: they fail.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const SCRIPT = path.join(ROOT, 'scripts/build-service-host.mjs');
const STAND_IN = path.join(ROOT, 'test/fixtures/windows-service/helperd-stand-in.c');
const CI = process.env.CI === 'true';

const haveCompiler = !spawnSync('x86_64-w64-mingw32-gcc', ['--version']).error;
const WINE = ['/usr/lib/wine/wine64', '/usr/bin/wine64', '/usr/bin/wine'].find((p) => fs.existsSync(p));
const WINESERVER = ['/usr/lib/wine/wineserver', '/usr/bin/wineserver'].find((p) => fs.existsSync(p));
if (!haveCompiler) {
  const msg = '*** test/unit/windows-service-host.test.ts SKIPPED: x86_64-w64-mingw32-gcc missing (Debian gcc-mingw-w64-x86-64-win32; bash scripts/setup.sh --system) ***';
  if (CI) throw new Error(`${msg} — CI must have it`);
  console.warn(`\n${msg}\n`);
} else if (!WINE || !WINESERVER) {
  const msg = '*** windows-service-host: the Wine runtime tests SKIPPED: wine64 missing (Debian wine64; bash scripts/setup.sh --system) ***';
  if (CI) throw new Error(`${msg} — CI must have it`);
  console.warn(`\n${msg}\n`);
}

let dir = '';
let host = '';

function build(args: string[], env: NodeJS.ProcessEnv = process.env): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8', env, timeout: 60_000 });
}

/** Imported functions per DLL from `objdump -p` ("\tDLL Name: X.dll" then "\t<vma> <hint> <name>" rows). */
function imports(exe: string): Map<string, string[]> {
  const r = spawnSync('x86_64-w64-mingw32-objdump', ['-p', exe], { encoding: 'utf8', maxBuffer: 16 << 20 });
  expect(r.status, r.stderr).toBe(0);
  const out = new Map<string, string[]>();
  let current: string[] | null = null;
  for (const line of r.stdout.split('\n')) {
    const dll = /^\s*DLL Name: (\S+)/.exec(line);
    if (dll) out.set(dll[1].toLowerCase(), (current = []));
    else if (current && /^\s*$/.test(line)) current = null;
    else if (current) {
      const fn = /^\s*[0-9a-f]+\s+\d+\s+(\S+)/i.exec(line);
      if (fn) current.push(fn[1]);
    }
  }
  return out;
}

describe.skipIf(!haveCompiler)('Windows service host longhaul-service.exe (mingw-w64 build)', () => {
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-svc-'));
    host = path.join(dir, 'longhaul-service.exe');
    const r = build([host]);
    expect(r.status, r.stderr).toBe(0);
    const s = build(['--source', STAND_IN, path.join(dir, 'longhaul-helperd.exe')]);
    expect(s.status, s.stderr).toBe(0);
  }, 60_000);

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is a PE32+ x86-64 console executable, written atomically (no temp file left)', () => {
    const b = fs.readFileSync(host);
    expect(b.toString('latin1', 0, 2)).toBe('MZ');
    const pe = b.readUInt32LE(0x3c);
    expect(b.toString('latin1', pe, pe + 4)).toBe('PE\0\0');
    expect(b.readUInt16LE(pe + 4)).toBe(0x8664); // COFF Machine: IMAGE_FILE_MACHINE_AMD64
    const opt = pe + 24; // optional header after the 4-byte signature and the 20-byte COFF header
    expect(b.readUInt16LE(opt)).toBe(0x20b); // PE32+
    expect(b.readUInt16LE(opt + 68)).toBe(3); // Subsystem: IMAGE_SUBSYSTEM_WINDOWS_CUI
    expect(fs.readdirSync(dir).sort()).toEqual(['longhaul-helperd.exe', 'longhaul-service.exe']);
  });

  it('imports the SCM, process and job calls, from system DLLs only, and nothing that runs a shell', () => {
    const imp = imports(host);
    expect([...imp.keys()].sort()).toEqual(['advapi32.dll', 'kernel32.dll', 'msvcrt.dll']);
    const all = [...imp.values()].flat();
    for (const fn of ['StartServiceCtrlDispatcherW', 'RegisterServiceCtrlHandlerExW', 'SetServiceStatus', 'CreateServiceW',
      'ChangeServiceConfig2W', 'StartServiceW', 'DeleteService', 'ControlService', 'RegOpenKeyExW', 'RegQueryValueExW', 'RegSetValueExW']) expect(imp.get('advapi32.dll'), fn).toContain(fn);
    for (const fn of ['CreateProcessW', 'CreateJobObjectW', 'SetInformationJobObject', 'AssignProcessToJobObject', 'TerminateJobObject',
      'GetModuleFileNameW']) expect(imp.get('kernel32.dll'), fn).toContain(fn);
    const shelly = all.filter((f) => /^(ShellExecute|WinExec|system$|_wsystem$|_w?popen$|_w?exec|_w?spawn|CreateProcessA$|SearchPath)/i.test(f));
    expect(shelly).toEqual([]);
  });

  it('the build script: a missing compiler names the Debian package; bad arguments exit 2', () => {
    const noCc = build([path.join(dir, 'x.exe')], { ...process.env, PATH: path.dirname(process.execPath) });
    expect(noCc.status).toBe(1);
    expect(noCc.stderr).toMatch(/x86_64-w64-mingw32-gcc not found on PATH: install Debian's gcc-mingw-w64-x86-64-win32/);
    expect(build(['--bogus']).status).toBe(2);
    expect(build(['a.exe', 'b.exe']).status).toBe(2);
    const notExe = build([path.join(dir, 'x')]);
    expect(notExe.status).toBe(1);
    expect(notExe.stderr).toMatch(/must end in \.exe/);
  });

  describe.skipIf(!WINE || !WINESERVER)('under Wine: the real service lifecycle in Wine’s SCM', () => {
    let prefix = '';
    let env: NodeJS.ProcessEnv = {};
    const winPath = (p: string) => `Z:${p.replace(/\//g, '\\')}`;
    const log = () => path.join(dir, 'starts.log');
    const starts = () => (fs.existsSync(log()) ? fs.readFileSync(log(), 'utf8').split('\n').filter(Boolean).map((l) => l.split('\t')) : []);

    /** Run a Windows program; its output goes through files, not pipes: Wine's system processes started on demand
     * (services.exe & co.) inherit a pipe and outlive the program, so spawnSync would wait for them forever. */
    function wine(args: string[]): { status: number | null; stdout: string; stderr: string } {
      const files = ['stdout', 'stderr'].map((n) => path.join(prefix, `${n}.txt`));
      const fds = files.map((f) => fs.openSync(f, 'w'));
      try {
        const r = spawnSync(WINE as string, args, { env, stdio: ['ignore', fds[0], fds[1]], timeout: 90_000 });
        if (r.error) throw r.error;
        const [stdout, stderr] = files.map((f) => fs.readFileSync(f, 'utf8'));
        return { status: r.status, stdout, stderr };
      } finally {
        fds.forEach((fd) => fs.closeSync(fd));
      }
    }
    /** sc query → { state, win32Exit, serviceExit }, or null when Wine's sc says nothing (no such service). */
    function query(): { state: string; win32Exit: number; serviceExit: number } | null {
      const out = wine(['sc', 'query', 'LonghaulTunnel']).stdout;
      const state = /STATE\s*:\s*\d+\s+(\w+)/.exec(out);
      if (!state) return null;
      const num = (k: string) => Number(new RegExp(`${k}\\s*:\\s*(\\d+)`).exec(out)?.[1]);
      return { state: state[1], win32Exit: num('WIN32_EXIT_CODE'), serviceExit: num('SERVICE_EXIT_CODE') };
    }
    /** Live (non-zombie) Linux processes of the stand-in in our directory (Wine puts the Windows path in cmdline). */
    function liveChildren(): number[] {
      const me = winPath(path.join(dir, 'longhaul-helperd.exe'));
      return fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
        try {
          return fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').startsWith(me);
        } catch {
          return false;
        }
      }).map(Number);
    }
    async function until<T>(what: string, probe: () => T | null | undefined | false, ms = 45_000): Promise<T> {
      for (const end = Date.now() + ms; ; await sleep(200)) {
        const v = probe();
        if (v) return v;
        if (Date.now() > end) throw new Error(`under Wine: gave up waiting for ${what}`);
      }
    }

    beforeAll(() => {
      prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-wine-'));
      env = { ...process.env, WINEPREFIX: prefix, WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree,mshtml=' };
      delete env.DISPLAY;
      delete env.WAYLAND_DISPLAY;
      const t0 = Date.now();
      // wineboot starts wineserver, services.exe & co., which inherit its stdio and outlive it: no pipes (spawnSync
      // would wait for them forever). Then wait for that first server to finish setting up the prefix and quit, and
      // start a persistent one, which keeps services.exe alive between the commands below (a service started
      // while wineboot's server is still settling fails with "database locked").
      const boot = spawnSync(WINE as string, ['wineboot', '-i'], { env, stdio: 'ignore', timeout: 150_000 });
      expect(boot.error).toBeUndefined();
      expect(boot.status).toBe(0);
      spawnSync(WINESERVER as string, ['-w'], { env, stdio: 'ignore', timeout: 60_000 });
      spawnSync(WINESERVER as string, ['-p'], { env, stdio: 'ignore', timeout: 30_000 });
      expect(wine(['wineboot']).status).toBe(0); // starts services.exe under the persistent server
      console.info(`windows-service-host: fresh Wine prefix booted in ${Date.now() - t0} ms`);
    }, 180_000);

    afterAll(() => {
      if (prefix) {
        spawnSync(WINESERVER as string, ['-k'], { env, stdio: 'ignore', timeout: 30_000 });
        spawnSync(WINESERVER as string, ['-w'], { env, stdio: 'ignore', timeout: 30_000 });
        fs.rmSync(prefix, { recursive: true, force: true });
      }
    }, 60_000);

    it('usage errors exit 2; `run` outside the SCM exits 2 and says so', () => {
      for (const args of [[], ['bogus'], ['install', 'extra'], ['INSTALL'], ['path-add', 'C:\\elsewhere']]) {
        const r = wine([host, ...args]);
        expect(r.status, args.join(' ')).toBe(2);
        expect(r.stderr).toMatch(/usage: longhaul-service install \| uninstall \| run \| path-add \| path-remove/);
      }
      const run = wine([host, 'run']);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/only the Service Control Manager starts this/);
    });

    it('install creates and starts the service; the child runs from the host’s directory with the quoted command line', async () => {
      const r = wine([host, 'install']);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toContain(`created service LonghaulTunnel: "${winPath(host)}" run`);
      expect(r.stderr).toMatch(/service LonghaulTunnel is running \(pid \d+\)/);
      expect(query()).toMatchObject({ state: 'RUNNING' });
      const [first] = await until('the stand-in to start', () => starts()[0] && starts());
      expect(first[1]).toBe(`"${winPath(path.join(dir, 'longhaul-helperd.exe'))}"`);
      expect(liveChildren()).toHaveLength(1);
    }, 60_000);

    it('install again is idempotent: updates the existing service, stays running', () => {
      const r = wine([host, 'install']);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toContain('updated existing service LonghaulTunnel');
      expect(query()).toMatchObject({ state: 'RUNNING' });
    }, 60_000);

    it('a child that exits is started again', async () => {
      const before = starts().length;
      fs.writeFileSync(path.join(dir, 'exit-now'), '');
      await until('a restarted stand-in', () => starts().length === before + 1);
      expect(query()).toMatchObject({ state: 'RUNNING' });
      await until('one live stand-in', () => liveChildren().length === 1);
    }, 60_000);

    it('stopping the service kills the child (job object); uninstall deletes the service, twice is fine', async () => {
      expect(wine(['sc', 'stop', 'LonghaulTunnel']).status).toBe(0);
      await until('STOPPED', () => query()?.state === 'STOPPED');
      expect(query()).toMatchObject({ state: 'STOPPED', win32Exit: 0, serviceExit: 0 });
      await until('no live stand-in', () => liveChildren().length === 0);
      const u = wine([host, 'uninstall']);
      expect(u.status, u.stderr).toBe(0);
      expect(u.stderr).toContain('service LonghaulTunnel stopped and deleted');
      expect(query()).toBeNull();
      const again = wine([host, 'uninstall']);
      expect(again.status).toBe(0);
      expect(again.stderr).toContain('not installed; nothing to do');
    }, 60_000);

    it('a child that keeps failing: the host gives up with STOPPED, service-specific exit code 1', async () => {
      const before = starts().length;
      fs.writeFileSync(path.join(dir, 'exit-always'), '');
      try {
        expect(wine([host, 'install']).status).toBe(0);
        await until('the host to give up', () => query()?.state === 'STOPPED', 90_000);
        expect(query()).toEqual({ state: 'STOPPED', win32Exit: 1066, serviceExit: 1 }); // ERROR_SERVICE_SPECIFIC_ERROR
        expect(starts().length - before).toBe(5); // MAX_QUICK_FAILS
        expect(liveChildren()).toEqual([]);
      } finally {
        fs.rmSync(path.join(dir, 'exit-always'), { force: true });
      }
      expect(wine([host, 'uninstall']).status).toBe(0);
    }, 120_000);

    describe('path-add / path-remove: the CLI folder on the machine PATH (Wine’s real registry)', () => {
      const KEY = 'HKEY_LOCAL_MACHINE\\System\\CurrentControlSet\\Control\\Session Manager\\Environment';
      // The installed layout: resources\helper\longhaul-service.exe, the CLI in resources\bin\longhaul.exe.
      let layout = '';
      let layoutHost = '';
      let cliDir = '';
      let original: { type: string; value: string };
      const regFile = () => path.join(prefix, 'path.reg');

      /** Path's type and exact value, from `reg export` (hex(2) is UTF-16LE bytes; REG_SZ a quoted string). */
      function readPath(): { type: string; value: string } {
        const r = wine(['reg', 'export', KEY, winPath(regFile()), '/y']);
        expect(r.status, r.stderr).toBe(0);
        const text = fs.readFileSync(regFile()).toString('utf16le').replace(/\\\r?\n\s*/g, '');
        const line = text.split(/\r?\n/).find((l) => /^"path"=/i.test(l));
        if (!line) throw new Error(`no Path value in the export:\n${text.slice(0, 400)}`);
        const hex = /^"path"=hex\(2\):(.*)$/i.exec(line);
        if (hex) {
          const bytes = Buffer.from(hex[1]!.split(',').map((b) => parseInt(b, 16)));
          return { type: 'REG_EXPAND_SZ', value: bytes.toString('utf16le').replace(/\0+$/, '') };
        }
        const sz = /^"path"="(.*)"$/i.exec(line);
        if (!sz) throw new Error(`unexpected Path line: ${line.slice(0, 200)}`);
        return { type: 'REG_SZ', value: sz[1]!.replace(/\\(.)/g, '$1') };
      }
      /** Set Path exactly (any length: through `reg import`, not a command line). */
      function writePath(type: 'REG_EXPAND_SZ' | 'REG_SZ', value: string): void {
        const data = type === 'REG_SZ'
          ? `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
          : `hex(2):${[...Buffer.from(`${value}\0`, 'utf16le')].map((b) => b.toString(16).padStart(2, '0')).join(',')}`;
        // A value of another case would be a second name on a case-sensitive parser: delete it first.
        wine(['reg', 'delete', KEY, '/v', 'Path', '/f']);
        const text = `Windows Registry Editor Version 5.00\r\n\r\n[${KEY}]\r\n"Path"=${data}\r\n`;
        fs.writeFileSync(regFile(), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
        const r = wine(['reg', 'import', winPath(regFile())]);
        expect(r.status, r.stderr).toBe(0);
        expect(readPath()).toEqual({ type, value });
      }
      const pathCmd = (verb: string) => wine([layoutHost, verb]);

      beforeAll(() => {
        layout = fs.mkdtempSync(path.join(dir, 'layout-'));
        fs.mkdirSync(path.join(layout, 'resources', 'helper'), { recursive: true });
        fs.mkdirSync(path.join(layout, 'resources', 'bin'), { recursive: true });
        layoutHost = path.join(layout, 'resources', 'helper', 'longhaul-service.exe');
        fs.copyFileSync(host, layoutHost);
        fs.writeFileSync(path.join(layout, 'resources', 'bin', 'longhaul.exe'), 'MZ');
        cliDir = winPath(path.join(layout, 'resources', 'bin'));
        original = readPath();
      });
      afterAll(() => {
        if (original) writePath(original.type as 'REG_EXPAND_SZ', original.value);
      });

      it('adds the folder once to a PATH far longer than NSIS strings (5000+ characters), keeping REG_EXPAND_SZ; removes exactly it', () => {
        const long = ['%SystemRoot%\\system32', '%SystemRoot%', ...Array.from({ length: 160 }, (_, i) => `C:\\Program Files\\Vendor ${i}\\bin`)].join(';');
        expect(long.length).toBeGreaterThan(4000);
        writePath('REG_EXPAND_SZ', long);
        const add = pathCmd('path-add');
        expect(add.status, add.stderr).toBe(0);
        expect(add.stderr).toContain(`path-add: added ${cliDir} to the machine PATH (REG_EXPAND_SZ, ${long.length + 1 + cliDir.length} characters)`);
        expect(readPath()).toEqual({ type: 'REG_EXPAND_SZ', value: `${long};${cliDir}` }); // %SystemRoot% not expanded
        const again = pathCmd('path-add');
        expect(again.status).toBe(0);
        expect(again.stderr).toContain('is already on the machine PATH; nothing to do');
        expect(readPath().value).toBe(`${long};${cliDir}`);
        const rm = pathCmd('path-remove');
        expect(rm.status, rm.stderr).toBe(0);
        expect(rm.stderr).toContain(`path-remove: removed ${cliDir} from the machine PATH`);
        expect(readPath()).toEqual({ type: 'REG_EXPAND_SZ', value: long });
        const rm2 = pathCmd('path-remove');
        expect(rm2.status).toBe(0);
        expect(rm2.stderr).toContain('is not on the machine PATH; nothing to do');
        expect(readPath().value).toBe(long);
      }, 60_000);

      it('recognises its folder in another case, quoted or with a trailing backslash; leaves every other entry byte for byte (empty ones, trailing ;)', () => {
        const other = `"${cliDir.toUpperCase()}\\"`;
        writePath('REG_SZ', `C:\\a;;${other};C:\\b;`);
        expect(pathCmd('path-add').stderr).toContain('already on the machine PATH');
        expect(readPath()).toEqual({ type: 'REG_SZ', value: `C:\\a;;${other};C:\\b;` });
        expect(pathCmd('path-remove').status).toBe(0);
        expect(readPath()).toEqual({ type: 'REG_SZ', value: 'C:\\a;;C:\\b;' }); // REG_SZ stays REG_SZ
        expect(pathCmd('path-add').status).toBe(0);
        expect(readPath()).toEqual({ type: 'REG_SZ', value: `C:\\a;;C:\\b;${cliDir}` }); // no doubled ';'
        // A folder that only starts like ours is someone else's.
        writePath('REG_EXPAND_SZ', `${cliDir}-old;${cliDir}\\x`);
        expect(pathCmd('path-remove').stderr).toContain('is not on the machine PATH');
        expect(readPath().value).toBe(`${cliDir}-old;${cliDir}\\x`);
      }, 60_000);

      it('refuses (exit 1, PATH unchanged) when the CLI is missing or the PATH would exceed 32767 characters', () => {
        writePath('REG_EXPAND_SZ', original.value);
        fs.renameSync(path.join(layout, 'resources', 'bin', 'longhaul.exe'), path.join(layout, 'resources', 'bin', 'gone'));
        try {
          const r = pathCmd('path-add');
          expect(r.status).toBe(1);
          expect(r.stderr).toContain(`path-add: ${cliDir}\\longhaul.exe is missing; the machine PATH is not changed`);
          expect(readPath().value).toBe(original.value);
        } finally {
          fs.renameSync(path.join(layout, 'resources', 'bin', 'gone'), path.join(layout, 'resources', 'bin', 'longhaul.exe'));
        }
        // Just under Windows' limit, in entries of ordinary length (Wine itself crashes on one entry longer than MAX_PATH).
        let huge = Array.from({ length: 1100 }, (_, i) => `C:\\Tools\\T${i}\\bin`).join(';');
        huge = huge.slice(0, 32767 - 5).replace(/;[^;]*$/, '');
        huge += `;C:\\${'y'.repeat(32767 - 5 - huge.length - 4)}`;
        expect(huge.length).toBe(32767 - 5);
        writePath('REG_EXPAND_SZ', huge);
        const r = pathCmd('path-add');
        expect(r.status).toBe(1);
        expect(r.stderr).toMatch(/the machine PATH would be \d+ characters, more than Windows allows \(32767\); it is not changed/);
        expect(readPath().value).toBe(huge);
      }, 60_000);
    });

    it('killing the host kills the child (JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE)', async () => {
      const r = wine([host, 'install']);
      expect(r.status, r.stderr).toBe(0);
      const pid = /is running \(pid (\d+)\)/.exec(r.stderr)?.[1];
      await until('one live stand-in', () => liveChildren().length === 1);
      expect(wine(['taskkill', '/F', '/PID', String(pid)]).status).toBe(0);
      await until('no live stand-in after the host was killed', () => liveChildren().length === 0);
    }, 60_000);
  });
});
