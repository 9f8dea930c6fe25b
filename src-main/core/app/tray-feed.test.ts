import type { FindingCode } from '../../contract/diagnosis';
import { describe, expect, it } from 'vitest';
import type { ChecksDone } from '../../contract/checks';
import type { TunnelStatus } from '../../contract/tunnel';
import { nullLogger } from '../log/logger';
import type { TrayActions } from './tray-actions';
import type { EventPayload } from '../../contract';
import { createHealthTracker } from '../health/tracker';
import { observeEvent } from './health';
import { createTrayFeed } from './tray-feed';
import type { TrayModel, TrayNotification } from './tray-model';

const status = (name: string, state: TunnelStatus['state'], reason: TunnelStatus['reason'] = null): TunnelStatus => ({
  name, interface: name, state, reason, message: null, endpoint: null, latestHandshakeAgeSec: null, rxBytes: 0, txBytes: 0, peers: [],
});
const done = (fixable: FindingCode[]): ChecksDone => ({
  runId: 'run-1', schemaVersion: 1, profile: 'paris', interface: 'paris', site: null, startedAt: '2026-12-02T00:00:00.000Z', verdict: 'broken', pathMtu: 1372, rttMs: 2, durationMs: 100, cancelled: false, checks: [], fixable,
  findings: [{ code: 'mtu.blackhole', severity: 'error', title: 'Large packets are lost', detail: 'd', fix: 'f', evidence: {}, dependsOn: [] }],
});

function setup(now: () => number = Date.now) {
  const calls: [string, unknown][] = [];
  const record = (name: string) => async (...args: unknown[]) => {
    calls.push([name, args]);
    throw Object.assign(new Error('not needed here'), { code: 'unavailable' });
  };
  const actions: TrayActions = {
    profileNames: async () => [],
    streamHost: async () => '10.200.5.10',
    connect: record('connect'),
    disconnect: record('disconnect'),
    runChecks: record('runChecks'),
    startStream: record('startStream'),
    createReport: async (profile) => {
      calls.push(['createReport', [profile]]);
      return { supportId: 'LH-20261202-0123abcd', path: '/tmp/r.zip' };
    },
  };
  const models: TrayModel[] = [];
  const notes: TrayNotification[] = [];
  const reports: string[] = [];
  let opened = 0;
  const feed = createTrayFeed({
    actions, logger: nullLogger,
    render: (m) => models.push(m), notify: (n) => notes.push(n), open: () => opened++, quit: () => {}, reportWritten: (r) => reports.push(r.supportId), now,
  });
  return { feed, actions, calls, models, notes, reports, opened: () => opened };
}

describe('tray feed', () => {
  it('follows tunnel and checks events to ready, then a fixable finding raises "fix available" and the problem icon', async () => {
    const { feed, models, notes } = setup();
    await feed.refresh();
    expect(feed.current().state).toBe('disconnected');
    feed.onEvent('tunnel.status', status('paris', 'connected'));
    feed.onEvent('checks.progress', { runId: 'run-1', id: 'mtu', title: 'Path MTU', state: 'running' });
    expect(feed.current().state).toBe('connecting');
    feed.onEvent('checks.done', done(['mtu.blackhole']));
    expect(feed.current()).toMatchObject({ state: 'problem', icon: 'tray-problem' });
    expect(notes.map((n) => n.kind)).toEqual(['fix-available']);
    expect(models.at(-1)).toBe(feed.current());
    feed.onEvent('tunnel.status', status('paris', 'connected', 'stale'));
    expect(notes.map((n) => n.kind)).toEqual(['fix-available', 'stale']);
  });

  it('a stream host that went away leaves the menu; a failed read keeps the last one', async () => {
    const { feed, actions } = setup();
    await feed.refresh();
    feed.onEvent('tunnel.status', status('paris', 'connected'));
    const start = () => feed.current().menu.find((i) => i.id === 'start-stream')!;
    expect(start().enabled).toBe(true);
    actions.streamHost = async () => {
      throw new Error('site unreadable');
    };
    await feed.refresh();
    expect(start().enabled).toBe(true);
    actions.streamHost = async () => null;
    await feed.refresh();
    expect(start().enabled).toBe(false);
  });

  it('the live health tracker\'s findings sit beside the checks\' own: a blackhole stays a problem, one fix notification', () => {
    const { feed, notes } = setup();
    // The real tracker, fed the same events (core/app/health.ts), its pushes delivered as health.changed.
    const tracker = createHealthTracker({ clock: { now: () => 0, setTimeout: () => 0, clearTimeout: () => {} }, debounceMs: 0 });
    const emit = <E extends 'tunnel.status' | 'checks.done'>(name: E, payload: EventPayload<E>) => {
      feed.onEvent(name, payload);
      observeEvent(tracker, name, payload);
      feed.onEvent('health.changed', { findings: tracker.current() });
    };
    emit('tunnel.status', status('paris', 'connected'));
    emit('checks.done', done(['mtu.blackhole']));
    expect(tracker.current().map((f) => f.code)).toEqual(['checks.fix-available']);
    // Before the fix: the tracker's findings replaced the checks' error and the tray said "ready", then notified the
    // same fix a second time under the tracker's code.
    expect(feed.current()).toMatchObject({ state: 'problem', status: 'Problem — Large packets are lost' });
    expect(notes.map((n) => n.kind)).toEqual(['fix-available']);
    // A later run that finds nothing clears both.
    emit('checks.done', { ...done([]), findings: [] });
    expect(tracker.current()).toEqual([]);
    expect(feed.current().state).toBe('ready');
    feed.setFindings(null);
    expect(feed.current().state).toBe('ready');
  });

  it('a cancelled run, or one that started before the run shown, does not replace the findings shown', () => {
    const { feed } = setup();
    feed.onEvent('tunnel.status', status('paris', 'connected'));
    feed.onEvent('checks.done', { ...done([]), runId: 'fresh', startedAt: '2026-12-03T14:31:06.567Z', findings: [], verdict: 'healthy' });
    expect(feed.current().state).toBe('ready');
    // The run that was going when the fix reconnected: cancelled, or finishing late with an old verdict.
    feed.onEvent('checks.done', { ...done(['mtu.blackhole']), runId: 'old', startedAt: '2026-12-03T14:31:05.935Z', cancelled: true });
    feed.onEvent('checks.done', { ...done(['mtu.blackhole']), runId: 'old2', startedAt: '2026-12-03T14:31:05.935Z' });
    expect(feed.current().state).toBe('ready');
    // A newer run counts.
    feed.onEvent('checks.done', { ...done(['mtu.blackhole']), runId: 'new', startedAt: '2026-12-03T14:32:00.000Z' });
    expect(feed.current().state).toBe('problem');
  });

  it('quick actions call the typed services (a failing one is logged, not thrown); disabled items do nothing', async () => {
    const { feed, calls, reports, opened } = setup();
    await feed.refresh();
    const menu = () => feed.current().menu;
    await feed.act(menu().find((i) => i.id === 'run-checks')!); // disabled while nothing is connected
    expect(calls).toEqual([]);
    feed.onEvent('tunnel.status', status('paris', 'connected'));
    for (const id of ['disconnect', 'run-checks', 'start-stream', 'run-diagnostics', 'open'] as const) await feed.act(menu().find((i) => i.id === id)!);
    expect(calls).toEqual([
      ['disconnect', ['paris']],
      ['runChecks', ['paris']],
      ['startStream', ['10.200.5.10', 'paris']],
      ['createReport', ['paris']],
    ]);
    expect(reports).toEqual(['LH-20261202-0123abcd']);
    expect(opened()).toBe(1);
  });

  it('stream session: the watch\'s explanation of dropped frames becomes a notification, at most once a minute per session; a failure once', () => {
    let t = 1_000_000;
    const { feed, notes } = setup(() => t);
    const warn = (sessionId: string, text: string) => feed.onEvent('stream.session', { sessionId, type: 'warning', text });
    feed.onEvent('stream.session', { sessionId: 's1', type: 'started', text: 'Moonlight started' });
    expect(notes).toEqual([]);
    warn('s1', 'Moonlight dropped 41 frames: the tunnel lost 6 % of the probes (congestion on the line)');
    expect(notes).toEqual([{ kind: 'stream-warning', title: 'The stream stuttered', body: 'Moonlight dropped 41 frames: the tunnel lost 6 % of the probes (congestion on the line)' }]);
    t += 30_000;
    warn('s1', 'Moonlight dropped 12 frames');
    expect(notes).toHaveLength(1);
    warn('s2', 'another session');
    expect(notes).toHaveLength(2);
    t += 30_000;
    warn('s1', 'Moonlight dropped 9 frames: the network was clean');
    expect(notes.map((n) => n.body).at(-1)).toBe('Moonlight dropped 9 frames: the network was clean');
    feed.onEvent('stream.session', { sessionId: 's1', type: 'failure', text: 'Moonlight exited: connection terminated' });
    expect(notes.at(-1)).toEqual({ kind: 'stream-failed', title: 'The stream stopped', body: 'Moonlight exited: connection terminated' });
    const count = notes.length;
    feed.onEvent('stream.session', { sessionId: 's1', type: 'failure', text: 'a second failure line of the same stop' });
    expect(notes, 'one notification per stop').toHaveLength(count);
    expect(feed.current().state).toBe('disconnected');
  });
});
