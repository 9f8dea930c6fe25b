/**
 * The CLI's `--json` documents against the real lab (lab ids 81–83; root): `runCli` in-process INSIDE the artist
 * namespace (cli-json-runner.ts, bundled), for diagnose, up, status, down, stream --dry-run, sunshine probe and
 * report. Every document must match its schema in docs/schemas/ (and a copy with a required field removed or any field
 * renamed must not), and every exit code must be the one docs/cli.md's table gives (its `lab` rows,
 * test/lab/cli-json-cases.ts).
 */
import { build } from 'esbuild';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labUp, setRelay, type Lab } from '../../scripts/lab';
import { createRunner } from '../../src-main/core/platform/runner';
import { exitTable, rowKey } from '../support/cli-exit-table';
import { acceptedMutations, schemaErrors } from '../support/cli-schemas';
import { LAB_EXIT_CASES } from './cli-json-cases';
import { isRoot, warnSkippedUnlessRoot } from '../support/lab';

warnSkippedUnlessRoot('test/lab/cli-json.test.ts needs root (namespaces, wireguard-go)');

const ROOT = path.resolve(__dirname, '../..');
const MOONLIGHT = path.join(ROOT, 'scripts/standins/moonlight-standin');
const TABLE = new Map(exitTable().map((r) => [rowKey(r.command, r.exit), r]));

interface Run {
  argv: string[];
  code: number;
  stdout: string;
  stderr: string;
}

let work = '';
let runnerFile = '';
const proved = new Set<string>();
const labs: Lab[] = [];

/** Run each argument list through runCli inside the lab's artist namespace (one process, in order). */
async function inLab(lab: Lab, runs: string[][], dataDir = path.join(lab.dir, 'cli-json-data')): Promise<Run[]> {
  const list = path.join(work, `runs-${lab.id}-${Date.now()}.json`);
  fs.writeFileSync(list, JSON.stringify(runs));
  const r = await createRunner().run('ip', ['netns', 'exec', lab.names.ns.artist, process.execPath, runnerFile, list], {
    okCodes: 'any',
    timeoutMs: 240_000,
    env: {
      LONGHAUL_DATA_DIR: dataDir,
      LONGHAUL_SECRET_STORE: 'file',
      MOONLIGHT_STANDIN_STATE: path.join(lab.dir, 'moonlight-standin.json'),
      MOONLIGHT_STANDIN_ARGV_FILE: path.join(lab.dir, 'moonlight-argv.jsonl'),
    },
  });
  if (r.code !== 0) throw new Error(`cli-json-runner exited ${r.code}: ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout) as Run[];
}

/** The document matches its schema, mutations of it do not, and the exit code is the table's for `key`. */
function expectDocumented(key: (typeof LAB_EXIT_CASES)[number], schema: string, run: Run, privateKey: string): Record<string, unknown> {
  const row = TABLE.get(key);
  expect(row, `docs/cli.md has the row ${key}`).toBeDefined();
  expect(run.code, `${run.argv.join(' ')}: exit code per docs/cli.md (${key}); stderr: ${run.stderr.slice(-800)}`).toBe(row!.exit);
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(run.stdout) as Record<string, unknown>;
  } catch {
    throw new Error(`${run.argv.join(' ')}: stdout is not one JSON document: ${run.stdout.slice(0, 300)} ${run.stderr.slice(-800)}`);
  }
  expect(schemaErrors(schema, doc), `${run.argv.join(' ')} against docs/schemas/${schema}.schema.json`).toEqual([]);
  expect(acceptedMutations(schema, doc), `${schema}: a document with a field removed or renamed must not validate`).toEqual([]);
  expect(run.stdout).not.toContain(privateKey);
  proved.add(key);
  return doc;
}

describe.skipIf(!isRoot)('CLI --json documents in the lab match docs/schemas and docs/cli.md exit codes', () => {
  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-cli-json-'));
    fs.chmodSync(work, 0o755);
    runnerFile = path.join(work, 'runner.cjs');
    await build({ entryPoints: [path.join(__dirname, 'cli-json-runner.ts')], outfile: runnerFile, bundle: true, platform: 'node', target: 'node22', format: 'cjs', logLevel: 'error' });
  }, 60_000);
  afterAll(async () => {
    for (const lab of labs) await labDown(lab);
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('farm-healthy (lab 81): diagnose 0 / 1 (no site), stream 0 (--dry-run and launched), sunshine probe 0, report 0', async () => {
    const lab = await labUp({ id: 81, scenario: 'farm-healthy' });
    labs.push(lab);
    const site = lab.extra.sitePath as string;
    const host = lab.extra.streamHost as string;
    const out = path.join(work, 'reports-81');
    fs.mkdirSync(out);
    const [healthy, noSite, dry, launched, probe, report] = await inLab(lab, [
      ['diagnose', '--profile', lab.profilePath, '--site', site, '--json'],
      ['diagnose', '--profile', lab.profilePath, '--json'],
      ['stream', host, '--profile', lab.profilePath, '--site', site, '--moonlight', MOONLIGHT, '--dry-run', '--json'],
      ['stream', host, '--profile', lab.profilePath, '--site', site, '--moonlight', MOONLIGHT, '--json'],
      ['sunshine', 'probe', host, '--json'],
      ['report', '--profile', lab.profilePath, '--site', site, '--out', out, '--json'],
    ]) as [Run, Run, Run, Run, Run, Run];
    const key = lab.keys.artist.privateKey;
    expect(expectDocumented('diagnose|0', 'diagnose', healthy, key).verdict).toBe('healthy');
    expect(expectDocumented('diagnose|1', 'diagnose', noSite, key).verdict).toBe('degraded');
    expect(expectDocumented('stream|0', 'stream', dry, key)).toMatchObject({ dryRun: true, blocked: false });
    // launched (the moonlight-qt stand-in): the same document with the finished session
    expect((expectDocumented('stream|0', 'stream', launched, key).session as { outcome: string }).outcome).toBe('ended');
    expect(expectDocumented('sunshine probe|0', 'sunshine-probe', probe, key).result).toBe('ok');
    const rep = expectDocumented('report|0', 'report', report, key);
    expect(fs.existsSync(rep.path as string)).toBe(true);
  }, 400_000);

  it('basic (lab 82): up 0, status 0, down 0; UDP blocked: up 1 (no handshake), status 1', async () => {
    const lab = await labUp({ id: 82 });
    labs.push(lab);
    const name = lab.names.profileName;
    const key = lab.keys.artist.privateKey;
    const data = path.join(lab.dir, 'cli-json-data');
    const [up, status, down] = await inLab(lab, [
      ['up', lab.profilePath, '--wait', '15', '--json'],
      ['status', name, '--json'],
      ['down', name, '--json'],
    ], data) as [Run, Run, Run];
    expect((expectDocumented('up|0', 'status', up, key).tunnels as { state: string }[])[0]!.state).toBe('connected');
    expect((expectDocumented('status|0', 'status', status, key).tunnels as { state: string }[])[0]!.state).toBe('connected');
    expect((expectDocumented('down|0', 'status', down, key).tunnels as { state: string }[])[0]!.state).toBe('disconnected');

    await setRelay(lab, { block: true });
    try {
      const [noHandshake, stuck] = await inLab(lab, [
        ['up', lab.profilePath, '--wait', '3', '--json'],
        ['status', name, '--json'],
      ], data) as [Run, Run];
      expect((expectDocumented('up|1', 'status', noHandshake, key).tunnels as { reason: string }[])[0]!.reason).toBe('no-handshake');
      const t = (expectDocumented('status|1', 'status', stuck, key).tunnels as { state: string; reason: string | null }[])[0]!;
      expect(t.state === 'connected' && t.reason === null).toBe(false);
    } finally {
      await inLab(lab, [['down', name, '--json']], data);
      await setRelay(lab, { block: false });
    }
  }, 400_000);

  it('farm-blackhole (lab 83): diagnose 1 (broken), stream --dry-run 1 (the gate blocks)', async () => {
    const lab = await labUp({ id: 83, scenario: 'farm-blackhole' });
    labs.push(lab);
    const site = lab.extra.sitePath as string;
    const host = lab.extra.streamHost as string;
    const key = lab.keys.artist.privateKey;
    const [broken, blocked] = await inLab(lab, [
      ['diagnose', '--profile', lab.profilePath, '--site', site, '--json'],
      ['stream', host, '--profile', lab.profilePath, '--site', site, '--moonlight', MOONLIGHT, '--dry-run', '--json'],
    ]) as [Run, Run];
    const d = expectDocumented('diagnose|1', 'diagnose', broken, key);
    const s = expectDocumented('stream|1', 'stream', blocked, key);
    // The finding itself is checks-scenarios.test.ts's to prove; here the documents and codes of a broken tunnel.
    const errors = (d.findings as { code: string; severity: string }[]).filter((f) => f.severity === 'error').map((f) => f.code);
    console.error(`cli-json lab 83: diagnose error findings ${errors.join(', ')}; gate ${(s.gate as { id: string; status: string }[]).map((g) => `${g.id}/${g.status}`).join(' ')}`);
    expect(d.verdict).toBe('broken');
    expect(errors.length).toBeGreaterThan(0);
    expect(s.blocked).toBe(true);
  }, 400_000);

  it('every lab row of docs/cli.md was proved above', () => {
    expect([...proved].sort()).toEqual([...LAB_EXIT_CASES].sort());
  });
});
