/**
 * The stream watch against the real lab: `longhaul stream` inside the artist namespace with the moonlight-qt stand-in,
 * whose recorded `Network dropped N frames` lines appear mid-stream (MOONLIGHT_STANDIN_LOG_AT_MS). The watch probes
 * the gateway through the real WireGuard tunnel; loss is injected on the real path with iptables
 * (`-m statistic --mode random`, scripts/lab/faults/capacity.ts). With loss the drop is named tunnel loss; on a clean
 * path the same drop is named local (decoder/display). Lab id 8.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labUp, type Lab } from '../../scripts/lab';
import { setDownlinkLoss } from '../../scripts/lab/faults/capacity';
import { createRunner } from '../../src-main/core/platform/runner';
import { cliBundle, isRoot, removeCliBundle } from './checks-helpers';

const ROOT = path.resolve(__dirname, '../..');
const MOONLIGHT = path.join(ROOT, 'scripts/standins/moonlight-standin');
const DROPS = path.join(ROOT, 'test/fixtures/samples/any-moonlight-qt-log-network-dropped-frames-excerpt.txt');
const LAB_ID = 8;
const LOG_AT_MS = 4_000;

if (!isRoot) console.error('\n*** test/lab/stream-watch.test.ts SKIPPED: needs root (network namespaces, wireguard-go) ***\n');

interface Entry { kind: string; frames: number | null; cause: string | null; text: string; evidence: Record<string, unknown> }
interface Doc { session?: { outcome: string; timeline?: Entry[]; watched?: boolean } }

let lab: Lab | null = null;
beforeAll(async () => {
  if (isRoot) lab = await labUp({ id: LAB_ID, scenario: 'farm-healthy' });
}, 300_000);
afterAll(async () => {
  if (lab) await labDown(lab);
  removeCliBundle();
});

async function streamWithDrops(l: Lab): Promise<{ code: number; doc: Doc; stderr: string }> {
  const cli = await cliBundle();
  const args = ['netns', 'exec', l.names.ns.artist, process.execPath, cli, 'stream', l.extra.streamHost as string, '--profile', l.profilePath, '--site', l.extra.sitePath as string, '--moonlight', MOONLIGHT, '--json'];
  const r = await createRunner().run('ip', args, {
    okCodes: 'any',
    timeoutMs: 90_000,
    env: {
      LONGHAUL_DATA_DIR: path.join(l.dir, 'longhaul-data'),
      MOONLIGHT_STANDIN_STATE: path.join(l.dir, 'moonlight-standin.json'),
      MOONLIGHT_STANDIN_ARGV_FILE: argvFile(l),
      MOONLIGHT_STANDIN_LOG: DROPS,
      MOONLIGHT_STANDIN_LOG_AT_MS: String(LOG_AT_MS),
      MOONLIGHT_STANDIN_STREAM_MS: String(LOG_AT_MS + 2_500),
    },
  });
  try {
    return { code: r.code ?? -1, doc: JSON.parse(r.stdout) as Doc, stderr: r.stderr };
  } catch {
    throw new Error(`stream printed no JSON (exit ${r.code}): ${r.stdout.slice(0, 500)} ${r.stderr.slice(-1500)}`);
  }
}

const argvFile = (l: Lab) => path.join(l.dir, 'moonlight-argv.jsonl');

/**
 * How many `stream` invocations the stand-in has seen (it appends {argv, pid} per invocation). Only `stream` counts:
 * Longhaul also runs `--version` (and may list apps) before and while the gate runs, and loss injected then would
 * block the gate instead of hitting the stream.
 */
const streamsStarted = (l: Lab) =>
  fs.existsSync(argvFile(l)) ? fs.readFileSync(argvFile(l), 'utf8').split('\n').filter(Boolean).filter((line) => (JSON.parse(line) as { argv: string[] }).argv[0] === 'stream').length : 0;

/** Resolves once Moonlight (the stand-in) has started streaming. */
async function moonlightStarted(l: Lab, before: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (streamsStarted(l) > before) return;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('Moonlight never started');
}

const drops = (d: Doc) => (d.session?.timeline ?? []).filter((e) => e.kind === 'dropped-frames');

describe.skipIf(!isRoot)('the stream watch in the lab', () => {
  it('loss on the path while Moonlight drops frames: named tunnel loss, with the echoes lost', async () => {
    const l = lab!;
    let r;
    try {
      const before = streamsStarted(l);
      const started = streamWithDrops(l);
      // The gate runs on a clean path (loss would block it); loss starts once Moonlight runs, LOG_AT_MS before the drops.
      await moonlightStarted(l, before);
      await setDownlinkLoss(l, 0.5);
      r = await started;
    } finally {
      await setDownlinkLoss(l, 0);
    }
    expect(r.doc.session?.watched, `${JSON.stringify(r.doc).slice(0, 3000)}\n${r.stderr.slice(-1500)}`).toBe(true);
    const d = drops(r.doc);
    expect(d.map((e) => e.frames)).toEqual([15, 11]);
    for (const e of d) {
      expect(e.cause, JSON.stringify(e.evidence)).toBe('tunnel-loss');
      expect(e.evidence.lost as number).toBeGreaterThan(0);
      expect(e.text).toMatch(/the tunnel lost packets at that moment/);
    }
  }, 120_000);

  it('a clean path: the same drops are named local (decoder/display), with the RTT steady', async () => {
    const r = await streamWithDrops(lab!);
    expect(r.doc.session?.watched, `${JSON.stringify(r.doc).slice(0, 3000)}\n${r.stderr.slice(-1500)}`).toBe(true);
    const d = drops(r.doc);
    expect(d).toHaveLength(2);
    for (const e of d) {
      expect(e.cause, JSON.stringify(e.evidence)).toBe('local');
      expect(e.evidence.lost).toBe(0);
      expect(e.evidence.sent as number).toBeGreaterThanOrEqual(10);
    }
  }, 120_000);
});
