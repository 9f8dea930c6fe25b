import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { searchPathMtu, type SendProbe } from '../../../src-main/core/checks/probes/path-mtu';
import { expectedInnerMtu } from '../../../src-main/core/net/packet-size';

/** A simulated path: echoes up to `limit` bytes come back after `rtt` ms, larger ones vanish (a blackhole). */
function path(limit: number | null, rtt = 1, startMs = 0): { send: SendProbe; sizes: number[] } {
  const sizes: number[] = [];
  const send: SendProbe = (size, timeoutMs, signal) =>
    new Promise((resolve) => {
      sizes.push(size);
      if (limit !== null && size <= limit) {
        // `startMs`: the local cost before the echo leaves (process start on a busy machine); ping reports only `rtt`.
        // Like the real probe, a reply later than the probe's timeout or its signal is a timeout.
        const late = () => resolve({ outcome: 'timeout', rttMs: null, mtu: null, detail: '' });
        if (startMs + rtt > timeoutMs) return void setTimeout(late, timeoutMs);
        const t = setTimeout(() => resolve({ outcome: 'reply', rttMs: rtt, mtu: null, detail: '' }), startMs + rtt);
        signal?.addEventListener('abort', () => {
          clearTimeout(t);
          late();
        });
        return;
      }
      const t = setTimeout(() => resolve({ outcome: 'timeout', rttMs: null, mtu: null, detail: '' }), timeoutMs);
      signal?.addEventListener('abort', () => {
        clearTimeout(t);
        resolve({ outcome: 'timeout', rttMs: null, mtu: null, detail: '' });
      });
    });
  return { send, sizes };
}

const opts = () => ({ upper: 1420, roundTimeout: (rtt: number) => 5 + 2 * rtt, firstSignal: AbortSignal.timeout(100) });

describe('path-MTU search', () => {
  it('stops after one round on a healthy tunnel', async () => {
    const p = path(1420);
    const r = await searchPathMtu(p.send, opts());
    expect(r).toMatchObject({ pathMtu: 1420, rounds: 1 });
    expect(p.sizes).toContain(1420);
    expect(p.sizes).toHaveLength(16);
  });
  it('is exact to the byte under a blackhole: three search rounds and one confirmation', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 85, max: 1419 }), async (limit) => {
        const r = await searchPathMtu(path(limit).send, opts());
        expect(r.pathMtu).toBe(limit);
        expect(r.rounds).toBeLessThanOrEqual(4);
      }),
      { numRuns: 60 },
    );
  });
  it('recovers from a lost echo below the true limit', async () => {
    const p = path(1328);
    let dropped = false;
    const lossy: SendProbe = (size, t, sig) => {
      if (!dropped && size > 1200 && size <= 1328 && size !== 1328) {
        dropped = true; // one echo that would have crossed is lost
        return p.send(100_000, t, sig); // as if it were too big: no echo
      }
      return p.send(size, t, sig);
    };
    const r = await searchPathMtu(lossy, opts());
    expect(r.pathMtu).toBe(1328);
  });
  describe('in 16-byte steps (WireGuard pads inner packets to a multiple of 16)', () => {
    const padded = (cap: number) => expectedInnerMtu(1420, cap);
    it('a healthy tunnel: one round of 7 echoes (the small one, 5 spread, the tunnel MTU)', async () => {
      const p = path(1420);
      const r = await searchPathMtu(p.send, { ...opts(), step: 16 });
      expect(r).toMatchObject({ pathMtu: 1420, rounds: 1 });
      expect(p.sizes).toHaveLength(7);
      expect(p.sizes).toContain(1420);
    });
    it('exact to the byte behind any outer cap: two search rounds and the confirming echo at pathMtu + 1', async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 160, max: 1500 }), async (cap) => {
          const limit = padded(cap);
          const p = path(limit);
          const r = await searchPathMtu(p.send, { ...opts(), step: 16 });
          expect(r.pathMtu).toBe(limit);
          expect(r.rounds).toBeLessThanOrEqual(3);
          expect(p.sizes.length).toBeLessThanOrEqual(7 + 15 + 1);
          if (limit < 1420) expect(p.sizes).toContain(limit + 1);
        }),
        { numRuns: 80 },
      );
    });
    it('still exact on a path that is not padded in 16s (the confirming echo crosses: byte by byte from there)', async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 85, max: 1419 }), async (limit) => {
          expect((await searchPathMtu(path(limit).send, { ...opts(), step: 16 })).pathMtu).toBe(limit);
        }),
        { numRuns: 60 },
      );
    });
    it('a busy machine (echoes take 40 ms to start, the RTT is 1 ms) is not mistaken for a blackhole', async () => {
      for (const limit of [1420, 1328, 1136]) {
        expect((await searchPathMtu(path(limit, 1, 40).send, { ...opts(), firstSignal: AbortSignal.timeout(1000), step: 16 })).pathMtu).toBe(limit);
      }
    });
    it('recovers from a lost echo at the true limit', async () => {
      const p = path(1328);
      let dropped = false;
      const lossy: SendProbe = (size, t, sig) => {
        if (!dropped && size === 1328) {
          dropped = true;
          return p.send(100_000, t, sig);
        }
        return p.send(size, t, sig);
      };
      expect((await searchPathMtu(lossy, { ...opts(), step: 16 })).pathMtu).toBe(1328);
    });
  });
  it('returns null when ICMP is filtered', async () => {
    const r = await searchPathMtu(path(null).send, opts());
    expect(r).toMatchObject({ pathMtu: null, smallOutcome: 'timeout' });
  });
});
