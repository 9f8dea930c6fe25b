import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { searchPathMtu, type SendProbe } from '../../../src-main/core/checks/probes/path-mtu';

/** A simulated path: echoes up to `limit` bytes come back after `rtt` ms, larger ones vanish (a blackhole). */
function path(limit: number | null, rtt = 1): { send: SendProbe; sizes: number[] } {
  const sizes: number[] = [];
  const send: SendProbe = (size, timeoutMs, signal) =>
    new Promise((resolve) => {
      sizes.push(size);
      if (limit !== null && size <= limit) {
        setTimeout(() => resolve({ outcome: 'reply', rttMs: rtt, mtu: null, detail: '' }), rtt);
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
  it('returns null when ICMP is filtered', async () => {
    const r = await searchPathMtu(path(null).send, opts());
    expect(r).toMatchObject({ pathMtu: null, smallOutcome: 'timeout' });
  });
});
