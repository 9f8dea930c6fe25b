/**
 * What the artist side learns from iperf3's UDP datagrams in reverse mode: loss, jitter and delay growth of one step.
 * Pure (no sockets): `UdpAccounting.onPacket(datagram, arrivalSec)`. Environment: any.
 *
 * - Header: sec, usec, 32-bit packet count, big-endian (`iperf_udp_send`, iperf_udp.c); the count starts at 1.
 * - iperf3's own loss bookkeeping, as `iperf_udp_recv` does it: a forward jump over missing counts adds the gap to
 *   `errors` (`cnt_error`); a count at or below the highest seen is out of order and takes one error back.
 * - Longhaul's loss is exact: every count is remembered in a bitset (bounded by `maxPackets`), so
 *   loss = sent − distinct counts received, with `sent` from the server's results.
 * - Jitter: RFC 3550 §6.4.1 / A.8 as `iperf_udp_recv` computes it: transit = arrival − sender timestamp,
 *   D = |transit − previous transit|, J += (D − J) / 16; the first packet only seeds the previous transit.
 * - Delay growth (bufferbloat): the same transit is a one-way delay plus an unknown constant (the two clocks'
 *   offset; iperf3 3.12 stamps with a monotonic clock), so only its changes mean anything. Packets are binned by
 *   their SENDER timestamp into frame intervals (1/fps); a bin's minimum transit is the queue met by the first packet
 *   of that frame's burst — the standing queue, without the burst queueing behind itself (normal for a stream that
 *   sends each frame as a burst). Growth = median of the bin minima over the last quarter of the step − the lowest
 *   bin minimum over its first half (the idle baseline: each step starts on an idle path, because the previous
 *   test's results exchange travelled behind its last datagrams). Clock drift (ppm) is microseconds per step.
 */
import { UDP_HEADER_BYTES } from './limits';

export interface UdpStats {
  /** Distinct packet counts received. */
  received: number;
  duplicates: number;
  /** Datagrams ignored: shorter than the header, a usec ≥ 10⁶, or a count of 0 or beyond `maxPackets`. */
  malformed: number;
  /** iperf3's `packet_count`: the highest count seen. */
  highestCount: number;
  /** iperf3's `cnt_error` (gaps, less out-of-order arrivals). */
  iperfErrors: number;
  outOfOrder: number;
  /** UDP payload bytes of the distinct packets. */
  bytes: number;
  jitterSec: number;
  /** Arrival of the first and last counted packet (seconds, the receiver's monotonic clock), or null. */
  firstArrival: number | null;
  lastArrival: number | null;
  /** Payload bits per second between the first and last arrival (0 with fewer than 2 packets). */
  receivedBps: number;
  delayGrowthSec: number;
  /** Frame bins that saw at least one packet. */
  frames: number;
}

export class UdpAccounting {
  private readonly seen: Uint8Array;
  private readonly binMin: Float64Array;
  private received = 0;
  private duplicates = 0;
  private malformed = 0;
  private packetCount = 0;
  private cntError = 0;
  private outOfOrder = 0;
  private bytes = 0;
  private jitter = 0;
  private prevTransit = 0;
  private firstSent: number | null = null;
  private firstArrival: number | null = null;
  private lastArrival: number | null = null;

  constructor(
    /** The largest packet count this step can honestly carry (rate × time, with slack); larger ones are lies. */
    readonly maxPackets: number,
    readonly fps: number,
    /** How many frame bins to keep (step duration × fps, with slack). */
    readonly maxFrames: number,
  ) {
    if (!Number.isInteger(maxPackets) || maxPackets < 1 || maxPackets > 50_000_000) throw new RangeError(`maxPackets ${maxPackets}`);
    if (!(fps > 0 && fps <= 1000)) throw new RangeError(`fps ${fps}`);
    this.seen = new Uint8Array(Math.ceil((maxPackets + 1) / 8));
    this.binMin = new Float64Array(Math.max(1, Math.min(maxFrames, 100_000))).fill(Number.POSITIVE_INFINITY);
  }

  /** Account one datagram received at `arrivalSec` (receiver's monotonic clock). Returns false when ignored. */
  onPacket(msg: Buffer, arrivalSec: number): boolean {
    if (msg.length < UDP_HEADER_BYTES) {
      this.malformed++;
      return false;
    }
    const sec = msg.readUInt32BE(0);
    const usec = msg.readUInt32BE(4);
    const pcount = msg.readUInt32BE(8);
    if (usec >= 1_000_000 || pcount === 0 || pcount > this.maxPackets) {
      this.malformed++;
      return false;
    }
    const byte = pcount >> 3;
    const bit = 1 << (pcount & 7);
    if (this.seen[byte]! & bit) {
      this.duplicates++;
      this.iperfOrder(pcount);
      return true;
    }
    this.seen[byte]! |= bit;
    this.received++;
    this.bytes += msg.length;
    this.iperfOrder(pcount);

    const sent = sec + usec / 1e6;
    const transit = arrivalSec - sent;
    // RFC 3550 jitter exactly as iperf_udp_recv: the first packet seeds prev_transit.
    if (this.received === 1) this.prevTransit = transit;
    const d = Math.abs(transit - this.prevTransit);
    this.prevTransit = transit;
    this.jitter += (d - this.jitter) / 16;

    if (this.firstSent === null) this.firstSent = sent;
    const bin = Math.max(0, Math.floor((sent - this.firstSent) * this.fps));
    if (bin < this.binMin.length && transit < this.binMin[bin]!) this.binMin[bin] = transit;
    if (this.firstArrival === null) this.firstArrival = arrivalSec;
    this.lastArrival = arrivalSec;
    return true;
  }

  /** `iperf_udp_recv`'s sequence bookkeeping. */
  private iperfOrder(pcount: number): void {
    if (pcount >= this.packetCount + 1) {
      if (pcount > this.packetCount + 1) this.cntError += pcount - 1 - this.packetCount;
      this.packetCount = pcount;
    } else {
      this.outOfOrder++;
      if (this.cntError > 0) this.cntError--;
    }
  }

  /** Loss so far, from the counts alone (for stopping a step early): missing below the highest count seen. */
  liveLossPercent(): number {
    return this.packetCount > 0 ? (100 * (this.packetCount - this.received)) / this.packetCount : 0;
  }

  delayGrowthSec(): number {
    const mins: number[] = [];
    for (let i = 0; i < this.binMin.length; i++) {
      const v = this.binMin[i]!;
      if (v !== Number.POSITIVE_INFINITY) mins.push(v);
    }
    if (mins.length < 4) return 0;
    const half = Math.ceil(mins.length / 2);
    let baseline = Number.POSITIVE_INFINITY;
    for (let i = 0; i < half; i++) baseline = Math.min(baseline, mins[i]!);
    const lateCount = Math.max(2, Math.floor(mins.length / 4));
    const late = mins.slice(mins.length - lateCount).sort((a, b) => a - b);
    const median = late.length % 2 ? late[(late.length - 1) / 2]! : (late[late.length / 2 - 1]! + late[late.length / 2]!) / 2;
    return Math.max(0, median - baseline);
  }

  stats(): UdpStats {
    let frames = 0;
    for (let i = 0; i < this.binMin.length; i++) if (this.binMin[i] !== Number.POSITIVE_INFINITY) frames++;
    const span = this.firstArrival !== null && this.lastArrival !== null ? this.lastArrival - this.firstArrival : 0;
    return {
      received: this.received,
      duplicates: this.duplicates,
      malformed: this.malformed,
      highestCount: this.packetCount,
      iperfErrors: this.cntError,
      outOfOrder: this.outOfOrder,
      bytes: this.bytes,
      jitterSec: this.jitter,
      firstArrival: this.firstArrival,
      lastArrival: this.lastArrival,
      receivedBps: this.received >= 2 && span > 0 ? (this.bytes * 8) / span : 0,
      delayGrowthSec: this.delayGrowthSec(),
      frames,
    };
  }
}
