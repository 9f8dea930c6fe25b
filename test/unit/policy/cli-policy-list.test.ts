import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../../src-main/cli/command';
import { runCli } from '../../../src-main/cli/main';
import { REDACTED_PATH } from '../../../src-main/core/policy/listing';
import { isRoot, tempDir, writeFile } from './helpers';

function io(env: Record<string, string | undefined>) {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIO = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTTY: false, env, cwd: process.cwd() };
  return { io: value, stdout: () => out.join(''), stderr: () => err.join('') };
}

describe.skipIf(!isRoot)('longhaul policy list (test override file, root)', () => {
  let dir: string;
  const saved = { build: process.env.LONGHAUL_TEST_BUILD, data: process.env.LONGHAUL_DATA_DIR };
  beforeAll(() => {
    dir = tempDir();
    process.env.LONGHAUL_TEST_BUILD = '1';
    process.env.LONGHAUL_DATA_DIR = path.join(dir, 'data');
  });
  afterAll(() => {
    for (const [k, v] of [['LONGHAUL_TEST_BUILD', saved.build], ['LONGHAUL_DATA_DIR', saved.data]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('--json prints values with sources and locks, redacts site paths, reports unknown keys; exit 0', async () => {
    const file = writeFile(
      path.join(dir, 'policy.json'),
      JSON.stringify({ managedByName: 'Northlight VFX IT', requireGate: true, sites: ['/srv/longhaul/secret-site.zip'], colour: 'blue' }),
    );
    const t = io({ LONGHAUL_TEST_POLICY_PATH: file });
    const code = await runCli(['policy', 'list', '--json'], t.io);
    expect(code).toBe(0);
    const doc = JSON.parse(t.stdout());
    expect(doc.schemaVersion).toBe(1);
    expect(doc.values).toContainEqual({ key: 'requireGate', value: true, source: file, locked: true });
    expect(doc.values).toContainEqual({ key: 'managedByName', value: 'Northlight VFX IT', source: file, locked: true });
    expect(doc.values).toContainEqual({ key: 'sites', value: [REDACTED_PATH], source: file, locked: true });
    expect(doc.values).toContainEqual({ key: 'autoConnect', value: false, source: 'default', locked: false });
    expect(doc.refused).toEqual([]);
    expect(doc.unknownKeys).toEqual([{ source: file, key: 'colour' }]);
    expect(t.stdout()).not.toContain('secret-site');
  });

  it('--json shows a refused source with its reason; exit 1', async () => {
    const file = writeFile(path.join(dir, 'bad.json'), JSON.stringify({ requireGate: true }), 0o666);
    const t = io({ LONGHAUL_TEST_POLICY_PATH: file });
    const code = await runCli(['policy', 'list', '--json'], t.io);
    expect(code).toBe(1);
    const doc = JSON.parse(t.stdout());
    expect(doc.refused).toEqual([{ source: file, reason: expect.stringMatching(/writable by group or others/) }]);
    expect(doc.values.every((v: { locked: boolean }) => !v.locked)).toBe(true);
  });

  it('prints a readable table without --json', async () => {
    const file = writeFile(path.join(dir, 'ok.json'), JSON.stringify({ autoConnect: true }));
    const t = io({ LONGHAUL_TEST_POLICY_PATH: file });
    expect(await runCli(['policy', 'list'], t.io)).toBe(0);
    expect(t.stdout()).toMatch(new RegExp(`autoConnect\\s+true\\s+\\(locked by ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)`));
    expect(t.stdout()).toMatch(/requireGate\s+false\s+\(default\)/);
  });
});
