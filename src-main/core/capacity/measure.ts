/**
 * Stream fitness: measure, through the tunnel, the stream Moonlight will send (its packet size, one burst per frame at
 * its fps) against the stock `iperf3 -s` IT runs on the gateway, and fit Moonlight's bitrate to it.
 *
 * One iperf3 test runs one rate (the server paces a fixed "bandwidth"), and each test costs about six round trips of
 * protocol around its data phase (connect, cookie → PARAM_EXCHANGE, parameters → CREATE_STREAMS, UDP connect → data;
 * TEST_END → EXCHANGE_RESULTS, results → DISPLAY_RESULTS): 1.2 s at 200 ms RTT. So the steps are few and chosen
 * (fit.ts `nextStepKbps`): first the rate the settings need, then, only if that fails, a rate derived from what the
 * path delivered, and after a pass below a failure one or two steps back up between them while the budget allows. A
 * step that fails clearly stops early. The time budget (default 4 s) and byte budget (default
 * 60 MB) bound the whole measurement; nothing runs past the deadline.
 *
 * Busy servers (iperf3 runs one test at a time: ACCESS_DENIED) and a listener between two tests (refused): the next
 * port is tried, then all ports again after a random 50–250 ms, while the deadline allows.
 * Environment: plain Node.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { CapacityError, isCapacityError } from './errors';
import { fitBitrate, nextStepKbps, stepLimit, stepPasses, type CapacityLimit } from './fit';
import { RTP_HEADER_BYTES } from '../net/packet-size';
import { IPERF_DEFAULT_PORT } from './protocol';
import { runStep, type EarlyStop, type StepRaw } from './step';


export interface CapacityOptions {
  /** The gateway running `iperf3 -s` (address or name, reached through the tunnel). */
  host: string;
  /** iperf3 server ports to use, in order of preference (default [5201]). */
  ports?: readonly number[];
  /** The rate the chosen stream settings need (kbit/s of video payload): the first and highest step. */
  targetKbps: number;
  /** Moonlight's packet size for this tunnel; every datagram carries packetSize + 16 bytes of UDP payload. */
  packetSize: number;
  fps: number;
  /** Whole measurement, ms (default 4000). */
  timeBudgetMs?: number;
  /** Payload bytes the measurement may make the server send, lost ones included (default 60 MB). */
  byteBudget?: number;
  /** Data phase of a step, ms (default 500). */
  stepMs?: number;
  /** At most this many steps (default 4). */
  maxSteps?: number;
  /** No step below this rate (default 1000 kbit/s). */
  minKbps?: number;
  signal?: AbortSignal;
  /** Randomness for cookies and retry jitter (default crypto.randomBytes). */
  random?: (n: number) => Uint8Array;
  /** Called after each finished step. */
  onStep?: (step: CapacityStep) => void;
}

export interface CapacityStep {
  port: number;
  /** Asked of the server (iperf3 "bandwidth"). */
  rateKbps: number;
  /** Datagrams per frame burst (iperf3 "burst"). */
  burst: number;
  /** The server's sending rate from its results (0 when it reported no time). */
  sentKbps: number;
  /** The payload rate that arrived. */
  receivedKbps: number;
  sentPackets: number;
  receivedPackets: number;
  lossPercent: number;
  jitterMs: number;
  delayGrowthMs: number;
  outOfOrder: number;
  /** Data phase length. */
  durationMs: number;
  /** Connect → first datagram. */
  setupMs: number;
  stoppedEarly: EarlyStop;
  passed: boolean;
  limit: Exclude<CapacityLimit, 'none'> | null;
}

export interface CapacityResult {
  /** The fitted bitrate (kbit/s): 0.8 × the highest passing step; 0 when none passed. */
  downKbps: number;
  /** Loss, jitter and delay growth of the step the fit rests on (or of the last step when none passed). */
  lossPercent: number;
  jitterMs: number;
  delayGrowthMs: number;
  durationMs: number;
  /** UDP payload bytes received over all steps. */
  bytes: number;
  server: { host: string; port: number };
  steps: CapacityStep[];
  /** What limits the stream: nothing, the path's capacity, a deep queue (bufferbloat), or loss at every rate. */
  limit: CapacityLimit;
  targetKbps: number;
  packetBytes: number;
  fps: number;
  /** The time or byte budget ended the search before any step passed while it still wanted another (the fit may be
   *  low or 0). A step back up after a pass that the budget did not allow is not truncation: the fit stands. */
  truncated: boolean;
}

const DEFAULTS = { timeBudgetMs: 4000, byteBudget: 60_000_000, stepMs: 500, maxSteps: 4, minKbps: 1000 };
const MIN_STEP_MS = 250;
/** Protocol round trips around a step's data phase (see the file comment). */
const STEP_ROUND_TRIPS = 6;

function validate(o: CapacityOptions): void {
  const bad = (m: string) => new CapacityError('capacity.invalid', m);
  if (typeof o.host !== 'string' || o.host.length === 0 || o.host.length > 253) throw bad('host: give the gateway address.');
  const ports = o.ports ?? [IPERF_DEFAULT_PORT];
  if (ports.length === 0 || ports.length > 16 || ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) throw bad('ports: 1 to 16 TCP ports (1–65535).');
  if (!(o.targetKbps >= 100 && o.targetKbps <= 10_000_000)) throw bad('targetKbps: 100 to 10000000.');
  if (!Number.isInteger(o.packetSize) || o.packetSize < 64 || o.packetSize > 9000) throw bad('packetSize: an integer 64–9000.');
  if (!(o.fps >= 1 && o.fps <= 480)) throw bad('fps: 1 to 480.');
  if (o.timeBudgetMs !== undefined && !(o.timeBudgetMs >= 500 && o.timeBudgetMs <= 120_000)) throw bad('timeBudgetMs: 500 to 120000.');
  if (o.byteBudget !== undefined && !(o.byteBudget >= 100_000)) throw bad('byteBudget: at least 100000.');
  if (o.stepMs !== undefined && !(o.stepMs >= MIN_STEP_MS && o.stepMs <= 10_000)) throw bad(`stepMs: ${MIN_STEP_MS} to 10000.`);
}

export async function measureCapacity(opts: CapacityOptions): Promise<CapacityResult> {
  validate(opts);
  const o = { ...DEFAULTS, ...definedOnly(opts) };
  const ports = [...(opts.ports ?? [IPERF_DEFAULT_PORT])];
  const random = opts.random ?? ((n: number) => randomBytes(n));
  const payloadBytes = opts.packetSize + RTP_HEADER_BYTES;
  const t0 = performance.now();
  const deadlineAt = t0 + o.timeBudgetMs;
  const steps: CapacityStep[] = [];
  let bytes = 0;
  /** Payload the server sent (lost datagrams cost the line too): what the byte budget is spent on. */
  let spent = 0;
  let rttMs = Number.POSITIVE_INFINITY;
  let portIndex = 0;
  let truncated = false;
  let lastPort = ports[0]!;

  for (;;) {
    if (opts.signal?.aborted) throw new CapacityError('capacity.timeout', 'The capacity measurement was cancelled.');
    const rate = steps.length >= o.maxSteps ? null : nextStepKbps(steps, opts.targetKbps, o.minKbps);
    if (rate === null) break;
    // Time and bytes this step may use; stop (with what is known) when too little is left.
    const left = deadlineAt - performance.now();
    const overhead = STEP_ROUND_TRIPS * (Number.isFinite(rttMs) ? rttMs : 0) + 150;
    const byRate = ((o.byteBudget - spent) * 8) / (rate * 1000) * 1000;
    const stepMs = Math.floor(Math.min(o.stepMs, left - overhead, byRate));
    if (stepMs < MIN_STEP_MS) {
      truncated = !steps.some((s) => s.passed);
      break;
    }
    let raw: StepRaw;
    try {
      const r = await withPorts(ports, portIndex, deadlineAt, random, opts.signal, (port) =>
        runStep({ host: opts.host, port, rateKbps: rate, payloadBytes, fps: opts.fps, durationMs: stepMs, maxBytes: o.byteBudget - spent, deadlineAt, random, signal: opts.signal }),
      );
      raw = r.raw;
      portIndex = r.index;
    } catch (err) {
      // A step cut by the deadline after others finished: answer with those.
      if (steps.length > 0 && isCapacityError(err) && err.code === 'capacity.timeout') {
        truncated = !steps.some((s) => s.passed);
        break;
      }
      throw err;
    }
    lastPort = raw.port;
    rttMs = Math.min(rttMs, raw.rttMs);
    bytes += raw.udp.bytes;
    spent += Math.max(raw.sentBytes, raw.udp.bytes);
    const step = toStep(raw, rate);
    steps.push(step);
    opts.onStep?.(step);
  }

  const fit = fitBitrate(steps);
  const shown = fit.basis !== null ? steps[fit.basis]! : steps[steps.length - 1];
  if (!shown) {
    throw new CapacityError('capacity.timeout', `The time budget (${o.timeBudgetMs} ms) or byte budget ended before one step could run.`);
  }
  return {
    downKbps: fit.recommendedKbps,
    lossPercent: shown.lossPercent,
    jitterMs: shown.jitterMs,
    delayGrowthMs: shown.delayGrowthMs,
    durationMs: Math.round(performance.now() - t0),
    bytes,
    server: { host: opts.host, port: lastPort },
    steps,
    limit: fit.limit,
    targetKbps: opts.targetKbps,
    packetBytes: payloadBytes,
    fps: opts.fps,
    truncated,
  };
}

function toStep(raw: StepRaw, rateKbps: number): CapacityStep {
  const u = raw.udp;
  const sentKbps = raw.sentSeconds && raw.sentSeconds > 0 ? (raw.sentBytes * 8) / raw.sentSeconds / 1000 : 0;
  const lossPercent = raw.sentPackets > 0 ? (100 * (raw.sentPackets - u.received)) / raw.sentPackets : 0;
  const figures = {
    rateKbps,
    sentKbps: round1(sentKbps),
    receivedKbps: round1(u.receivedBps / 1000),
    lossPercent: round2(lossPercent),
    delayGrowthMs: round1(u.delayGrowthSec * 1000),
  };
  return {
    port: raw.port,
    ...figures,
    burst: raw.burst,
    sentPackets: raw.sentPackets,
    receivedPackets: u.received,
    jitterMs: round3(u.jitterSec * 1000),
    outOfOrder: u.outOfOrder,
    durationMs: Math.round(raw.dataMs),
    setupMs: Math.round(raw.setupMs),
    stoppedEarly: raw.stoppedEarly,
    passed: stepPasses(figures),
    limit: stepLimit(figures),
  };
}

/**
 * Run `fn(port)` on the first port that is free: ACCESS_DENIED or a refused/reset connection moves to the next
 * port; after a full round, wait 50–250 ms (random) and go round again while the deadline allows. Other errors end.
 */
async function withPorts(
  ports: number[],
  start: number,
  deadlineAt: number,
  random: (n: number) => Uint8Array,
  signal: AbortSignal | undefined,
  fn: (port: number) => Promise<StepRaw>,
): Promise<{ raw: StepRaw; index: number }> {
  let busy = 0;
  let last: CapacityError | null = null;
  for (let round = 0; ; round++) {
    let busyThisRound = 0;
    for (let k = 0; k < ports.length; k++) {
      const index = (start + k) % ports.length;
      try {
        return { raw: await fn(ports[index]!), index };
      } catch (err) {
        if (!isCapacityError(err)) throw err;
        const retryable = err.code === 'capacity.busy' || err.code === 'capacity.refused' || (err.code === 'capacity.closed' && err.detail.phase !== undefined && /connect|PARAM_EXCHANGE/.test(String(err.detail.phase)));
        if (!retryable) throw err;
        if (err.code === 'capacity.busy') busyThisRound++;
        last = err;
      }
    }
    busy += busyThisRound;
    // Refused everywhere twice: nothing listens (between two tests a stock server is down for microseconds only).
    if (busyThisRound === 0 && round >= 1) break;
    const wait = 50 + (random(1)[0]! / 255) * 200;
    if (signal?.aborted || performance.now() + wait + 300 >= deadlineAt) break;
    await new Promise((r) => setTimeout(r, wait));
  }
  if (signal?.aborted) throw new CapacityError('capacity.timeout', 'The capacity measurement was cancelled.');
  if (busy > 0) {
    throw new CapacityError('capacity.busy', `Every iperf3 port on the gateway (${ports.join(', ')}) stayed busy with other tests until the deadline. Try again in a moment; IT can run more iperf3 -s instances on further ports.`, { ports: ports.join(',') });
  }
  throw last ?? new CapacityError('capacity.refused', 'No iperf3 server answered.');
}

function definedOnly(o: CapacityOptions): Partial<typeof DEFAULTS> {
  const out: Partial<typeof DEFAULTS> = {};
  for (const k of Object.keys(DEFAULTS) as (keyof typeof DEFAULTS)[]) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

const round1 = (x: number) => Math.round(x * 10) / 10;
const round2 = (x: number) => Math.round(x * 100) / 100;
const round3 = (x: number) => Math.round(x * 1000) / 1000;

