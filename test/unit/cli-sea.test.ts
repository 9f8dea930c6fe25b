/**
 * The `longhaul` CLI as the installers ship it: a Node single executable (scripts/build-helper-sea.mjs, target kind
 * 'cli'), built for real here from the release CLI bundle, the bundle then removed, and run with an EMPTY environment
 * (no PATH: no node to find) as `nobody` when the test runs as root — directly and through a symlink, as
 * /usr/bin/longhaul (deb) and /usr/local/bin/longhaul (pkg) reach it. The CLI's house rules hold in the binary: one
 * JSON document on stdout with schemaVersion 1, the message on stderr, exit 0 / 2. (A real `diagnose` against a lab
 * tunnel, with every node hidden: test/lab/cli-sea.test.ts.)
 *
 * Windows: the build refuses a CLI that is not a console-subsystem program (IT reads its stdout and exit code). The
 * PE check is tested on real PE images made by Debian's mingw-w64 (-mconsole / -mwindows); without the compiler it
 * skips loudly, except under CI=true (setup.sh installs it), where it fails.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleEntry } from '../support/bundle';
import { isRoot, warnSkippedUnlessRoot } from '../support/lab';

warnSkippedUnlessRoot('test/unit/cli-sea.test.ts: its root-only tests are skipped (run as root)');

const ROOT = path.resolve(__dirname, '../..');
const SCRIPT = path.join(ROOT, 'scripts/build-helper-sea.mjs');
const NOBODY = 65534;
const CI = process.env.CI === 'true';

interface SeaModule {
  peSubsystem(bytes: Buffer): number | null;
  assertConsoleProgram(file: string, name?: string, from?: string): void;
  PE_SUBSYSTEM: { gui: number; console: number };
}
const sea = (): Promise<SeaModule> => import(pathToFileURL(SCRIPT).href) as Promise<SeaModule>;

let dir = '';
let cli = '';
let link = '';

function run(exe: string, args: string[]) {
  const r = spawnSync(exe, args, { env: {}, encoding: 'utf8', timeout: 30_000, cwd: dir, ...(isRoot ? { uid: NOBODY, gid: NOBODY } : {}) });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.skipIf(process.platform === 'win32')('the longhaul CLI as a single executable (no Node on PATH)', () => {
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-cli-sea-'));
    fs.chmodSync(dir, 0o755); // run as nobody below
    const bundle = await bundleEntry({ entry: 'src-main/cli/entry.ts', outfile: path.join(dir, 'longhaul.cjs') });
    const b = spawnSync(process.execPath, [SCRIPT, bundle, path.join(dir, 'bin', 'longhaul')], { encoding: 'utf8', timeout: 120_000 });
    expect(b.status, b.stderr).toBe(0);
    fs.rmSync(bundle); // the binary must not need the bundle next to it
    cli = path.join(dir, 'bin', 'longhaul');
    link = path.join(dir, 'longhaul-on-path');
    fs.symlinkSync(cli, link);
  }, 120_000);

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is a standalone executable carrying the SEA blob (fuse flipped), the default target of every OS', async () => {
    expect(fs.statSync(cli).mode & 0o111).not.toBe(0);
    expect(fs.readFileSync(cli).includes(Buffer.from('NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2:1'))).toBe(true);
    const targets = JSON.parse(spawnSync(process.execPath, [SCRIPT, '--print-targets', 'linux'], { encoding: 'utf8' }).stdout) as { kind: string; bundle: string }[];
    expect(targets.filter((t) => t.kind === 'cli').map((t) => t.bundle)).toEqual(['dist/cli/longhaul.cjs']);
  });

  for (const via of ['the binary', 'a symlink on PATH'] as const) {
    it(`--version and --help through ${via}: exit 0, nothing on stderr (no SEA warning)`, () => {
      const exe = via === 'the binary' ? cli : link;
      const v = run(exe, ['--version']);
      expect(v).toMatchObject({ code: 0, stderr: '' });
      expect(v.stdout).toMatch(/^longhaul \d+\.\d+\.\d+\n$/);
      const h = run(exe, ['--help']);
      expect(h.code).toBe(0);
      expect(h.stdout).toContain('longhaul diagnose');
      expect(h.stdout).toContain('Exit codes: 0 ok, 1 unhealthy or invalid, 2 could not run.');
    });
  }

  it('diagnose --json that cannot run: one JSON document on stdout, the message on stderr, exit 2', () => {
    const r = run(link, ['diagnose', '--json', '--profile', path.join(dir, 'missing.conf')]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({ schemaVersion: 1, error: { code: 'cli-error', message: `cannot read profile ${path.join(dir, 'missing.conf')}: ENOENT` } });
    expect(r.stderr).toBe(`longhaul: cannot read profile ${path.join(dir, 'missing.conf')}: ENOENT\n`);
  });

  it('an unknown command or option: JSON error, exit 2', () => {
    const r = run(cli, ['diagnose', '--bogus', '--json']);
    expect(r.code).toBe(2);
    expect((JSON.parse(r.stdout) as { error: { message: string } }).error.message).toMatch(/Unknown option '--bogus'/);
  });
});

const haveMingw = !spawnSync('x86_64-w64-mingw32-gcc', ['--version']).error;
if (!haveMingw) {
  const msg = '*** test/unit/cli-sea.test.ts: the Windows console check SKIPPED: x86_64-w64-mingw32-gcc missing (bash scripts/setup.sh --system) ***';
  if (CI) throw new Error(`${msg} — CI must have it`);
  console.warn(`\n${msg}\n`);
}

describe.skipIf(!haveMingw)('Windows: the CLI must be a console-subsystem program', () => {
  let pe = '';
  beforeAll(() => {
    pe = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-pe-'));
    fs.writeFileSync(path.join(pe, 'p.c'), 'int main(void) { return 0; }\n');
    for (const [name, flag] of [['console.exe', '-mconsole'], ['gui.exe', '-mwindows']]) {
      const r = spawnSync('x86_64-w64-mingw32-gcc', [flag, '-o', path.join(pe, name), path.join(pe, 'p.c')], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
    }
  });
  afterAll(() => {
    if (pe) fs.rmSync(pe, { recursive: true, force: true });
  });

  it('reads the PE Subsystem of real images: console 3, GUI 2, not a PE image null', async () => {
    const { peSubsystem, PE_SUBSYSTEM } = await sea();
    expect(peSubsystem(fs.readFileSync(path.join(pe, 'console.exe')))).toBe(PE_SUBSYSTEM.console);
    expect(peSubsystem(fs.readFileSync(path.join(pe, 'gui.exe')))).toBe(PE_SUBSYSTEM.gui);
    expect(peSubsystem(fs.readFileSync(path.join(pe, 'p.c')))).toBeNull();
    expect(peSubsystem(fs.readFileSync(process.execPath))).toBeNull(); // an ELF
    expect(peSubsystem(Buffer.from('MZ'))).toBeNull();
  });

  it('refuses a GUI-subsystem binary with the reason, accepts a console one', async () => {
    const { assertConsoleProgram } = await sea();
    expect(() => assertConsoleProgram(path.join(pe, 'console.exe'))).not.toThrow();
    expect(() => assertConsoleProgram(path.join(pe, 'gui.exe'), 'dist\\cli\\longhaul.exe', 'C:\\node\\node.exe')).toThrow(
      /^dist\\cli\\longhaul\.exe: not a Windows console program \(PE Subsystem 2, expected 3\), so IT could not read its output or exit code\. .*was: C:\\node\\node\.exe/);
  });
});
