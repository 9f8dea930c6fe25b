/**
 * One step = one iperf3 test in reverse UDP mode against a stock `iperf3 -s`, client side, in iperf3's order
 * (iperf_client_api.c `iperf_run_client` / `iperf_handle_message_client`; server side iperf_server_api.c):
 *
 *   connect TCP → cookie (37 bytes)           server: PARAM_EXCHANGE (9) | ACCESS_DENIED (−1) when busy
 *   parameters JSON                           server: CREATE_STREAMS (10) | SERVER_ERROR (−2, i_errno, errno)
 *   UDP: UDP_CONNECT_MSG → UDP_CONNECT_REPLY  server: TEST_START (1), TEST_RUNNING (2), then datagrams
 *   … the step runs; Longhaul sends TEST_END (4) when it has seen enough (or early, on heavy loss)
 *                                             server: EXCHANGE_RESULTS (13)
 *   client results JSON                       server: its results JSON, DISPLAY_RESULTS (14)
 *   IPERF_DONE (16), close
 *
 * Every wait is bounded by the caller's deadline; a server that breaks the order, lies or goes silent ends the step
 * with a CapacityError that names the phase. Environment: plain Node.
 */
import { performance } from 'node:perf_hooks';
import { ControlChannel } from './control';
import { CapacityError } from './errors';
import { clientResultsJson, paramsJson, parseServerResults } from './params';
import { COOKIE_SIZE, makeCookie, STATE } from './protocol';
import { UdpAccounting, type UdpStats } from './udp-accounting';
import { UdpStream } from './udp-stream';

export interface StepRequest {
  host: string;
  port: number;
  rateKbps: number;
  payloadBytes: number;
  fps: number;
  /** Data phase length (TEST_RUNNING → TEST_END) unless stopped early. */
  durationMs: number;
  /** Stop receiving (TEST_END) once this many payload bytes arrived. */
  maxBytes: number;
  /** Absolute deadline (performance.now() clock) for the whole test, results exchange included. */
  deadlineAt: number;
  random: (n: number) => Uint8Array;
  signal?: AbortSignal;
  /** Stop the data phase early on clear failure (loss ≥ 5 × the threshold, or delay growth ≥ 150 ms). */
  earlyStop?: { lossPercent: number; delayGrowthMs: number; afterMs: number };
}

export type EarlyStop = 'loss' | 'delay' | 'bytes' | null;

export interface StepRaw {
  port: number;
  /** TCP connect time (≈ one round trip, more when a SYN was lost). */
  connectMs: number;
  /** The round trip: the least of three one-round-trip exchanges (TCP connect, cookie → PARAM_EXCHANGE,
   * parameters → CREATE_STREAMS), so one lost segment does not inflate it. */
  rttMs: number;
  /** Connect → first datagram. */
  setupMs: number;
  /** TEST_RUNNING (or the first datagram) → TEST_END. */
  dataMs: number;
  burst: number;
  udp: UdpStats;
  /** From the server's results. */
  sentPackets: number;
  sentBytes: number;
  sentSeconds: number | null;
  stoppedEarly: EarlyStop;
}

const DEFAULT_EARLY = { lossPercent: 5, delayGrowthMs: 150, afterMs: 150 };

/** Run one test. The control connection and UDP socket are closed whatever happens. */
export async function runStep(req: StepRequest): Promise<StepRaw> {
  const t0 = performance.now();
  const ctl = await ControlChannel.connect(req.host, req.port, req.deadlineAt, { signal: req.signal });
  let udp: UdpStream | null = null;
  const onAbort = () => {
    udp?.close();
    ctl.close();
  };
  req.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (req.signal?.aborted) onAbort();
    const where = ctl.where;
    const cookie = makeCookie(req.random(COOKIE_SIZE - 1));
    let sent = performance.now();
    ctl.write(cookie);
    await ctl.expectState(STATE.PARAM_EXCHANGE, 'waiting for PARAM_EXCHANGE after the cookie', req.deadlineAt, true);
    let rttMs = Math.min(ctl.connectMs, performance.now() - sent);

    const rateBps = req.rateKbps * 1000;
    const timeSec = Math.ceil(req.durationMs / 1000) + 1;
    const params = paramsJson({ rateBps, payloadBytes: req.payloadBytes, fps: req.fps, timeSec });
    sent = performance.now();
    ctl.writeJson(params);
    await ctl.expectState(STATE.CREATE_STREAMS, 'waiting for CREATE_STREAMS after the parameters', req.deadlineAt);
    rttMs = Math.min(rttMs, performance.now() - sent);

    const address = ctl.remoteAddress;
    if (!address) throw new CapacityError('capacity.closed', `${where} closed the control connection before the UDP stream was set up.`, { where, phase: 'UDP open' });
    udp = await UdpStream.open(address, req.port, ctl.remoteFamily === 'IPv6' ? 'IPv6' : 'IPv4');
    // Slack: twice the packets the rate allows over the data phase plus the time to react, and 1024 more.
    const perSec = rateBps / (req.payloadBytes * 8);
    const maxPackets = Math.ceil(perSec * ((req.durationMs + Math.max(1000, 4 * rttMs)) / 1000) * 2) + 1024;
    const maxFrames = Math.ceil(((req.durationMs + 2000) / 1000) * req.fps) + 4;
    const acc = new UdpAccounting(maxPackets, req.fps, maxFrames);
    udp.countInto(acc);
    await udp.handshake(req.deadlineAt, Math.max(100, 1.5 * rttMs));
    const setupMs = performance.now() - t0;

    await ctl.expectState(STATE.TEST_START, 'waiting for TEST_START', req.deadlineAt);
    await ctl.expectState(STATE.TEST_RUNNING, 'waiting for TEST_RUNNING', req.deadlineAt);

    const dataStart = performance.now();
    const stoppedEarly = await dataPhase(ctl, udp, acc, req, dataStart);
    const dataMs = performance.now() - dataStart;
    ctl.writeState(STATE.TEST_END);

    await ctl.expectState(STATE.EXCHANGE_RESULTS, 'waiting for EXCHANGE_RESULTS after TEST_END', req.deadlineAt);
    // The server stopped sending before it sent EXCHANGE_RESULTS; let the datagrams still in our socket be counted.
    await udp.quiet(20, Math.min(200, Math.max(0, req.deadlineAt - performance.now())));
    const mine = acc.stats();
    ctl.writeJson(clientResultsJson({ bytes: mine.bytes, jitterSec: mine.jitterSec, errors: mine.iperfErrors, packets: mine.highestCount, seconds: dataMs / 1000 }));
    const theirs = parseServerResults(await ctl.readJson('reading the server results', req.deadlineAt), where, maxPackets);
    await ctl.expectState(STATE.DISPLAY_RESULTS, 'waiting for DISPLAY_RESULTS', req.deadlineAt);
    ctl.writeState(STATE.IPERF_DONE);

    const udpStats = acc.stats();
    if (udpStats.received === 0) {
      throw new CapacityError('capacity.no-data', `No UDP datagram from ${where} arrived during the test although the server reports ${theirs.packets} sent: UDP from the farm to this machine is blocked.`, { where, phase: 'data', sent: theirs.packets });
    }
    if (theirs.packets < udpStats.received || theirs.packets < udpStats.highestCount) {
      throw new CapacityError('capacity.protocol', `${where}'s results say it sent ${theirs.packets} datagrams, but ${udpStats.received} distinct ones up to number ${udpStats.highestCount} arrived: the results are false.`, { where, phase: 'checking the server results' });
    }
    return {
      port: req.port,
      connectMs: ctl.connectMs,
      rttMs,
      setupMs,
      dataMs,
      burst: params.burst as number,
      udp: udpStats,
      sentPackets: theirs.packets,
      sentBytes: theirs.bytes,
      sentSeconds: theirs.seconds,
      stoppedEarly,
    };
  } finally {
    req.signal?.removeEventListener('abort', onAbort);
    udp?.close();
    ctl.close();
  }
}

/** Receive until the step's time is up, the bytes are spent, or the step clearly fails; watch the control channel. */
function dataPhase(ctl: ControlChannel, udp: UdpStream, acc: UdpAccounting, req: StepRequest, start: number): Promise<EarlyStop> {
  const early = req.earlyStop ?? DEFAULT_EARLY;
  return new Promise((resolve, reject) => {
    let finished = false;
    const finish = (why: EarlyStop, err?: CapacityError) => {
      if (finished) return;
      finished = true;
      clearInterval(tick);
      stopWatch();
      if (err) reject(err);
      else resolve(why);
    };
    const stopWatch = ctl.watchUnasked(() => finish(null, ctl.unaskedReason('the test was running')));
    udp.watch((err) => finish(null, err));
    const tick = setInterval(() => {
      const now = performance.now();
      const elapsed = now - start;
      if (req.signal?.aborted) {
        finish(null, new CapacityError('capacity.timeout', 'The capacity measurement was cancelled.', { where: udp.where, phase: 'data' }));
        return;
      }
      if (now >= req.deadlineAt) {
        finish(null, new CapacityError('capacity.timeout', `The deadline passed during the test with ${udp.where}.`, { where: udp.where, phase: 'data' }));
        return;
      }
      const s = acc.stats();
      // The budget is what the server sends: the highest count seen says at least that many left it, lost or not.
      if (Math.max(s.bytes, s.highestCount * req.payloadBytes) >= req.maxBytes) return finish('bytes');
      if (elapsed >= early.afterMs && s.received >= 50) {
        if (acc.liveLossPercent() >= early.lossPercent) return finish('loss');
        if (s.delayGrowthSec * 1000 >= early.delayGrowthMs) return finish('delay');
      }
      if (elapsed >= req.durationMs) finish(null);
    }, 10);
  });
}
