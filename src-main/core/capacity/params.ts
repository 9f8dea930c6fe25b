/**
 * The JSON of one iperf3 test: the parameters Longhaul sends, the results it sends back, and the server's results it
 * reads (checked, since a server may lie). Field names and meanings are iperf3's (iperf_api.c): `send_parameters` /
 * `get_parameters` and `send_results` / `get_results`; recorded from iperf3 3.12 in
 * test/fixtures/iperf3/linux-iperf3-3.12-client-reverse-udp-control.txt. Environment: any.
 */
import { CapacityError } from './errors';
import { MAX_BURST, MAX_UDP_BLOCKSIZE, UDP_HEADER_BYTES } from './limits';

export interface StepParams {
  /** Target payload rate, bits per second (`-b`; iperf3 paces UDP payload bytes, `iperf_check_throttle`). */
  rateBps: number;
  /** UDP payload bytes per datagram (`-l`, "len"). */
  payloadBytes: number;
  /** Frames per second the bursts mimic. */
  fps: number;
  /** Whole seconds the server's own timer allows ("time"); Longhaul ends the test earlier with TEST_END. */
  timeSec: number;
}

/** Packets per frame burst: rate / fps / packet bits, within iperf3's 1..MAX_BURST. */
export function burstFor(rateBps: number, payloadBytes: number, fps: number): number {
  return Math.min(MAX_BURST, Math.max(1, Math.round(rateBps / fps / (payloadBytes * 8))));
}

/**
 * The parameter object for a reverse UDP test (the server sends). Each key as `get_parameters` reads it:
 * - "udp": true → `set_protocol(test, Pudp)`;
 * - "omit": 0 → no warm-up interval discarded;
 * - "time" → `test->duration`; the server's `server_timer_proc` ends a test that outlives time + omit + 5 s;
 * - "parallel": 1 → one stream;
 * - "reverse": true → `iperf_set_test_reverse`: the server is the sender;
 * - "len" → `settings->blksize`: the UDP payload of every datagram;
 * - "bandwidth" → `settings->rate`, bits per second of payload;
 * - "pacing_timer" → `settings->pacing_timer`, µs between the sender's throttle checks (iperf3's default 1000);
 * - "burst" → `settings->burst`: `iperf_send` writes that many datagrams back to back each time the throttle allows
 *   (the `-b RATE/BURST` syntax), i.e. one burst per frame interval when burst = rate / fps / packet bits.
 * No "client_version": a 3.12 server does not read it, and newer servers then keep 3.12's behaviour.
 */
export function paramsJson(p: StepParams): Record<string, unknown> {
  if (!Number.isInteger(p.payloadBytes) || p.payloadBytes < UDP_HEADER_BYTES || p.payloadBytes > MAX_UDP_BLOCKSIZE) {
    throw new CapacityError('capacity.invalid', `UDP payload ${p.payloadBytes} bytes is outside iperf3's ${UDP_HEADER_BYTES}..${MAX_UDP_BLOCKSIZE}.`);
  }
  if (!(p.rateBps >= 1000 && p.rateBps <= 100e9)) throw new CapacityError('capacity.invalid', `rate ${p.rateBps} bit/s is out of range.`);
  return {
    udp: true,
    omit: 0,
    time: Math.max(1, Math.ceil(p.timeSec)),
    parallel: 1,
    reverse: true,
    len: p.payloadBytes,
    bandwidth: Math.round(p.rateBps),
    pacing_timer: 1000,
    burst: burstFor(p.rateBps, p.payloadBytes, p.fps),
  };
}

export interface ReceiverReport {
  bytes: number;
  jitterSec: number;
  errors: number;
  packets: number;
  seconds: number;
}

/**
 * The client's half of the results exchange, as iperf3's own reverse-mode client sends it (`send_results`): the
 * server's `get_results` refuses the message (IERECVRESULTS) without cpu_util_total/_user/_system and
 * sender_has_retransmits, and each stream needs id, bytes, retransmits, jitter, errors and packets. The one stream
 * is id 1 (`iperf_add_stream` numbers the first stream 1; `get_results` fails with IESTREAMID on an unknown id).
 * A receiver has no retransmits (−1, as iperf3 sends them), and Longhaul does not measure CPU (0).
 */
export function clientResultsJson(r: ReceiverReport): Record<string, unknown> {
  return {
    cpu_util_total: 0,
    cpu_util_user: 0,
    cpu_util_system: 0,
    sender_has_retransmits: -1,
    streams: [
      { id: 1, bytes: r.bytes, retransmits: -1, jitter: r.jitterSec, errors: r.errors, packets: r.packets, start_time: 0, end_time: r.seconds },
    ],
  };
}

export interface ServerReport {
  /** Datagrams the server sent (`packets` = its `packet_count`). */
  packets: number;
  /** Payload bytes it sent. */
  bytes: number;
  /** Its sending time in seconds (end_time − start_time), or null when absent. */
  seconds: number | null;
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/**
 * The server's results (`send_results` on the sender side), checked the way `get_results` checks them, and then
 * against what a sender can honestly claim: one stream, whole non-negative counts, at most `maxPackets`.
 */
export function parseServerResults(j: Record<string, unknown>, where: string, maxPackets: number): ServerReport {
  const bad = (why: string) =>
    new CapacityError('capacity.protocol', `${where} sent results that are not iperf3's: ${why}.`, { where, phase: 'reading the server results' });
  for (const k of ['cpu_util_total', 'cpu_util_user', 'cpu_util_system', 'sender_has_retransmits']) {
    if (num(j[k]) === null) throw bad(`"${k}" is missing or not a number`);
  }
  const streams = j.streams;
  if (!Array.isArray(streams) || streams.length !== 1) throw bad('"streams" is not a list of one stream');
  const s = streams[0] as Record<string, unknown> | null;
  if (typeof s !== 'object' || s === null) throw bad('the stream is not an object');
  for (const k of ['id', 'bytes', 'retransmits', 'jitter', 'errors', 'packets']) {
    if (num(s[k]) === null) throw bad(`the stream's "${k}" is missing or not a number`);
  }
  const packets = num(s.packets)!;
  const bytes = num(s.bytes)!;
  if (num(s.id) !== 1) throw bad(`stream id ${String(s.id)} is not the one stream (1)`);
  if (!Number.isInteger(packets) || packets < 0 || packets > maxPackets) throw bad(`"packets" ${packets} is not a count this step could send (≤ ${maxPackets})`);
  if (!Number.isInteger(bytes) || bytes < 0) throw bad(`"bytes" ${bytes} is not a byte count`);
  const start = num(s.start_time);
  const end = num(s.end_time);
  const seconds = start !== null && end !== null && end > start ? end - start : null;
  return { packets, bytes, seconds };
}
