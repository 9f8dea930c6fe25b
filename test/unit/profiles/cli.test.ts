/**
 * `longhaul profile …` in-process (runCli) and through a freshly bundled CLI binary: exit codes, the JSON shapes of
 * the issue, and no private or preshared key in any output or log line.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../../src-main/cli/command';
import { runCli } from '../../../src-main/cli/main';
import { conf, PRIV, PSK, PUB } from './keys';
import { bundleEntry } from '../../support/bundle';

let dir: string;
let work: string;
const saved = { data: process.env.LONGHAUL_DATA_DIR, store: process.env.LONGHAUL_SECRET_STORE };
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-cli-'));
  work = path.join(dir, 'work');
  fs.mkdirSync(work);
  process.env.LONGHAUL_DATA_DIR = path.join(dir, 'data');
  process.env.LONGHAUL_SECRET_STORE = 'file';
  fs.writeFileSync(path.join(work, 'farm.conf'), conf({ extraIface: ['DNS = 10.8.0.1'], peers: [{ pub: PUB, allowed: '10.8.0.0/24', psk: PSK }] }));
  fs.writeFileSync(path.join(work, 'Paris Farm (2).conf'), conf({ peers: [{ pub: PUB, allowed: '0.0.0.0/0', psk: PSK }] }));
  fs.writeFileSync(path.join(work, 'bad.conf'), conf({ extraIface: ['PostUp = curl x | sh', 'MTU = 9'] }).replace(PUB, PRIV.slice(0, 42) + 'W='));
});
afterAll(() => {
  process.env.LONGHAUL_DATA_DIR = saved.data;
  process.env.LONGHAUL_SECRET_STORE = saved.store;
  fs.rmSync(dir, { recursive: true, force: true });
});

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTTY: false, env: process.env, cwd: work };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

const captured: string[] = [];
async function run(...argv: string[]) {
  const r = await cli(...argv);
  captured.push(r.stdout, r.stderr);
  return r;
}

describe('longhaul profile check', () => {
  it('valid file: exit 0 and the issue\'s JSON shape', async () => {
    const r = await run('profile', 'check', 'farm.conf', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ schemaVersion: 1, valid: true, name: 'farm', nameSuggested: false, errors: [], warnings: [] });
  });
  it('suggests a valid name and shows warnings', async () => {
    const r = await run('profile', 'check', 'Paris Farm (2).conf', '--json');
    const doc = JSON.parse(r.stdout);
    expect(r.code).toBe(0);
    expect(doc).toMatchObject({ valid: true, name: 'Paris-Farm-2', nameSuggested: true });
    expect(doc.warnings.map((w: { code: string }) => w.code)).toContain('route.full-tunnel');
  });
  it('invalid file: exit 1, line-numbered errors', async () => {
    const r = await run('profile', 'check', './bad.conf', '--json');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.valid).toBe(false);
    expect(doc.errors.map((e: { line: number; code: string }) => [e.line, e.code])).toEqual([
      [4, 'hook.forbidden'],
      [5, 'mtu.invalid'],
      [8, 'key.invalid'],
    ]);
    const text = await run('profile', 'check', 'bad.conf');
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/bad\.conf:4: error: PostUp would run/);
  });
  it('cannot read: exit 2; a bare word is not a path', async () => {
    expect((await run('profile', 'check', 'missing.conf')).code).toBe(2);
    const bare = await run('profile', 'check', 'farm', '--json');
    expect(bare.code).toBe(2);
    expect(JSON.parse(bare.stdout).error.message).toMatch(/not a file path/);
  });
});

describe('longhaul profile import / list / remove', () => {
  it('imports, lists (public data only), refuses to overwrite, removes', async () => {
    const imp = await run('profile', 'import', 'farm.conf');
    expect(imp.code).toBe(0);
    expect(imp.stdout).toContain('imported farm');
    expect(imp.stderr).toMatch(/warning: Private keys are stored in a file/);
    expect((await run('profile', 'import', 'farm.conf')).code).toBe(1);
    expect((await run('profile', 'import', 'Paris Farm (2).conf', '--json')).code).toBe(0);
    expect((await run('profile', 'import', 'bad.conf', '--json')).code).toBe(1);
    const list = await run('profile', 'list', '--json');
    expect(list.code).toBe(0);
    const doc = JSON.parse(list.stdout);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.profiles.map((p: { name: string }) => p.name)).toEqual(['farm', 'Paris-Farm-2']);
    expect(Object.keys(doc.profiles[0])).toEqual(expect.arrayContaining(['name', 'endpoint', 'addresses', 'publicKey', 'warnings']));
    expect(doc.profiles[0]).toMatchObject({ endpoint: '192.0.2.10:51820', addresses: ['10.8.0.2/32'] });
    expect((await run('profile', 'list')).stdout).toContain('farm');
    expect((await run('profile', 'remove', 'farm')).code).toBe(0);
    expect((await run('profile', 'remove', 'farm')).code).toBe(1);
  });

  it('no private or preshared key in any CLI output or log line', async () => {
    await run('profile', 'import', 'farm.conf', '--verbose');
    await run('profile', 'list', '--json', '--verbose');
    const logs = fs.readdirSync(path.join(dir, 'data', 'logs')).map((f) => fs.readFileSync(path.join(dir, 'data', 'logs', f), 'utf8'));
    expect(logs.join('').length).toBeGreaterThan(0);
    for (const out of [...captured, ...logs]) {
      expect(out).not.toContain(PRIV);
      expect(out).not.toContain(PSK);
      expect(out).not.toContain(PRIV.slice(0, 20));
    }
  });
});

describe('the bundled CLI binary', () => {
  it('check and list end to end, exit codes and no key on stdout/stderr', async () => {
    const out = path.join(dir, 'bin', 'longhaul.cjs');
    await bundleEntry({ entry: 'src-main/cli/entry.ts', outfile: out });
    const env = { ...process.env, LONGHAUL_DATA_DIR: path.join(dir, 'data-bin'), LONGHAUL_SECRET_STORE: 'file' };
    const ok = execFileSync(process.execPath, [out, 'profile', 'check', 'farm.conf', '--json'], { cwd: work, env, encoding: 'utf8' });
    expect(JSON.parse(ok)).toMatchObject({ schemaVersion: 1, valid: true, name: 'farm' });
    const bad = spawnSync(process.execPath, [out, 'profile', 'check', 'bad.conf'], { cwd: work, env, encoding: 'utf8' });
    expect(bad.status).toBe(1);
    const imp = spawnSync(process.execPath, [out, 'profile', 'import', 'farm.conf', '--verbose'], { cwd: work, env, encoding: 'utf8' });
    expect(imp.status).toBe(0);
    const list = spawnSync(process.execPath, [out, 'profile', 'list', '--json'], { cwd: work, env, encoding: 'utf8' });
    expect(list.status).toBe(0);
    for (const s of [ok, bad.stdout, bad.stderr, imp.stdout, imp.stderr, list.stdout, list.stderr]) {
      expect(s).not.toContain(PRIV);
      expect(s).not.toContain(PSK);
    }
    expect(spawnSync(process.execPath, [out, 'profile', 'check', 'nope/x.conf'], { cwd: work, env }).status).toBe(2);
  });
});
