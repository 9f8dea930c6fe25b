/**
 * Stream fitness against the real `iperf3 -s` (Debian 3.12) on the lab gateway, measured from the artist namespace
 * through the real tunnel (wireguard-go both ends, the relay between). The downlink is shaped with tbf and iptables
 * (scripts/lab/faults/capacity.ts). Lab id 70.
 *
 * Expected intervals: the fit lies in [0.6, 0.95] × the tbf cap. The cap counts WireGuard's wire bytes, so the
 * payload the tunnel can carry is ≤ 1040/1146 = 0.91 × the cap (capacity.ts); the search's second step runs at
 * 0.9 × the delivered rate, and the fit is 0.8 × that: ≈ 0.65–0.75 × the cap.
 *
 * The lab's own path has a ceiling: its relay is one Node process, and on a 2-core VM it does not forward 100 Mbit/s
 * of frame bursts cleanly (4.9 % loss at 90 Mbit/s, paced; 1.3 % at 42). So the 50 and 100 Mbit/s cases run on a
 * second lab (73) whose path namespace forwards WireGuard in the kernel (scenario capacity-kernel-path). Each cap case first checks that
 * the lab path carries what the cap lets through (capCase); when it does not, the case is skipped LOUDLY with the
 * probe's figures.
 */
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { labDown, labUp, relayStats, setRelay, type Lab } from '../../scripts/lab';
import { DEEP_QUEUE, setDownlinkLoss, setDownlinkShape, type DownlinkShape } from '../../scripts/lab/faults/capacity';
import type { CapacityOptions, CapacityResult } from '../../src-main/core/capacity';
import { createRunner } from '../../src-main/core/platform/runner';
import { isRoot, warnSkippedUnlessRoot } from '../support/lab';

const hasIperf3 = createRunner().which('iperf3') !== null;
warnSkippedUnlessRoot('capacity lab tests need root');
if (isRoot && !hasIperf3) throw new Error('capacity lab tests need iperf3 (bash scripts/setup.sh --system installs it)');
const d = isRoot ? describe : describe.skip;

const ID = 70;
/** Payload share of the wire bytes tbf counts for a 1040-byte iperf3 payload through WireGuard (capacity.ts). */
const PAYLOAD_SHARE = 1040 / 1146;

type Outcome = { ok: true; result: CapacityResult } | { ok: false; code: string; message: string };

let lab: Lab | undefined;
let work = '';
let runnerJs = '';

async function measure(opts: Partial<CapacityOptions>, on: Lab = lab!): Promise<Outcome> {
  const full: CapacityOptions = { host: on.names.addr.gatewayTunnel, ports: [5201, 5202], targetKbps: 20_000, packetSize: 1024, fps: 60, ...opts };
  const r = await createRunner().run('ip', ['netns', 'exec', on.names.ns.artist, process.execPath, runnerJs, JSON.stringify(full)], { timeoutMs: 60_000, okCodes: 'any' });
  if (r.code !== 0) throw new Error(`capacity runner exited ${r.code}: ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout) as Outcome;
}

async function fit(opts: Partial<CapacityOptions>, on: Lab = lab!): Promise<CapacityResult> {
  const o = await measure(opts, on);
  if (!o.ok) throw new Error(`measurement failed: ${o.code}: ${o.message}`);
  return o.result;
}

const brief = (r: CapacityResult) => `fit ${r.downKbps} kbit/s, limit ${r.limit}, steps ${r.steps.map((s) => `${s.rateKbps}→${s.receivedKbps} loss ${s.lossPercent}% growth ${s.delayGrowthMs} ms`).join(' | ')}`;

/**
 * A tbf cap case: first check that the lab path itself carries all the payload this cap lets through (otherwise the
 * cap is not the bottleneck and the case proves nothing about it: skipped LOUDLY), then shape and fit. The check runs
 * behind a shaper at 1.5 × the cap, which paces the frame bursts as the cap's own shaper will: unpaced, a 100 Mbit/s
 * burst (≈ 200 datagrams at veth speed) overflows the artist's wireguard-go socket, which Debian's wireguard-go
 * 0.0.20220316 leaves at the default 208 KB (`ss -uanm`: d362 after one 90 Mbit/s step) — a lab limit the capped
 * measurement never meets.
 */
async function capCase(ctx: { skip: () => void }, on: Lab, cap: number, shape: Partial<DownlinkShape> = {}): Promise<void> {
  await setDownlinkShape(on, { rateMbit: cap * 1.5, latencyMs: 50, ...shape });
  const probe = await fit({ targetKbps: Math.round(cap * 1000 * PAYLOAD_SHARE) }, on);
  if (!probe.steps[0]!.passed) {
    console.warn(`\n*** SKIPPED: the lab path does not carry ${cap} Mbit/s of tunnel traffic cleanly behind a ${cap * 1.5} Mbit/s shaper (${brief(probe)}): the cap would not be the bottleneck ***\n`);
    ctx.skip();
  }
  await setDownlinkShape(on, { rateMbit: cap, latencyMs: 50, ...shape });
  const r = await fit({ targetKbps: cap * 2000 }, on);
  const ratio = r.downKbps / (cap * 1000);
  expect(ratio, brief(r)).toBeGreaterThanOrEqual(0.6);
  expect(ratio, brief(r)).toBeLessThanOrEqual(0.95);
  expect(r.limit, brief(r)).toBe('capacity');
  expect(r.steps[0]!.passed).toBe(false);
}

/** The measurement runner, bundled once for both labs below. */
async function buildRunner(): Promise<void> {
  if (runnerJs) return;
  work = mkdtempSync(path.join(os.tmpdir(), 'longhaul-capacity-'));
  runnerJs = path.join(work, 'capacity-runner.cjs');
  await build({ entryPoints: [path.join(__dirname, 'capacity-runner.ts')], outfile: runnerJs, bundle: true, platform: 'node', target: 'node22', format: 'cjs', logLevel: 'error' });
}
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

d('stream fitness against the real iperf3 (lab 70)', () => {
  beforeAll(async () => {
    await buildRunner();
    lab = await labUp({ id: ID, scenario: 'capacity-fast' });
  });
  afterAll(async () => {
    if (lab) await labDown(lab);
  });
  beforeEach(async () => {
    await setDownlinkShape(lab!, null);
    await setDownlinkLoss(lab!, 0);
    await setRelay(lab!, { rttMs: 0 });
  });

  it('fast path: the first step (what the settings need) passes and the fit is that step × 0.8', async () => {
    // 12 Mbit/s: the lab's relay (208 KB socket buffer) then rides out ~60 ms without CPU, so a loaded machine does
    // not turn the lab itself into a lossy path.
    const r = await fit({ targetKbps: 12_000 });
    expect(r.steps, brief(r)).toHaveLength(1);
    expect(r.steps[0]!.passed).toBe(true);
    expect(r.steps[0]!.burst).toBe(24); // 12 Mbit/s, 60 fps, 1040-byte datagrams
    expect(r.downKbps).toBe(9_600);
    expect(r.limit).toBe('none');
    expect(r.packetBytes).toBe(1040);
    expect(r.bytes).toBeGreaterThan(0);
    expect(r.server).toEqual({ host: lab!.names.addr.gatewayTunnel, port: 5201 });
  });

  // 50 and 100 run on the kernel-forwarded path below: through the relay, 50 is marginal (a full run saw its second
  // step at 42 Mbit/s lose 1.3 % in the relay itself, and the fit end at 0.50 × the cap).
  for (const cap of [10, 25]) {
    it(`a ${cap} Mbit/s tbf cap: the fit lies in [0.6, 0.95] × the cap, limited by capacity`, (ctx) => capCase(ctx, lab!, cap));
  }

  it('the need right at the cap (1080p60: first step 25 Mbit/s behind a 25 Mbit/s cap): the fit still lies in [0.6, 0.95] × the cap', async () => {
    // The first step overloads the path only a little, stops early, and reads the delivered rate low (observed 20.6
    // of a 22.7 payload ceiling); the step below it then passes with room to spare. Without a step back up between
    // that pass and the failure, the fit was 0.59 × the cap.
    await setDownlinkShape(lab!, { rateMbit: 25, latencyMs: 50 });
    const r = await fit({ targetKbps: 25_000 });
    const ratio = r.downKbps / 25_000;
    expect(r.steps[0]!.passed, brief(r)).toBe(false);
    expect(ratio, brief(r)).toBeGreaterThanOrEqual(0.6);
    expect(ratio, brief(r)).toBeLessThanOrEqual(0.95);
    expect(r.limit, brief(r)).toBe('capacity');
    expect(r.truncated, brief(r)).toBe(false);
  });

  it('3 % random loss is named loss, and lowering the rate does not cure it', async () => {
    await setDownlinkLoss(lab!, 0.03);
    const r = await fit({ targetKbps: 12_000 });
    expect(r.limit, brief(r)).toBe('loss');
    expect(r.steps.filter((s) => s.lossPercent > 1).length, brief(r)).toBeGreaterThanOrEqual(2);
    expect(r.steps[0]!.lossPercent, brief(r)).toBeGreaterThan(1.5);
    // No better than the halved step: a step back up from a lucky pass there met the loss again.
    expect(r.downKbps, brief(r)).toBeLessThanOrEqual(0.5 * 12_000 * 0.8);
  });

  it('a deep queue is named bufferbloat; the fit still lies in [0.6, 0.95] × the cap', async () => {
    await setDownlinkShape(lab!, DEEP_QUEUE);
    const r = await fit({ targetKbps: 40_000 });
    expect(r.limit, brief(r)).toBe('bufferbloat');
    expect(r.steps[0]!.delayGrowthMs, brief(r)).toBeGreaterThanOrEqual(100);
    expect(r.downKbps / 20_000, brief(r)).toBeGreaterThanOrEqual(0.6);
    expect(r.downKbps / 20_000, brief(r)).toBeLessThanOrEqual(0.95);
  });

  it('a busy server (ACCESS_DENIED from the real iperf3) sends the test to the next port', async () => {
    const other = spawn('ip', ['netns', 'exec', lab!.names.ns.artist, 'iperf3', '-c', lab!.names.addr.gatewayTunnel, '-p', '5201', '-u', '-R', '-b', '1M', '-t', '4'], { stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 700));
      const r = await fit({ targetKbps: 8_000 });
      expect(r.server.port).toBe(5202);
      expect(r.steps.every((s) => s.port === 5202)).toBe(true);
    } finally {
      other.kill('SIGTERM');
      await new Promise((r) => other.once('exit', r));
    }
  });

  it('200 ms RTT behind a 10 Mbit/s cap: the 4 s time budget is honoured and the fit still lies in [0.6, 0.95] × the cap', async () => {
    await setDownlinkShape(lab!, { rateMbit: 10, latencyMs: 50 });
    await setRelay(lab!, { rttMs: 200 });
    const r = await fit({ targetKbps: 20_000, timeBudgetMs: 4000 });
    // Deadline enforcement, not a speed claim (how fast a verdict comes is measured by scripts/bench-capacity.mjs):
    // no step may start that cannot finish inside the budget; 1 s of slack for the last answers on a loaded machine.
    expect(r.durationMs, brief(r)).toBeLessThanOrEqual(4000 + 1000);
    expect(r.steps[0]!.setupMs).toBeGreaterThanOrEqual(4 * 200 * 0.9); // four round trips before data
    expect(r.downKbps / 10_000, brief(r)).toBeGreaterThanOrEqual(0.6);
    expect(r.downKbps / 10_000, brief(r)).toBeLessThanOrEqual(0.95);
  });

  it('a gateway port where nothing listens: refused, with the fix', async () => {
    const o = await measure({ ports: [5299], timeBudgetMs: 1500 });
    expect(o.ok).toBe(false);
    if (!o.ok) {
      expect(o.code).toBe('capacity.refused');
      expect(o.message).toMatch(/iperf3 -s -p 5299/);
    }
  });
});

d('50 and 100 Mbit/s caps over the kernel-forwarded path (lab 73)', () => {
  // The relay cannot carry 100 Mbit/s of frame bursts on this 2-core VM (and 50 only just); here the path namespace's kernel forwards
  // WireGuard (scripts/lab/faults/capacity.ts useKernelPath), so only wireguard-go and iperf3 stand between the cap
  // and the measurement. The queue is 50 ms at the rate (625 KB): with no relay socket behind tbf, nothing forces
  // the 80 KB bound of the relay-based cases.
  let kernelLab: Lab | undefined;
  beforeAll(async () => {
    await buildRunner();
    kernelLab = await labUp({ id: 73, scenario: 'capacity-kernel-path' });
  });
  afterAll(async () => {
    if (kernelLab) await labDown(kernelLab);
  });

  for (const cap of [50, 100]) {
    it(`a ${cap} Mbit/s tbf cap: the fit lies in [0.6, 0.95] × the cap, limited by capacity`, async (ctx) => {
      await capCase(ctx, kernelLab!, cap, { maxQueueBytes: Number.POSITIVE_INFINITY });
      // The measurement really went around the relay: it forwarded nothing.
      const stats = await relayStats(kernelLab!);
      expect(stats.toArtist + stats.toGateway).toBe(0);
    });
  }
});
