/** The status watcher pushes changes (not repeats) and notifies once when a tunnel goes stale or vanishes. */
import { describe, expect, it } from 'vitest';
import type { TunnelStatus } from '../../../src-main/contract/tunnel';
import type { CoreServices } from '../../../src-main/core/app/services';
import { nullLogger } from '../../../src-main/core/log/logger';
import { startTunnelWatch } from '../../../src-main/core/tunnel/watcher';

const base: TunnelStatus = { name: 'farm', interface: 'farm', state: 'connected', reason: null, message: null, endpoint: '192.0.2.1:51820', latestHandshakeAgeSec: 3, rxBytes: 10, txBytes: 20, peers: [] };

describe('startTunnelWatch', () => {
  it('emits on change only, and notifies on stale once', async () => {
    const seq: TunnelStatus[][] = [[base], [base], [{ ...base, txBytes: 99 }], [{ ...base, txBytes: 120, reason: 'stale', message: 'stale!' }], [{ ...base, txBytes: 140, reason: 'stale', message: 'stale!' }]];
    let i = 0;
    const emitted: TunnelStatus[] = [];
    const notes: string[] = [];
    const core = { logger: nullLogger } as unknown as CoreServices;
    const w = startTunnelWatch(
      core,
      { emit: (_n, p) => emitted.push(p as TunnelStatus), notify: (_l, t) => notes.push(t) },
      { intervalMs: 3_600_000, read: async () => seq[Math.min(i++, seq.length - 1)]! },
    );
    for (let k = 0; k < 5; k++) await w.refresh();
    w.stop();
    expect(emitted.map((s) => s.txBytes)).toEqual([20, 99, 120, 140]);
    expect(notes).toEqual(['stale!']);
  });
});
