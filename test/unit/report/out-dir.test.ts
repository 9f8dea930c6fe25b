/**
 * `longhaul report --out DIR` writes into a directory Longhaul may not own (`/tmp`, a shared drop folder): it never
 * changes that directory's mode, and the zip inside is private (0600). A directory that does not exist yet is
 * Longhaul's own and is created 0700. In-process (`runCli`) and through the release-built CLI.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src-main/cli/main';
import type { CliIO } from '../../../src-main/cli/command';
import { cliBundle, removeCliBundle } from '../../support/bundle';

const posix = process.platform !== 'win32';
let tmp: string;
const oldData = process.env.LONGHAUL_DATA_DIR;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-report-out-'));
  process.env.LONGHAUL_DATA_DIR = path.join(tmp, 'data');
});
afterAll(() => {
  removeCliBundle();
  fs.rmSync(tmp, { recursive: true, force: true });
  if (oldData === undefined) delete process.env.LONGHAUL_DATA_DIR;
  else process.env.LONGHAUL_DATA_DIR = oldData;
});

function io(): CliIO & { out: string; err: string } {
  const o = { out: '', err: '', isTTY: false, env: {}, cwd: tmp } as CliIO & { out: string; err: string };
  o.stdout = (t) => void (o.out += t);
  o.stderr = (t) => void (o.err += t);
  return o;
}

/** A real directory with exactly `mode` (chmod, so the umask cannot narrow it). */
function dirWithMode(name: string, mode: number): string {
  const d = path.join(tmp, name);
  fs.mkdirSync(d);
  fs.chmodSync(d, mode);
  expect(fs.statSync(d).mode & 0o7777).toBe(mode);
  return d;
}

const modeOf = (p: string) => fs.statSync(p).mode & 0o7777;

async function reportTo(out: string): Promise<string> {
  const t = io();
  expect(await runCli(['report', '--out', out, '--json'], t)).toBe(0);
  return JSON.parse(t.out).path as string;
}

describe.skipIf(!posix)('longhaul report --out DIR never changes the modes of a directory it did not create', () => {
  it('a sticky world-writable 1777 directory (like /tmp) keeps 1777; the zip inside is 0600', async () => {
    const shared = dirWithMode('sticky', 0o1777);
    const zip = await reportTo(shared);
    expect(path.dirname(zip)).toBe(shared);
    expect(modeOf(shared)).toBe(0o1777);
    expect(modeOf(zip)).toBe(0o600);
  });

  it('a 0755 directory keeps 0755; the zip inside is 0600', async () => {
    const open = dirWithMode('open', 0o755);
    const zip = await reportTo(open);
    expect(modeOf(open)).toBe(0o755);
    expect(modeOf(zip)).toBe(0o600);
  });

  it('a directory that does not exist is created 0700 (every level it creates), its existing parent untouched', async () => {
    const parent = dirWithMode('parent', 0o755);
    const zip = await reportTo(path.join(parent, 'new', 'deeper'));
    expect(path.dirname(zip)).toBe(path.join(parent, 'new', 'deeper'));
    expect(modeOf(path.join(parent, 'new'))).toBe(0o700);
    expect(modeOf(path.join(parent, 'new', 'deeper'))).toBe(0o700);
    expect(modeOf(parent)).toBe(0o755);
    expect(modeOf(zip)).toBe(0o600);
  });

  it('an --out that is a file is a clear error and the file is untouched', async () => {
    const f = path.join(tmp, 'a-file');
    fs.writeFileSync(f, 'keep me', { mode: 0o644 });
    const t = io();
    expect(await runCli(['report', '--out', f], t)).toBe(2);
    expect(t.err).toMatch(/a-file.* not a directory/);
    expect(fs.readFileSync(f, 'utf8')).toBe('keep me');
    expect(modeOf(f)).toBe(0o644);
  });

  it('the release-built CLI: a 1777 and a 0755 --out keep their modes, a new one is 0700, zips are 0600', async () => {
    const cli = await cliBundle();
    const env = { ...process.env, LONGHAUL_DATA_DIR: path.join(tmp, 'data-bin') };
    const run = (out: string) => {
      const r = spawnSync(process.execPath, [cli, 'report', '--out', out, '--json'], { cwd: tmp, env, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout).path as string;
    };
    const sticky = dirWithMode('bin-sticky', 0o1777);
    const open = dirWithMode('bin-open', 0o755);
    for (const [dir, mode] of [[sticky, 0o1777], [open, 0o755]] as const) {
      const zip = run(dir);
      expect(modeOf(dir)).toBe(mode);
      expect(modeOf(zip)).toBe(0o600);
    }
    const fresh = path.join(tmp, 'bin-fresh');
    const zip = run(fresh);
    expect(modeOf(fresh)).toBe(0o700);
    expect(modeOf(zip)).toBe(0o600);
  });
});
