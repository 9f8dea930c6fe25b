/**
 * Real `--json` documents against docs/schemas/: `profile check` of every profile in test/fixtures/profiles/corpus/
 * (valid and invalid), import/list/remove of real profiles, `policy list` of test/fixtures/policy/policy-list.json,
 * the `diagnose --json` documents recorded from the lab (test/fixtures/cli/), and the capacity result measured from a
 * stock `iperf3 -s` on loopback. Each schema must also reject the same document with a required field removed or a
 * field renamed (top level and nested), so a schema that accepts anything fails here.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureCapacity } from '../../../src-main/core/capacity';
import { createRunner } from '../../../src-main/core/platform/runner';
import { runInProcess, setCliTestEnv } from '../../support/cli-exit-table';
import { acceptedMutations, schemaErrors } from '../../support/cli-schemas';
import { isRoot, warnSkippedUnlessRoot } from '../../support/lab';

warnSkippedUnlessRoot('test/unit/cli/json-outputs.test.ts: its root-only tests are skipped (run as root)');

const FIXTURES = path.resolve(__dirname, '../../fixtures');
const CORPUS = path.join(FIXTURES, 'profiles/corpus');

let dir = '';
let restoreEnv: () => void = () => {};
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-cli-json-'));
  restoreEnv = setCliTestEnv(path.join(dir, 'data'));
});
afterAll(() => {
  restoreEnv();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function json(argv: string[], env: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const r = await runInProcess([...argv, '--json'], { cwd: CORPUS, env: { ...process.env, ...env } });
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

function expectValid(schema: string, doc: unknown): void {
  expect(schemaErrors(schema, doc)).toEqual([]);
}

describe('profile check --json on the whole profile corpus', () => {
  const files = fs.readdirSync(CORPUS).filter((f) => f.endsWith('.conf')).sort();
  it(`all ${files.length} corpus files (valid and invalid) match profile-check.schema.json`, async () => {
    expect(files.length).toBeGreaterThan(200);
    let valid = 0;
    for (const f of files) {
      const doc = await json(['profile', 'check', `./${f}`]);
      expect(schemaErrors('profile-check', doc), f).toEqual([]);
      if (doc.valid) valid++;
    }
    expect(valid).toBeGreaterThan(50);
    expect(valid).toBeLessThan(files.length);
  });

  it('a bundle (entries and site) matches; a document missing or renaming a field does not', async () => {
    const zip = path.join(dir, 'bundle.zip');
    fs.writeFileSync(zip, zipSync({ 'a.conf': fs.readFileSync(path.join(CORPUS, '001-minimal.conf')), 'b.conf': fs.readFileSync(path.join(CORPUS, '002-dns-server.conf')), 'site.json': strToU8('{"name":"London farm","dnsNames":["ws1.farm.test"]}') }));
    const doc = await json(['profile', 'check', zip]);
    expectValid('profile-check', doc);
    expect(doc.entries).toHaveLength(2);
    expect(acceptedMutations('profile-check', doc)).toEqual([]);
    const entries = doc.entries as Record<string, unknown>[];
    const { valid: _v, ...noValid } = entries[0]!;
    expect(schemaErrors('profile-check', { ...doc, entries: [noValid, entries[1]] })).not.toEqual([]);
    const invalid = await json(['profile', 'check', './' + fs.readdirSync(CORPUS).find((f) => /invalid|missing|bad/.test(f))!]);
    expectValid('profile-check', invalid);
    expect(acceptedMutations('profile-check', invalid)).toEqual([]);
  });
});

describe('profile import / list / remove --json', () => {
  it('real documents match their schemas and reject mutations', async () => {
    const imported = await json(['profile', 'import', './013-presharedkey.conf', '--name', 'psk-farm']);
    expectValid('profile-import', imported);
    expect(imported.imported).toEqual(['psk-farm']);
    expect(acceptedMutations('profile-import', imported)).toEqual([]);
    const list = await json(['profile', 'list']);
    expectValid('profile-list', list);
    expect(acceptedMutations('profile-list', list)).toEqual([]);
    const [p] = list.profiles as Record<string, unknown>[];
    expect(schemaErrors('profile-list', { ...list, profiles: [{ ...p, privateKey: 'x' }] }), 'a profile entry is closed: no other field (no key)').not.toEqual([]);
    const removed = await json(['profile', 'remove', 'psk-farm']);
    expectValid('profile-remove', removed);
    expect(acceptedMutations('profile-remove', removed)).toEqual([]);
  });
});

describe('version and errors', () => {
  it('version --json and the error documents match and reject mutations', async () => {
    const v = await json(['version']);
    expectValid('version', v);
    expect(acceptedMutations('version', v)).toEqual([]);
    for (const argv of [['frobnicate'], ['version', 'extra'], ['profile', 'check', './absent.conf']]) {
      const e = await json(argv);
      expectValid('error', e);
      expect(acceptedMutations('error', e)).toEqual([]);
      expect(schemaErrors('version', e), 'an error document is not the command\'s document').not.toEqual([]);
    }
  });
});

describe.skipIf(!isRoot)('policy list --json (the policy fixture; the test override needs root)', () => {
  it('matches policy-list.schema.json (values, refused, unknown keys) and rejects mutations', async () => {
    const file = path.join(dir, 'policy.json');
    fs.writeFileSync(file, fs.readFileSync(path.join(FIXTURES, 'policy/policy-list.json')), { mode: 0o644 });
    const doc = await json(['policy', 'list'], { LONGHAUL_TEST_POLICY_PATH: file });
    expectValid('policy-list', doc);
    expect(doc.unknownKeys).toEqual([{ source: file, key: 'colour' }]);
    expect(acceptedMutations('policy-list', doc)).toEqual([]);
    const [first] = doc.values as Record<string, unknown>[];
    const { locked: _l, ...noLocked } = first!;
    expect(schemaErrors('policy-list', { ...doc, values: [noLocked] })).not.toEqual([]);
    fs.chmodSync(file, 0o666);
    const refused = await json(['policy', 'list'], { LONGHAUL_TEST_POLICY_PATH: file });
    expectValid('policy-list', refused);
    expect(refused.refused).toHaveLength(1);
  });
});

describe('diagnose --json documents recorded in the lab (test/fixtures/cli/)', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'cli/manifest.json'), 'utf8')) as Record<string, { exitCode: number }>;
  it.each(Object.keys(manifest).map((n) => [n] as const))('%s matches its schema (diagnose, or error for exit 2) and rejects mutations', (name) => {
    const doc = JSON.parse(fs.readFileSync(path.join(FIXTURES, `cli/${name}.json`), 'utf8')) as Record<string, unknown>;
    const schema = manifest[name]!.exitCode === 2 ? 'error' : 'diagnose';
    expectValid(schema, doc);
    expect(acceptedMutations(schema, doc)).toEqual([]);
    if (schema === 'diagnose') {
      const checks = doc.checks as Record<string, unknown>[];
      const { status: _s, ...noStatus } = checks[0]!;
      expect(schemaErrors('diagnose', { ...doc, checks: [noStatus, ...checks.slice(1)] })).not.toEqual([]);
      expect(schemaErrors('diagnose', { ...doc, verdict: 'fine' })).not.toEqual([]);
      const findings = doc.findings as Record<string, unknown>[];
      if (findings.length > 0) {
        const { code, ...rest } = findings[0]!;
        expect(schemaErrors('diagnose', { ...doc, findings: [{ ...rest, findingCode: code }] })).not.toEqual([]);
      }
    }
  });
});

const hasIperf3 = createRunner().which('iperf3') !== null;
if (!hasIperf3) console.warn('\n*** test/unit/cli/json-outputs.test.ts: the capacity schema check SKIPPED: no iperf3 (apt-get install iperf3) ***\n');

describe.skipIf(!hasIperf3)('capacity.schema.json against a real measurement (stock iperf3 -s on loopback)', () => {
  let server: ChildProcess | null = null;
  afterAll(() => {
    server?.kill('SIGTERM');
  });
  it('{schemaVersion: 1, ...measureCapacity()} matches, mutations do not (the CLI command is TO BE WIRED at the merge with cap-int)', async () => {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    server = spawn('iperf3', ['-s', '-1', '-B', '127.0.0.1', '-p', String(port), '--forceflush'], { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      server!.stdout!.on('data', (b: Buffer) => b.toString().includes('listening') && resolve());
      server!.once('exit', (c) => reject(new Error(`iperf3 -s exited ${c}`)));
    });
    const r = await measureCapacity({ host: '127.0.0.1', ports: [port], targetKbps: 4000, packetSize: 1024, fps: 60 });
    const doc = JSON.parse(JSON.stringify({ schemaVersion: 1, ...r })) as Record<string, unknown>;
    expectValid('capacity', doc);
    expect((doc.steps as unknown[]).length).toBeGreaterThan(0);
    expect(acceptedMutations('capacity', doc)).toEqual([]);
    const steps = doc.steps as Record<string, unknown>[];
    const { passed: _p, ...noPassed } = steps[0]!;
    expect(schemaErrors('capacity', { ...doc, steps: [noPassed] })).not.toEqual([]);
  }, 60_000);
});
