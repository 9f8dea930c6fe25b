/**
 * The macOS helper install, checked where it can be without a Mac: every path comes from ONE file
 * (resources/mac/pkg-scripts/helper-paths.sh, sourced here by a real `sh`), and the launchd plist (parsed with the
 * plist package), the uninstall script's copy, the helper's own defaults, the binaries scripts/build-helper-sea.mjs
 * builds and electron-builder's mac.extraResources all agree with it. Every shipped shell script parses under `sh -n`
 * (dash: POSIX) and `bash -n`, and none uses eval. uninstall.sh is run for real (root) against a temp root.
 * UNVERIFIED: launchctl bootstrap/bootout and the pkg scripts on macOS (no Mac here).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as parsePlist } from 'plist';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { defaultServiceEndpoint } from '../../src-main/core/tunnel/service-client';
import { DARWIN_RUNTIME_DIR, DEFAULT_LOG_DIR, DEFAULT_PROFILES_DIR, helperDirs } from '../../src-main/helper/profile-source';

const ROOT = path.resolve(__dirname, '../..');
const MAC = path.join(ROOT, 'resources/mac');
const PATHS_FILE = path.join(MAC, 'pkg-scripts/helper-paths.sh');
const VARS = ['LONGHAUL_APP', 'LONGHAUL_BASE', 'LONGHAUL_SITES', 'HELPER_DIR', 'HELPER_BINARIES', 'HELPER_DAEMON', 'HELPER_LABEL', 'HELPER_PLIST', 'HELPER_LOG_DIR', 'HELPER_PROFILES_DIR', 'HELPER_RUNTIME_DIR', 'HELPER_SOCKET', 'HELPER_TOKEN', 'CLI_IN_APP', 'CLI_LINK'] as const;
type Paths = Record<(typeof VARS)[number], string>;

/** The values a real POSIX shell gets from sourcing helper-paths.sh (NUL-separated, so spaces survive). */
function sourcePaths(file = PATHS_FILE): Paths {
  const out = execFileSync('sh', ['-c', `. "$1"; printf '%s\\0' ${VARS.map((v) => `"$${v}"`).join(' ')}`, 'sh', file], { env: {}, encoding: 'utf8' });
  const values = out.split('\0').slice(0, VARS.length);
  return Object.fromEntries(VARS.map((v, i) => [v, values[i] as string])) as Paths;
}

const P = sourcePaths();
const pathsBody = (text: string) => text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a free-form YAML document, asserted field by field
const builder: any = parseYaml(fs.readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8'));

interface LaunchdJob {
  Label: string;
  ProgramArguments: string[];
  RunAtLoad: boolean;
  KeepAlive: boolean;
  AbandonProcessGroup: boolean;
  ProcessType: string;
  EnvironmentVariables: Record<string, string>;
  StandardOutPath: string;
  StandardErrorPath: string;
  UserName?: string;
}

describe('macOS helper: one set of paths', () => {
  it('helper-paths.sh holds only comments and plain assignments, and sources cleanly', () => {
    for (const line of pathsBody(fs.readFileSync(PATHS_FILE, 'utf8'))) expect(line).toMatch(/^[A-Z_]+=('[^'$`\\]*'|"(?:[^"$`\\]|\$[A-Z_]+)*")$/);
    expect(P.HELPER_DAEMON).toBe('/Library/Application Support/Longhaul/helper/longhaul-helperd');
    expect(P.HELPER_PLIST).toBe(`/Library/LaunchDaemons/${P.HELPER_LABEL}.plist`);
    // The CLI: inside the app where electron-builder's mac.extraResources puts it, linked from /usr/local/bin.
    expect(P.CLI_IN_APP).toBe(`${P.LONGHAUL_APP}/Contents/Resources/bin/longhaul`);
    expect(P.CLI_LINK).toBe('/usr/local/bin/longhaul');
    expect((builder.mac.extraResources as { from: string; to: string }[]).find((r) => r.to === 'bin/longhaul')?.from).toBe('dist/cli/mac-${arch}/longhaul');
  });

  it('the launchd plist runs the installed daemon with the fixed PATH, and logs where the postinstall creates the directory', () => {
    const file = path.join(MAC, 'helper', `${P.HELPER_LABEL}.plist`);
    const job = parsePlist(fs.readFileSync(file, 'utf8')) as unknown as LaunchdJob;
    expect(job.Label).toBe(P.HELPER_LABEL);
    expect(job.ProgramArguments).toEqual([P.HELPER_DAEMON]);
    expect(job).toMatchObject({ RunAtLoad: true, KeepAlive: true, AbandonProcessGroup: true });
    expect(['Interactive', 'Standard']).toContain(job.ProcessType);
    expect(job.UserName ?? 'root').toBe('root');
    expect(path.dirname(job.StandardOutPath)).toBe(P.HELPER_LOG_DIR);
    expect(path.dirname(job.StandardErrorPath)).toBe(P.HELPER_LOG_DIR);
    expect(job.EnvironmentVariables.LC_ALL).toBe('C');
    const dirs = job.EnvironmentVariables.PATH!.split(':');
    // Homebrew's wireguard-tools, wireguard-go and bash >= 4 win over the system's bash 3.2 in /bin.
    for (const brew of ['/opt/homebrew/bin', '/usr/local/bin']) expect(dirs.indexOf(brew)).toBeGreaterThanOrEqual(0);
    expect(Math.max(dirs.indexOf('/opt/homebrew/bin'), dirs.indexOf('/usr/local/bin'))).toBeLessThan(dirs.indexOf('/bin'));
    expect(dirs.every((d) => path.isAbsolute(d))).toBe(true);
  });

  it('the helper code uses the same log and profile directories, and the daemon the same socket and token', () => {
    expect(P.HELPER_LOG_DIR).toBe(DEFAULT_LOG_DIR);
    expect(P.HELPER_PROFILES_DIR).toBe(DEFAULT_PROFILES_DIR);
    expect(P.HELPER_RUNTIME_DIR).toBe(DARWIN_RUNTIME_DIR);
    expect(helperDirs('darwin', {})).toEqual({ profilesDir: P.HELPER_PROFILES_DIR, runtimeDir: P.HELPER_RUNTIME_DIR, logDir: P.HELPER_LOG_DIR });
    expect(defaultServiceEndpoint('darwin', {})).toEqual({ path: P.HELPER_SOCKET, tokenFile: P.HELPER_TOKEN });
  });

  it('uninstall.sh carries a verbatim copy of the paths', () => {
    const u = fs.readFileSync(path.join(MAC, 'uninstall.sh'), 'utf8');
    const block = /# --- paths:[^\n]*\n([\s\S]*?)# --- end paths ---/.exec(u)?.[1];
    expect(block, 'paths markers in uninstall.sh').toBeDefined();
    expect(pathsBody(block!)).toEqual(pathsBody(fs.readFileSync(PATHS_FILE, 'utf8')));
  });

  it('the binaries installed are the ones the SEA build makes for macOS, and the app ships them with the plist', () => {
    const all = JSON.parse(execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-helper-sea.mjs'), '--print-targets', 'darwin'], { encoding: 'utf8' })) as { kind: string; output: string }[];
    const targets = all.filter((t) => t.kind === 'helper');
    const bins = P.HELPER_BINARIES.split(' ');
    expect(bins).toEqual(targets.map((t) => path.basename(t.output)));
    expect(bins).toContain(path.basename(P.HELPER_DAEMON));
    const shipped = (builder.mac.extraResources as { from: string; to: string }[]).map((r) => `${r.from} -> ${r.to}`);
    for (const t of targets) expect(shipped).toContain(`${t.output} -> helper/${path.basename(t.output)}`);
    expect(shipped).toContain(`resources/mac/helper/${P.HELPER_LABEL}.plist -> helper/${P.HELPER_LABEL}.plist`);
    expect(shipped).toContain('resources/mac/uninstall.sh -> helper/uninstall.sh');
  });

  it('the pkg scripts take every path from helper-paths.sh (no second spelling)', () => {
    for (const name of ['preinstall', 'postinstall']) {
      const s = fs.readFileSync(path.join(MAC, 'pkg-scripts', name), 'utf8');
      expect(s).toContain('. "$(dirname "$0")/helper-paths.sh"');
      const code = s.split('\n').filter((l) => !l.trimStart().startsWith('#')).join('\n');
      for (const literal of ['/Library/Application Support', '/Library/LaunchDaemons', '/var/log', P.HELPER_LABEL, 'longhaul-helperd']) expect(code, `${name}: ${literal}`).not.toContain(literal);
    }
  });
});

describe('shipped shell scripts', () => {
  const scripts = [
    ...['preinstall', 'postinstall', 'helper-paths.sh'].map((f) => path.join(MAC, 'pkg-scripts', f)),
    path.join(MAC, 'uninstall.sh'),
    ...fs.readdirSync(path.join(ROOT, 'resources/linux')).filter((f) => f.endsWith('.sh')).map((f) => path.join(ROOT, 'resources/linux', f)),
  ];
  for (const file of scripts) {
    const rel = path.relative(ROOT, file);
    it(`${rel}: parses, uses no eval`, () => {
      const text = fs.readFileSync(file, 'utf8');
      const posix = !text.startsWith('#!/bin/bash');
      if (posix) execFileSync('sh', ['-n', file]);
      execFileSync('bash', ['-n', file]);
      const code = text.split('\n').filter((l) => !l.trimStart().startsWith('#'));
      expect(code.filter((l) => /(^|[\s;&|(`])eval\b/.test(l))).toEqual([]);
      if (!file.endsWith('helper-paths.sh') && !file.includes('/linux/')) expect(fs.statSync(file).mode & 0o111, `${rel} is executable`).not.toBe(0);
    });
  }
});

describe.skipIf(process.getuid?.() !== 0)('uninstall.sh, run for real against a temp root', () => {
  it('disconnects through the helper, removes job, binaries, delivered copies, socket, token and logs; keeps Sites and IT profiles', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-mac-uninstall-'));
    try {
      const original = fs.readFileSync(path.join(MAC, 'uninstall.sh'), 'utf8');
      // Same script, every absolute path moved under the temp root.
      const script = original.replace(/(# --- paths:[^\n]*\n)([\s\S]*?)(# --- end paths ---)/, (_m, a: string, body: string, b: string) => a + body.replace(/=(['"])\//g, `=$1${root}/`) + b);
      expect(script).not.toBe(original);
      fs.writeFileSync(path.join(root, 'uninstall.sh'), script, { mode: 0o755 });
      fs.writeFileSync(path.join(root, 'paths.sh'), /# --- paths:[^\n]*\n([\s\S]*?)# --- end paths ---/.exec(script)![1]!);
      const t = sourcePaths(path.join(root, 'paths.sh'));
      expect(t.HELPER_DAEMON).toBe(root + P.HELPER_DAEMON);
      // Never run it against the real machine: every path must have moved under the temp root.
      for (const v of VARS) if (v !== 'HELPER_LABEL' && v !== 'HELPER_BINARIES') expect(t[v].startsWith(`${root}/`), v).toBe(true);
      const put = (file: string, text = 'x', mode = 0o644) => {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, text, { mode });
      };
      const calls = path.join(root, 'calls.log');
      put(path.join(t.LONGHAUL_APP, 'Contents/Info.plist'));
      put(path.join(t.LONGHAUL_SITES, 'farm.zip'));
      put(path.join(t.HELPER_DIR, 'longhaul-helper'), `#!/bin/sh\nprintf '%s|%s\\n' "$*" "$PATH" >> '${calls}'\n`, 0o755);
      put(t.HELPER_DAEMON, '#!/bin/sh\n', 0o755);
      put(path.join(t.HELPER_DIR, 'longhaul-helper.cjs'));
      put(t.HELPER_PLIST);
      put(path.join(t.HELPER_PROFILES_DIR, 'farm.conf'));
      put(path.join(t.HELPER_PROFILES_DIR, 'farm.owner'), '{"uid":501}');
      put(path.join(t.HELPER_PROFILES_DIR, 'itsite.conf'));
      // Longhaul's runtime markers: a delivered profile, a policy site (no copy in the profiles folder), and the
      // stale-tracking file that shares the folder (not a tunnel).
      put(path.join(t.HELPER_RUNTIME_DIR, 'farm.json'), '{}');
      put(path.join(t.HELPER_RUNTIME_DIR, 'policysite.json'), '{}');
      put(path.join(t.HELPER_RUNTIME_DIR, 'stale-baselines.json'), '{}');
      put(t.HELPER_SOCKET);
      put(t.HELPER_TOKEN);
      put(path.join(t.HELPER_LOG_DIR, 'longhaul.log'));
      put(path.join(t.LONGHAUL_BASE, 'uninstall.sh'));
      // The CLI in the app and the postinstall's link to it on PATH.
      put(t.CLI_IN_APP, '#!/bin/sh\n', 0o755);
      fs.mkdirSync(path.dirname(t.CLI_LINK), { recursive: true });
      fs.symlinkSync(t.CLI_IN_APP, t.CLI_LINK);

      const r = spawnSync('sh', [path.join(root, 'uninstall.sh')], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/Longhaul removed\. Kept: .*Sites/);
      const helperPath = '/opt/homebrew/bin:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin';
      expect(fs.readFileSync(calls, 'utf8').trim().split('\n').sort()).toEqual([`down farm|${helperPath}`, `down policysite|${helperPath}`]);
      for (const gone of [t.CLI_LINK, t.LONGHAUL_APP, t.HELPER_PLIST, t.HELPER_DIR, t.HELPER_SOCKET, t.HELPER_TOKEN, t.HELPER_LOG_DIR, path.join(t.LONGHAUL_BASE, 'uninstall.sh'), path.join(t.HELPER_PROFILES_DIR, 'farm.conf'), path.join(t.HELPER_PROFILES_DIR, 'farm.owner')]) {
        expect(fs.existsSync(gone), gone).toBe(false);
      }
      expect(fs.readdirSync(t.LONGHAUL_SITES)).toEqual(['farm.zip']);
      expect(fs.readdirSync(t.HELPER_PROFILES_DIR)).toEqual(['itsite.conf']);
      // Safe to run twice; a `longhaul` on PATH that is not the app's link is someone else's and stays.
      fs.symlinkSync('/opt/elsewhere/longhaul', t.CLI_LINK);
      expect(spawnSync('sh', [path.join(root, 'uninstall.sh')], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } }).status).toBe(0);
      expect(fs.readlinkSync(t.CLI_LINK)).toBe('/opt/elsewhere/longhaul');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
