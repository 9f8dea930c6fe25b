import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src-main/cli/main';
import type { CliIO } from '../../../src-main/cli/command';

function io(dir: string) {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIO = { stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), isTTY: false, env: { LONGHAUL_DATA_DIR: dir }, cwd: dir };
  return { cli, out: () => out.join(''), err: () => err.join('') };
}

describe('longhaul diagnose: could not run (exit 2)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'longhaul-diag-'));
  process.env.LONGHAUL_DATA_DIR = path.join(dir, 'data');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('names an unreadable profile file', async () => {
    const t = io(dir);
    expect(await runCli(['diagnose', '--profile', './missing.conf', '--json'], t.cli)).toBe(2);
    expect(JSON.parse(t.out())).toMatchObject({ schemaVersion: 1, error: { code: 'cli-error' } });
    expect(t.err()).toContain('cannot read profile');
    expect(t.err()).toContain('missing.conf: ENOENT');
  });
  it('names the file and line of an invalid profile', async () => {
    writeFileSync(path.join(dir, 'bad.conf'), '[Interface]\nAddress = 10.0.0.2/32\nMTU = big\n');
    const t = io(dir);
    expect(await runCli(['diagnose', '--profile', './bad.conf'], t.cli)).toBe(2);
    expect(t.err()).toMatch(/bad\.conf:\d+: /);
    expect(t.err()).toContain('longhaul profile check ./bad.conf');
  });
  it('names a broken site file', async () => {
    writeFileSync(path.join(dir, 'site.json'), '{"name": ');
    const t = io(dir);
    expect(await runCli(['diagnose', '--profile', './bad.conf', '--site', './site.json'], t.cli)).toBe(2);
    expect(t.err()).toContain('site.json is not valid JSON');
  });
  it('refuses an unknown stored profile name', async () => {
    const t = io(dir);
    expect(await runCli(['diagnose', '--profile', 'nosuch'], t.cli)).toBe(2);
    expect(t.err()).toContain('no profile named "nosuch"');
  });
});
