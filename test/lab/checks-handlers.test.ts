/**
 * The `checks.*` contract handlers against the lab's blackhole, in the artist namespace: run → mtu.blackhole (fixable)
 * → Apply fix stores the MTU override, reconnects with it and the re-run is healthy; cancel ends a run. Lab id 22.
 */
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labUp, type Lab } from '../../scripts/lab';
import { expectedInnerMtu } from '../../src-main/core/net/packet-size';
import { createRunner } from '../../src-main/core/platform/runner';
import { isRoot } from './checks-helpers';

if (!isRoot) console.warn('\n*** SKIPPED: self-check handler lab tests need root ***\n');
const d = isRoot ? describe : describe.skip;

interface RunnerDoc {
  imported: string[];
  checkIds: string[];
  progress: number;
  first: { verdict: string; codes: string[]; pathMtu: number | null; fixable: string[] };
  lastIsFirst: boolean;
  fix: { profile: string; mtuOverride: number; reconnected: boolean; newRunId: string | null };
  reconnectMtu: string | null;
  mtuOverride: number | null;
  second: { verdict: string; codes: string[]; pathMtu: number | null } | null;
  inFlight: { cancelled: boolean };
  cancel: { cancelled: boolean };
  cancelled: { cancelled: boolean };
}

async function runHandlers(lab: Lab, env: Record<string, string> = {}): Promise<RunnerDoc> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'longhaul-handlers-'));
  const out = path.join(work, 'runner.cjs');
  await build({ entryPoints: [path.join(__dirname, 'checks-handlers-runner.ts')], outfile: out, bundle: true, platform: 'node', target: 'node22', format: 'cjs', logLevel: 'error' });
  const r = await createRunner().run('ip', ['netns', 'exec', lab.names.ns.artist, process.execPath, out, lab.profilePath, lab.extra.sitePath as string, work], {
    timeoutMs: 90_000,
    okCodes: 'any',
    env: { LONGHAUL_DATA_DIR: path.join(work, 'data'), LONGHAUL_SECRET_STORE: 'file', ...env },
  });
  rmSync(work, { recursive: true, force: true }); // its data dir holds the profile's private key (0600)
  if (r.code !== 0) throw new Error(`runner exited ${r.code}: ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout) as RunnerDoc;
}

d('checks.* handlers: Apply fix turns a blackhole healthy', () => {
  let lab: Lab | undefined;
  let doc: RunnerDoc;
  beforeAll(async () => {
    lab = await labUp({ id: 22, scenario: 'farm-blackhole', capBytes: 1400 });
    doc = await runHandlers(lab);
  });
  afterAll(async () => {
    if (lab) await labDown(lab);
  });

  it('runs every check and streams progress', () => {
    expect(doc.imported).toEqual(['lh22art']);
    expect(doc.checkIds).toEqual(['tunnel', 'icmp', 'dns-tunnel', 'dns-system', 'path-mtu', 'tls', 'sunshine-ports', 'route-conflict']);
    expect(doc.progress).toBeGreaterThanOrEqual(16 * 2);
    expect(doc.lastIsFirst).toBe(true);
  });
  it('finds the blackhole and offers the fix', () => {
    expect(doc.first).toMatchObject({ verdict: 'broken', codes: ['mtu.blackhole'], pathMtu: expectedInnerMtu(1420, 1400), fixable: ['mtu.blackhole'] });
  });
  it('stores the MTU override, reconnects with it, and the re-run is healthy', () => {
    const mtu = expectedInnerMtu(1420, 1400);
    expect(doc.fix).toMatchObject({ profile: 'lh22art', mtuOverride: mtu, reconnected: true });
    expect(doc.mtuOverride).toBe(mtu);
    expect(doc.reconnectMtu).toBe(String(mtu));
    expect(doc.second).toMatchObject({ verdict: 'healthy', codes: [], pathMtu: mtu });
    // The run that was still going when the fix reconnected ends cancelled: its verdict (measured across the
    // reconnect) would have said the fix failed, after the fresh run said it worked.
    expect(doc.inFlight).toMatchObject({ cancelled: true });
  });
  it('cancels a run', () => {
    expect(doc.cancel.cancelled).toBe(true);
    expect(doc.cancelled.cancelled).toBe(true);
  });
});

d('checks.applyFix with the default reconnect (the tunnel domain\'s down/up)', () => {
  let lab: Lab | undefined;
  let doc: RunnerDoc;
  beforeAll(async () => {
    lab = await labUp({ id: 23, scenario: 'farm-blackhole', capBytes: 1337 });
    doc = await runHandlers(lab, { LONGHAUL_TEST_DEFAULT_RECONNECT: '1' });
  });
  afterAll(async () => {
    if (lab) await labDown(lab);
  });
  it('reconnects through the tunnel domain and the re-run is healthy at the new MTU', () => {
    const mtu = expectedInnerMtu(1420, 1337);
    expect(doc.first).toMatchObject({ codes: ['mtu.blackhole'], pathMtu: mtu });
    expect(doc.fix).toMatchObject({ mtuOverride: mtu, reconnected: true });
    expect(doc.second).toMatchObject({ verdict: 'healthy', codes: [], pathMtu: mtu });
  });
});
