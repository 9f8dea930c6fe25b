/** Loss, jitter and delay growth from iperf3 datagrams (pure accounting, synthetic datagrams in iperf3's layout). */
import { describe, expect, it } from 'vitest';
import { UdpAccounting } from '../../../src-main/core/capacity/udp-accounting';

/** An iperf3 datagram: sec, usec, 32-bit count, big-endian, then filler (iperf_udp_send). */
function dgram(count: number, sentSec: number, size = 1040): Buffer {
  const b = Buffer.alloc(size);
  const sec = Math.floor(sentSec);
  b.writeUInt32BE(sec, 0);
  b.writeUInt32BE(Math.round((sentSec - sec) * 1e6) % 1_000_000, 4);
  b.writeUInt32BE(count, 8);
  return b;
}

/** A stream at `fps`, `perFrame` datagrams per burst; `owd(frame, i)` is each one's one-way delay. */
function stream(acc: UdpAccounting, frames: number, perFrame: number, fps: number, owd: (f: number, i: number) => number, drop: (n: number) => boolean = () => false) {
  let n = 0;
  const t0 = 5000;
  for (let f = 0; f < frames; f++) {
    for (let i = 0; i < perFrame; i++) {
      n++;
      const sent = t0 + f / fps + i * 1e-6;
      if (!drop(n)) acc.onPacket(dgram(n, sent), sent + 3600 + owd(f, i)); // +3600: the clocks' offset
    }
  }
  return n;
}

describe('UdpAccounting', () => {
  it('counts distinct datagrams exactly, and iperf3\'s errors the way iperf_udp_recv does', () => {
    const acc = new UdpAccounting(1000, 60, 100);
    for (const c of [1, 2, 4, 5, 3, 3, 7]) acc.onPacket(dgram(c, 10 + c / 1000), 20 + c / 1000);
    const s = acc.stats();
    expect(s.received).toBe(6); // 1 2 3 4 5 7
    expect(s.duplicates).toBe(1);
    expect(s.highestCount).toBe(7);
    // Gap at 3 (+1), 3 arrives late (−1), 3 again (out of order, no error left to take), gap at 6 (+1).
    expect(s.iperfErrors).toBe(1);
    expect(s.outOfOrder).toBe(2);
    expect(s.bytes).toBe(6 * 1040);
  });

  it('ignores what no honest sender sends: short datagrams, usec ≥ 10⁶, count 0 or beyond the bound', () => {
    const acc = new UdpAccounting(100, 60, 100);
    expect(acc.onPacket(Buffer.alloc(8), 1)).toBe(false);
    const badUsec = dgram(1, 1);
    badUsec.writeUInt32BE(1_000_000, 4);
    expect(acc.onPacket(badUsec, 1)).toBe(false);
    expect(acc.onPacket(dgram(0, 1), 1)).toBe(false);
    expect(acc.onPacket(dgram(2 ** 31, 1), 1)).toBe(false);
    expect(acc.stats()).toMatchObject({ received: 0, malformed: 4, highestCount: 0 });
  });

  it('jitter is RFC 3550\'s running estimate: zero for constant delay, ~the spread for alternating delay', () => {
    const flat = new UdpAccounting(10_000, 60, 100);
    stream(flat, 30, 10, 60, () => 0.02);
    expect(flat.stats().jitterSec).toBeLessThan(2e-6);
    const alt = new UdpAccounting(10_000, 60, 100);
    stream(alt, 30, 10, 60, (_f, i) => (i % 2 ? 0.021 : 0.02));
    // J converges to |D| = 1 ms.
    expect(alt.stats().jitterSec).toBeGreaterThan(0.0009);
    expect(alt.stats().jitterSec).toBeLessThan(0.00101);
  });

  it('a burst queueing behind itself is not delay growth; a standing queue that builds is', () => {
    // Each frame's k-th datagram waits k × 0.1 ms behind the earlier ones (the bottleneck serialises the burst).
    const steady = new UdpAccounting(10_000, 60, 100);
    stream(steady, 30, 40, 60, (_f, i) => 0.02 + i * 1e-4);
    expect(steady.stats().delayGrowthSec).toBeLessThan(1e-6);
    // Rate above capacity: the queue at each frame's start grows by 5 ms a frame.
    const growing = new UdpAccounting(10_000, 60, 100);
    stream(growing, 30, 40, 60, (f, i) => 0.02 + f * 0.005 + i * 1e-4);
    const g = growing.stats().delayGrowthSec;
    // Last quarter (frames 23–29, median ≈ frame 26) minus frame 0: ≈ 130 ms.
    expect(g).toBeGreaterThan(0.12);
    expect(g).toBeLessThan(0.14);
    expect(growing.stats().frames).toBe(30);
  });

  it('live loss for an early stop counts the missing counts below the highest seen', () => {
    const acc = new UdpAccounting(10_000, 60, 100);
    stream(acc, 10, 20, 60, () => 0.01, (n) => n % 10 === 0);
    expect(acc.liveLossPercent()).toBeCloseTo(10, 0);
    const s = acc.stats();
    expect(s.received).toBe(180);
    expect(s.receivedBps).toBeGreaterThan(0);
  });

  it('keeps its memory bounded by the step: a bitset of maxPackets and one slot per frame', () => {
    expect(() => new UdpAccounting(60_000_000, 60, 100)).toThrow(RangeError);
    const acc = new UdpAccounting(1000, 60, 10);
    // Datagrams stamped far after the step's frames are counted but binned nowhere.
    acc.onPacket(dgram(1, 100), 200);
    acc.onPacket(dgram(2, 1000), 1100);
    expect(acc.stats()).toMatchObject({ received: 2, frames: 1 });
  });
});
