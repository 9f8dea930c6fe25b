/**
 * The helper as a Node single-executable application (scripts/build-helper-sea.mjs), built for real into a temp
 * directory from the release-bundled helper and run with an EMPTY environment (no PATH, so no node to find) as an
 * unprivileged user: the SEA starts its own embedded runtime, the bundle's entry check fires, and the helper's
 * argv language answers with its JSON documents and exit codes. Built once (~4 s, ~125 MB, removed afterwards).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleEntry, helperBundle } from '../support/bundle';
import { isRoot, warnSkippedUnlessRoot } from '../support/lab';

warnSkippedUnlessRoot('test/unit/helper-sea.test.ts: its root-only tests are skipped (run as root)');

const ROOT = path.resolve(__dirname, '../..');
const SCRIPT = path.join(ROOT, 'scripts/build-helper-sea.mjs');
const NOBODY = 65534;

let dir = '';
let sea = '';

/** Run the SEA with nothing in its environment, as `nobody` when the test runs as root. */
function runSea(args: string[]): { code: number | null; doc: Record<string, unknown>; stderr: string } {
  const r = spawnSync(sea, args, { env: {}, encoding: 'utf8', timeout: 30_000, ...(isRoot ? { uid: NOBODY, gid: NOBODY } : {}) });
  if (r.error) throw r.error;
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(r.stdout) as Record<string, unknown>;
  } catch {
    throw new Error(`no JSON from the SEA helper (exit ${r.status}): ${r.stdout.slice(0, 400)} ${r.stderr.slice(-800)}`);
  }
  return { code: r.status, doc, stderr: r.stderr };
}

describe('longhaul-helper as a single executable (no Node on PATH)', () => {
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-sea-test-'));
    fs.chmodSync(dir, 0o755); // run as nobody below
    const bundle = await helperBundle(path.join(dir, 'longhaul-helper.cjs'));
    const r = spawnSync(process.execPath, [SCRIPT, bundle, path.join(dir, 'longhaul-helper')], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    sea = path.join(dir, process.platform === 'win32' ? 'longhaul-helper.exe' : 'longhaul-helper');
    fs.rmSync(bundle); // the binary must not need the bundle next to it
  }, 120_000);

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is a standalone executable carrying the SEA blob, built atomically (no temp file left)', () => {
    const st = fs.statSync(sea);
    expect(st.mode & 0o111).not.toBe(0);
    expect(fs.readdirSync(dir)).toEqual(['longhaul-helper']);
    // postject flips the fuse's last character from 0 to 1 ("NODE_SEA_FUSE_…:1").
    const bytes = fs.readFileSync(sea);
    expect(bytes.includes(Buffer.from('NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2:1'))).toBe(true);
  });

  it.skipIf(process.platform === 'win32')('status as non-root: the not-root error, exit 2, nothing on stderr (no SEA warning)', () => {
    const r = runSea(['status']);
    expect(r.code).toBe(2);
    expect(r.doc).toEqual({ schemaVersion: 1, error: { code: 'not-root', message: expect.stringMatching(/must run as root/) } });
    expect(r.stderr).toBe('');
  });

  it.skipIf(process.platform === 'win32')('argument validation: only the three verbs and a stored name', () => {
    for (const args of [[], ['bogus'], ['up'], ['up', '../etc/passwd'], ['up', '-x'], ['down', 'a', 'b'], ['status', 'name-that-is-far-too-long']]) {
      const r = runSea(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect((r.doc.error as { code: string }).code, args.join(' ')).toBe('invalid-arguments');
    }
  });

  it('the build script refuses a missing bundle with the fix, and lists the per-OS targets', () => {
    const bad = spawnSync(process.execPath, [SCRIPT, path.join(dir, 'missing.cjs'), path.join(dir, 'x')], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/missing\.cjs: bundle not found\. Build it first \(npm run build:node/);
    const targets = (p: string) => JSON.parse(spawnSync(process.execPath, [SCRIPT, '--print-targets', p], { encoding: 'utf8' }).stdout) as { kind: string; output: string }[];
    const of = (p: string, kind: string) => targets(p).filter((t) => t.kind === kind).map((t) => t.output);
    expect(of('darwin', 'helper')).toEqual(['dist/helper/mac-${arch}/longhaul-helper', 'dist/helper/mac-${arch}/longhaul-helperd']);
    expect(of('win32', 'helper')).toEqual(['dist/helper/longhaul-helperd.exe']);
    expect(of('linux', 'helper')).toEqual(['dist/helper/longhaul-helper']);
    // The CLI on every OS (test/unit/cli-sea.test.ts runs it).
    expect([of('darwin', 'cli'), of('win32', 'cli'), of('linux', 'cli')]).toEqual([['dist/cli/mac-${arch}/longhaul'], ['dist/cli/longhaul.exe'], ['dist/cli/longhaul']]);
    expect(targets('darwin').length + targets('win32').length + targets('linux').length).toBe(7);
  });
});

// The launchd/Windows daemon (src-main/helper/daemon-main.ts, written in parallel): its bundle's entry must fire in a
// SEA too (main.ts has no entry line of its own: the argv helper's is entry.ts). Started by a non-root user it refuses, exit 2.
const DAEMON_ENTRY = path.join(ROOT, 'src-main/helper/daemon-main.ts');
describe.skipIf(!fs.existsSync(DAEMON_ENTRY) || process.platform === 'win32')('longhaul-helperd as a single executable', () => {
  let ddir = '';
  afterAll(() => {
    if (ddir) fs.rmSync(ddir, { recursive: true, force: true });
  });

  it('starts from its own runtime and refuses a non-root user, exit 2 (argv helper entry silent)', async () => {
    ddir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-sead-test-'));
    fs.chmodSync(ddir, 0o755);
    const bundle = await bundleEntry({ entry: 'src-main/helper/daemon-main.ts', outfile: path.join(ddir, 'longhaul-helperd.cjs'), target: 'node18' });
    const b = spawnSync(process.execPath, [SCRIPT, bundle, path.join(ddir, 'longhaul-helperd')], { encoding: 'utf8', timeout: 120_000 });
    expect(b.status, b.stderr).toBe(0);
    const r = spawnSync(path.join(ddir, 'longhaul-helperd'), [], { env: {}, encoding: 'utf8', timeout: 30_000, ...(isRoot ? { uid: NOBODY, gid: NOBODY } : {}) });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^longhaul-helperd: must be started by root/);
    expect(r.stdout).toBe(''); // main.ts's argv entry did not run in the daemon's bundle
  }, 120_000);
});

