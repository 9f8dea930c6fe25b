/**
 * Stream fitness end to end through the real lab (lab id 72): the built `longhaul` CLI runs INSIDE the artist
 * namespace, measures against the stock `iperf3 -s` (Debian 3.12) on the gateway through the real tunnel
 * (wireguard-go both ends, the relay between), with the downlink capped by tbf (scripts/lab/faults/capacity.ts).
 *
 * - `longhaul capacity --json`: unshaped, the need (1080p60 = 20 Mbit/s) is carried (exit 0, fit = the need); behind a
 *   25 Mbit/s tbf cap the fit lies in [0.6, 0.95] × the cap (docs/capacity.md: ≈ 0.65–0.75), exit 1, and the result
 *   is saved per profile (the report's capacity section reads it: test/unit/report/capacity-section.test.ts).
 * - `longhaul stream --dry-run --json` with the site's capacityProbe behind the cap: the gate's capacity item warns
 *   (stream.capacity-low), and Moonlight's argv carries the fitted `--bitrate`;
 * - a second measurement behind a 10 Mbit/s cap on the same network: `network.fell` and stream.capacity-fell;
 * - with a site without capacityProbe: the capacity item warns stream.capacity-unmeasured — never a pass — and
 *   Moonlight gets the last fit measured on this network (known-good), at most the need.
 *
 * The lab's own ceiling (docs/capacity.md, Lab): when the unshaped path does not carry the need on this machine at
 * this moment, the cap cases are skipped LOUDLY with the figures.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labUp, type Lab } from '../../scripts/lab';
import { setDownlinkShape } from '../../scripts/lab/faults/capacity';
import { createRunner } from '../../src-main/core/platform/runner';
import { cliBundle, isRoot, removeCliBundle } from './checks-helpers';

const ROOT = path.resolve(__dirname, '../..');
const MOONLIGHT = path.join(ROOT, 'scripts/standins/moonlight-standin');
const LAB_ID = 72;
const CAP_MBIT = 25;
/** The second measurement's cap: a fall below 70 % of the first fit (≈ 0.4×). */
const FALL_CAP_MBIT = 10;
const hasIperf3 = createRunner().which('iperf3') !== null;
if (!isRoot) console.error('\n*** test/lab/capacity-stream.test.ts SKIPPED: needs root (network namespaces, wireguard-go) ***\n');
if (isRoot && !hasIperf3) throw new Error('capacity lab tests need iperf3 (bash scripts/setup.sh --system installs it)');

interface Doc {
  status?: string;
  reason?: string;
  downKbps?: number;
  neededKbps?: number;
  bitrateKbps?: number | null;
  verdict?: string;
  limit?: string;
  steps?: { rateKbps: number; receivedKbps: number; lossPercent: number; passed: boolean }[];
  argv?: string[];
  gate?: { id: string; status: string; summary: string; findingCode?: string; fix?: string }[];
  blocked?: boolean;
  capacity?: Doc | null;
  [k: string]: unknown;
}

let lab: Lab | null = null;
let dataDir = '';
beforeAll(async () => {
  if (!isRoot) return;
  lab = await labUp({ id: LAB_ID, scenario: 'stream-capacity' });
  dataDir = path.join(lab.dir, 'longhaul-data');
}, 300_000);
afterAll(async () => {
  if (lab) await labDown(lab);
  removeCliBundle();
});

async function cli(argv: string[]): Promise<{ code: number; doc: Doc; stderr: string }> {
  const r = await createRunner().run('ip', ['netns', 'exec', lab!.names.ns.artist, process.execPath, await cliBundle(), ...argv, '--json'], {
    okCodes: 'any',
    timeoutMs: 120_000,
    env: {
      LONGHAUL_DATA_DIR: dataDir,
      LONGHAUL_SECRET_STORE: 'file',
      MOONLIGHT_STANDIN_STATE: path.join(lab!.dir, 'moonlight-standin.json'),
      MOONLIGHT_STANDIN_ARGV_FILE: path.join(lab!.dir, 'moonlight-argv.jsonl'),
    },
  });
  try {
    return { code: r.code ?? -1, doc: JSON.parse(r.stdout) as Doc, stderr: r.stderr };
  } catch {
    throw new Error(`${argv[0]} printed no JSON (exit ${r.code}): ${r.stdout.slice(0, 500)} ${r.stderr.slice(-1500)}`);
  }
}

const brief = (d: Doc) => `fit ${d.downKbps} kbit/s, limit ${d.limit}, steps ${(d.steps ?? []).map((s) => `${s.rateKbps}→${s.receivedKbps} loss ${s.lossPercent}%`).join(' | ')}`;
const capacity = () => cli(['capacity', '--profile', lab!.profilePath, '--site', lab!.extra.capacitySitePath as string]);
const stream = (site: string) => cli(['stream', lab!.extra.streamHost as string, '--profile', lab!.profilePath, '--site', site, '--moonlight', MOONLIGHT, '--dry-run']);
const item = (d: Doc, id: string) => d.gate?.find((g) => g.id === id);
const valueAfter = (argv: string[], opt: string) => argv[argv.indexOf(opt) + 1];

let labCarriesNeed = false;

/**
 * The artist's saved stream settings (`<data dir>/state/stream.json`). The cap cases stream 1440p60 without 4:4:4:
 * Moonlight's 40 Mbit/s → a first step at 50 Mbit/s, 2 × the cap, the regime of the core's lab test and benchmark
 * (docs/capacity.md). With a need right at the cap (1080p60: first step 25 Mbit/s) the search reads the overloaded
 * step low and this lab fitted 0.59 × the cap once (noted in docs/capacity.md).
 */
function saveSettings(settings: Record<string, unknown> | null): void {
  const file = path.join(dataDir, 'state', 'stream.json');
  if (settings === null) fs.rmSync(file, { force: true });
  else {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, JSON.stringify({ settings }) + '\n', { mode: 0o600 });
  }
}
const LINE_1440P60 = { width: 2560, height: 1440, fps: 60, yuv444: false };

describe.skipIf(!isRoot)('stream fitness through the lab (lab 72)', () => {
  it('unshaped: longhaul capacity --json measures the need (1080p60, 20 Mbit/s) as carried, exit 0', async () => {
    await setDownlinkShape(lab!, null);
    const r = await capacity();
    expect(r.doc.status, r.stderr).toBe('measured');
    expect(r.doc.neededKbps).toBe(20_000);
    expect(r.doc.steps![0]!.rateKbps).toBe(25_000); // need ÷ 0.8: the fit is then exactly the need
    for (const k of ['schemaVersion', 'downKbps', 'lossPercent', 'jitterMs', 'delayGrowthMs', 'durationMs', 'bytes', 'server', 'steps']) expect(r.doc, k).toHaveProperty(k);
    labCarriesNeed = r.doc.steps![0]!.passed;
    if (!labCarriesNeed) {
      console.error(`\n*** LAB CEILING: the unshaped lab path did not carry 25 Mbit/s cleanly right now (${brief(r.doc)}); the ${CAP_MBIT} Mbit/s cap cases are SKIPPED ***\n`);
      return;
    }
    expect(r.code, brief(r.doc)).toBe(0);
    expect(r.doc).toMatchObject({ verdict: 'pass', bitrateKbps: 20_000 });
  }, 180_000);

  it(`behind a ${CAP_MBIT} Mbit/s tbf cap: downKbps in [0.6, 0.95] × cap, exit 1, saved per profile`, async (ctx) => {
    if (!labCarriesNeed) ctx.skip();
    await setDownlinkShape(lab!, { rateMbit: CAP_MBIT, latencyMs: 50 });
    saveSettings(LINE_1440P60);
    const r = await capacity();
    expect(r.doc.neededKbps).toBe(40_000);
    expect(r.doc.status, r.stderr).toBe('measured');
    const share = r.doc.downKbps! / (CAP_MBIT * 1000);
    console.error(`capacity behind ${CAP_MBIT} Mbit/s: ${brief(r.doc)} → ${share.toFixed(3)} × cap`);
    expect(share, brief(r.doc)).toBeGreaterThanOrEqual(0.6);
    expect(share, brief(r.doc)).toBeLessThanOrEqual(0.95);
    expect(r.code).toBe(1);
    expect(r.doc).toMatchObject({ verdict: 'warn', limit: 'capacity' });
    expect(r.doc.bitrateKbps).toBe(Math.floor(r.doc.downKbps! / 100) * 100);
    const profile = path.basename(lab!.profilePath).replace(/\.conf$/, '');
    const saved = JSON.parse(fs.readFileSync(path.join(dataDir, 'state', 'capacity.json'), 'utf8'));
    expect(saved.profiles[profile]).toMatchObject({ status: 'measured', downKbps: r.doc.downKbps });
  }, 240_000);

  it(`the line falls from the ${CAP_MBIT} Mbit/s cap to ${FALL_CAP_MBIT}: the second real measurement on the same network says so (network.fell, stream.capacity-fell)`, async (ctx) => {
    if (!labCarriesNeed) ctx.skip();
    const profile = path.basename(lab!.profilePath).replace(/\.conf$/, '');
    const saved = JSON.parse(fs.readFileSync(path.join(dataDir, 'state', 'capacity.json'), 'utf8')) as { networks: Record<string, Record<string, Doc>> };
    const nets = Object.keys(saved.networks);
    expect(nets, 'the previous case saved its fit under the lab network').toHaveLength(1);
    const before = saved.networks[nets[0]!]![profile]!;
    await setDownlinkShape(lab!, { rateMbit: FALL_CAP_MBIT, latencyMs: 50 });
    saveSettings(LINE_1440P60);
    const r = await capacity();
    expect(r.doc.status, r.stderr).toBe('measured');
    console.error(`capacity behind ${FALL_CAP_MBIT} Mbit/s after ${CAP_MBIT}: ${brief(r.doc)}; network ${JSON.stringify(r.doc.network)}`);
    expect(r.doc.downKbps!, brief(r.doc)).toBeLessThan(0.7 * before.downKbps!);
    expect(r.doc.network).toMatchObject({ id: nets[0], previousKbps: before.downKbps, previousAt: before.measuredAt });
    expect((r.doc.network as { fell: string }).fell).toMatch(/^capacity on this network fell from \d+(\.\d)? to \d+(\.\d)? Mbit\/s since earlier today$/);
    expect(r.doc.findings as { code: string }[]).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'stream.capacity-fell' })]));
  }, 240_000);

  it('stream --dry-run behind the cap: the capacity item warns with measured vs needed, argv carries the fitted --bitrate', async (ctx) => {
    if (!labCarriesNeed) ctx.skip();
    await setDownlinkShape(lab!, { rateMbit: CAP_MBIT, latencyMs: 50 });
    saveSettings(LINE_1440P60);
    const r = await stream(lab!.extra.capacitySitePath as string);
    const cap = item(r.doc, 'capacity');
    expect(cap, JSON.stringify(r.doc.gate)).toBeDefined();
    expect(r.doc.capacity?.status, r.stderr).toBe('measured');
    console.error(`stream gate behind ${CAP_MBIT} Mbit/s: ${cap!.status} ${cap!.summary}; bitrate ${r.doc.bitrateKbps}`);
    expect(cap).toMatchObject({ status: 'warn', findingCode: 'stream.capacity-low' });
    expect(cap!.summary).toMatch(/up to \d+ Mbit\/s.*needs \d+ Mbit\/s/);
    expect(cap!.fix).toMatch(/\d+p\d+ at \d+(\.\d)? Mbit\/s/);
    expect(r.code, r.stderr).toBe(0); // a warning does not block
    expect(r.doc.blocked).toBe(false);
    expect(r.doc.bitrateKbps).toBe(Math.floor(r.doc.capacity!.downKbps! / 100) * 100);
    expect(r.doc.bitrateKbps!).toBeLessThan(r.doc.capacity!.neededKbps!);
    expect(valueAfter(r.doc.argv!, '--bitrate')).toBe(String(r.doc.bitrateKbps));
    expect(valueAfter(r.doc.argv!, '--resolution')).toBe('2560x1440');
    const share = r.doc.capacity!.downKbps! / (CAP_MBIT * 1000);
    expect(share, brief(r.doc.capacity!)).toBeGreaterThanOrEqual(0.6);
    expect(share, brief(r.doc.capacity!)).toBeLessThanOrEqual(0.95);
  }, 300_000);

  it('a site without capacityProbe: the capacity item warns stream.capacity-unmeasured (never a pass); --bitrate is the last fit on this network (known-good), at most the need', async () => {
    await setDownlinkShape(lab!, null);
    saveSettings(null);
    const profile = path.basename(lab!.profilePath).replace(/\.conf$/, '');
    const saved = JSON.parse(fs.readFileSync(path.join(dataDir, 'state', 'capacity.json'), 'utf8')) as { networks: Record<string, Record<string, Doc>> };
    const [net] = Object.keys(saved.networks);
    const last = saved.networks[net!]![profile]!;
    const r = await stream(lab!.extra.sitePath as string);
    expect(r.code, r.stderr).toBe(0);
    expect(r.doc.capacity).toMatchObject({ status: 'unmeasured', reason: 'no-probe', knownGood: { networkId: net, downKbps: last.downKbps, measuredAt: last.measuredAt } });
    const cap = item(r.doc, 'capacity');
    expect(cap).toMatchObject({ status: 'warn', findingCode: 'stream.capacity-unmeasured' });
    expect(cap!.fix).toMatch(/capacityProbe/);
    expect(cap!.summary).toMatch(/the last measurement on this network .* found \d+(\.\d)? Mbit\/s/);
    const need = r.doc.capacity!.neededKbps!;
    expect(r.doc.bitrateKbps).toBe(last.downKbps! >= need ? need : Math.max(500, Math.floor(last.downKbps! / 100) * 100));
    expect(valueAfter(r.doc.argv!, '--bitrate')).toBe(String(r.doc.bitrateKbps));
  }, 300_000);
});
