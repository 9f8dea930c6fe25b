/**
 * test/support/runner-main.ts as the lab runners use it: bundled (esbuild, as the lab tests bundle their runners) and
 * run as its own process — the document on stdout, exit 0; a failure's label and stack on stderr, its exit code.
 * Environment: plain Node (vitest).
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleEntry } from '../support/bundle';

const SUPPORT = path.resolve(__dirname, '../support/runner-main.ts');
let dir: string;

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

async function runEntry(name: string, body: string): Promise<Outcome> {
  const entry = path.join(dir, `${name}.ts`);
  fs.writeFileSync(entry, `import { runMain } from ${JSON.stringify(SUPPORT)};\n${body}\n`);
  const out = await bundleEntry({ entry, outfile: path.join(dir, `${name}.cjs`) });
  return await new Promise((resolve) => {
    execFile(process.execPath, [out], { timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
    });
  });
}

describe('runMain (the lab runners\' ending)', () => {
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-runner-main-'));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prints the document as one JSON line and exits 0, even with a timer still pending', async () => {
    const r = await runEntry('ok', `setTimeout(() => {}, 60_000);\nrunMain(async () => ({ ok: true, list: [1, 'two'] }));`);
    expect(r).toEqual({ code: 0, stdout: '{"ok":true,"list":[1,"two"]}\n', stderr: '' });
  });

  it('a failure: "runner failed: <stack>" on stderr, nothing on stdout, exit 1', async () => {
    const r = await runEntry('fail', `runMain(async () => { throw new Error('lab 99 is not up'); });`);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^runner failed: Error: lab 99 is not up\n {4}at /);
  });

  it('a failure with the runner\'s own label and exit code; a thrown non-Error is still named', async () => {
    const r = await runEntry('label', `runMain(async () => { throw 'plain text'; }, { label: 'cli-json-runner', failCode: 3 });`);
    expect(r).toEqual({ code: 3, stdout: '', stderr: 'cli-json-runner: plain text\n' });
  });

  it('a document that cannot be written as JSON is a failure, not a half-printed line', async () => {
    const r = await runEntry('bigint', `runMain(async () => ({ n: 1n }));`);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^runner failed: TypeError: .*BigInt/);
  });
});
