/**
 * What feeds the tracker: tunnel statuses (stale, vanished) and finished check runs (fix available), read from the
 * events the app emits; and `health.*` through the contract: `health.get` answers, `health.changed` is pushed with a
 * payload its schema accepts (the harness drops events outside their schema).
 */
import { describe, expect, it } from 'vitest';
import type { EventName } from '../../../src-main/contract';
import type { ChecksDone } from '../../../src-main/contract/checks';
import { checkEvent, dispatch } from '../../../src-main/contract/dispatch';
import type { TunnelStatus } from '../../../src-main/contract/tunnel';
import { makeFinding } from '../../../src-main/core/findings/finding';
import { withHealthFeed } from '../../../src-main/core/app/health';
import { createHealthHandlers } from '../../../src-main/core/health/handlers';
import { createHealthTracker } from '../../../src-main/core/health/tracker';
import { manualClock } from './manual-clock';

const connected: TunnelStatus = {
  name: 'farm',
  interface: 'farm',
  state: 'connected',
  reason: null,
  message: null,
  endpoint: '192.0.2.1:51820',
  latestHandshakeAgeSec: 12,
  rxBytes: 1000,
  txBytes: 2000,
  peers: [{ publicKey: 'k', endpoint: '192.0.2.1:51820', allowedIps: ['10.8.0.0/24'], latestHandshakeAgeSec: 12, rxBytes: 1000, txBytes: 2000, persistentKeepalive: 25 }],
};

function done(over: Partial<ChecksDone>): ChecksDone {
  return {
    schemaVersion: 1,
    profile: 'farm',
    interface: 'farm',
    site: null,
    startedAt: '2026-12-02T10:00:00.000Z',
    durationMs: 900,
    verdict: 'healthy',
    pathMtu: 1420,
    rttMs: 3,
    findings: [],
    checks: [],
    runId: 'chk-1',
    cancelled: false,
    fixable: [],
    ...over,
  };
}

function setup() {
  const clock = manualClock();
  const tracker = createHealthTracker({ clock, debounceMs: 50, timeToVisibleMs: { 'tunnel.stale': 1000 } });
  const sent: [EventName, unknown][] = [];
  const host = { emit: (n: EventName, p: unknown) => void sent.push([n, p]) };
  const handlers = createHealthHandlers(tracker, host);
  const fed = withHealthFeed(host, tracker);
  const health = () => sent.filter(([n]) => n === 'health.changed').map(([, p]) => (p as { findings: { code: string }[] }).findings.map((f) => f.code));
  return { clock, tracker, handlers, fed, sent, health };
}

describe('health feed', () => {
  it('a stale tunnel becomes tunnel.stale after its time-to-visible and clears with the next healthy status', async () => {
    const { clock, fed, handlers, sent, health } = setup();
    fed.emit('tunnel.status', connected);
    fed.emit('tunnel.status', { ...connected, reason: 'stale', message: 'stale', latestHandshakeAgeSec: 230 });
    expect(sent.map(([n]) => n)).toEqual(['tunnel.status', 'tunnel.status']); // the events themselves still go out
    clock.advance(999);
    expect(health()).toEqual([]);
    clock.advance(51);
    expect(health()).toEqual([['tunnel.stale']]);
    const got = await dispatch(handlers, 'health.get', {}, { host: 'harness' });
    expect(got).toMatchObject({ ok: true, value: { findings: [{ code: 'tunnel.stale', subject: 'farm', severity: 'warning', evidence: { latestHandshakeAgeSec: 230 } }] } });
    const f = (got as { ok: true; value: { findings: { detail: string }[] } }).value.findings[0]!;
    expect(f.detail).toContain('192.0.2.1:51820');
    expect(f.detail).toContain('205 s'); // 180 s + PersistentKeepalive 25
    fed.emit('tunnel.status', { ...connected, latestHandshakeAgeSec: 1 });
    clock.advance(50);
    expect(health()).toEqual([['tunnel.stale'], []]);
  });

  it('a vanished interface is tunnel.vanished at once; disconnecting clears it', () => {
    const { clock, fed, health } = setup();
    fed.emit('tunnel.status', { ...connected, state: 'error', reason: 'interface-vanished', peers: [] });
    clock.advance(50);
    fed.emit('tunnel.status', { ...connected, state: 'disconnected', reason: null, peers: [] });
    clock.advance(50);
    expect(health()).toEqual([['tunnel.vanished'], []]);
  });

  it('a run with something fixable raises checks.fix-available; a cancelled run changes nothing; a clean run clears it', () => {
    const { clock, fed, tracker, health } = setup();
    const blackhole = makeFinding('mtu.blackhole', { pathMtu: 1372, tunnelMtu: 1420, moonlightPacketSize: 1320 });
    fed.emit('checks.done', done({ verdict: 'broken', findings: [blackhole], fixable: ['mtu.blackhole'] }));
    clock.advance(50);
    expect(tracker.current()).toMatchObject([{ code: 'checks.fix-available', subject: 'farm', severity: 'info', evidence: { runId: 'chk-1', codes: ['mtu.blackhole'] } }]);
    expect(tracker.current()[0]!.detail).toContain('Large packets vanish in the tunnel');
    fed.emit('checks.done', done({ runId: 'chk-2', cancelled: true }));
    clock.advance(50);
    expect(tracker.current()).toHaveLength(1);
    fed.emit('checks.done', done({ runId: 'chk-3' }));
    clock.advance(50);
    expect(health()).toEqual([['checks.fix-available'], []]);
  });

  it('a run that started before the newest one and finishes after it is stale: it does not bring the fix back', () => {
    // Recorded in e2e/health.spec (lab 93): a run started just before Apply fix measured across the reconnect and
    // finished after the fresh run, broken; the banner then said "A fix is ready" next to a healthy verdict.
    const { clock, fed, tracker } = setup();
    const blackhole = makeFinding('mtu.blackhole', { pathMtu: 1200, tunnelMtu: 1420, moonlightPacketSize: 1320 });
    fed.emit('checks.done', done({ runId: 'chk-1', startedAt: '2026-12-03T14:31:02.421Z', verdict: 'broken', findings: [blackhole], fixable: ['mtu.blackhole'] }));
    fed.emit('checks.done', done({ runId: 'chk-3', startedAt: '2026-12-03T14:31:06.567Z' }));
    fed.emit('checks.done', done({ runId: 'chk-2', startedAt: '2026-12-03T14:31:05.935Z', verdict: 'broken', findings: [blackhole], fixable: ['mtu.blackhole'] }));
    clock.advance(50);
    expect(tracker.current()).toEqual([]);
    // A later run still counts, whatever it finds.
    fed.emit('checks.done', done({ runId: 'chk-4', startedAt: '2026-12-03T14:32:00.000Z', verdict: 'broken', findings: [blackhole], fixable: ['mtu.blackhole'] }));
    clock.advance(50);
    expect(tracker.current().map((f) => f.code)).toEqual(['checks.fix-available']);
  });

  it('every health.changed payload is inside its contract schema', () => {
    const { clock, fed, sent } = setup();
    fed.emit('tunnel.status', { ...connected, state: 'error', reason: 'interface-vanished' });
    fed.emit('checks.done', done({ fixable: ['mtu.blackhole'], findings: [makeFinding('mtu.blackhole')] }));
    clock.advance(50);
    const payloads = sent.filter(([n]) => n === 'health.changed');
    expect(payloads).toHaveLength(1);
    for (const [, p] of payloads) expect(checkEvent('health.changed', p)).toMatchObject({ ok: true });
    expect(checkEvent('health.changed', { findings: [{ ...makeFinding('mtu.blackhole'), code: 'made.up', subject: null, since: 'x', timeToVisibleMs: 0 }] }).ok).toBe(false);
  });
});
