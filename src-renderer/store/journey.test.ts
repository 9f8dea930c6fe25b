import { describe, expect, it } from 'vitest';
import type { ChecksDone } from '../../src-main/contract/checks';
import type { Finding as FindingView, FindingCode } from '../../src-main/contract/diagnosis';
import type { TunnelStatus } from '../../src-main/contract/tunnel';
import type { CapacityDoc } from '../../src-main/contract/stream';
import { deriveJourney, journeyProfile, mbitText, progressText, type JourneyInput } from './journey';

const tunnel = (name: string, state: TunnelStatus['state'], reason: TunnelStatus['reason'] = null, message: string | null = null): TunnelStatus => ({
  name, interface: name, state, reason, message, endpoint: '192.0.2.1:51820', latestHandshakeAgeSec: 3, rxBytes: 0, txBytes: 0, peers: [],
});
const site = { name: 'Northlight Paris', dnsNames: [], streamHosts: [{ name: 'ws1', host: '10.200.5.10' }] };
const profile = (name: string, withSite = true) => ({ name, endpoint: '192.0.2.1:51820', origin: 'user' as const, site: withSite ? site : null });
const finding = (code: FindingCode, severity: FindingView['severity'], evidence: Record<string, unknown> = {}): FindingView => ({ code, severity, title: `${code} title`, detail: `${code} detail`, fix: `${code} fix`, evidence, dependsOn: [] });
const done = (verdict: ChecksDone['verdict'], findings: FindingView[] = [], fixable: FindingCode[] = []): ChecksDone => ({
  runId: 'r1', schemaVersion: 1, profile: 'paris', interface: 'paris', site: null, startedAt: '2026-12-02T00:00:00.000Z', verdict, pathMtu: verdict === 'healthy' ? 1420 : 1372, rttMs: 4, durationMs: 2000, cancelled: false, findings, checks: [], fixable,
});

function input(over: Partial<JourneyInput> = {}, checks: Partial<JourneyInput['checks']> = {}, stream: Partial<JourneyInput['stream']> = {}): JourneyInput {
  return {
    link: 'up',
    loaded: true,
    profiles: [profile('paris')],
    selected: null,
    tunnels: {},
    busy: null,
    gateRequired: false,
    ...over,
    checks: { runId: null, profile: null, items: [], done: null, error: null, fixing: false, ...checks },
    stream: { hosts: [{ name: 'ws1', host: '10.200.5.10', app: null, source: 'site' }], moonlightFound: true, settings: null, launching: false, plan: null, error: null, session: null, lastCapacity: {}, ...stream },
  };
}

const connected = { tunnels: { paris: tunnel('paris', 'connected') } };

describe('deriveJourney', () => {
  it('waits for the core, then asks for a profile when there is none', () => {
    expect(deriveJourney(input({ link: 'connecting' })).step).toBe('starting');
    expect(deriveJourney(input({ loaded: false, profiles: [] })).step).toBe('starting');
    expect(deriveJourney(input({ link: 'lost' })).step).toBe('unreachable');
    expect(deriveJourney(input({ profiles: [] })).step).toBe('no-profile');
  });

  it('one profile, nothing up: disconnected, with the site name', () => {
    expect(deriveJourney(input())).toMatchObject({ step: 'disconnected', profile: 'paris', site: 'Northlight Paris' });
  });

  it('connecting while the call is in flight, then the handshake', () => {
    expect(deriveJourney(input({ busy: 'paris' }))).toMatchObject({ step: 'connecting', phase: 'starting' });
    expect(deriveJourney(input({ tunnels: { paris: tunnel('paris', 'handshaking') } }))).toMatchObject({ step: 'connecting', phase: 'handshake' });
  });

  it('connected without a run for this profile: verifying, asking for a run; a run in flight shows progress', () => {
    expect(deriveJourney(input(connected))).toMatchObject({ step: 'verifying', needsRun: true, total: 0 });
    const j = deriveJourney(input(connected, { profile: 'paris', runId: 'r1', items: [{ id: 'a', title: 'Handshake', state: 'done' }, { id: 'b', title: 'Path MTU', state: 'running' }, { id: 'c', title: 'DNS', state: 'pending' }] }));
    expect(j).toMatchObject({ step: 'verifying', needsRun: false, done: 1, total: 3, current: 'Path MTU' });
    if (j.step !== 'verifying') throw new Error('verifying expected');
    expect(progressText(j)).toBe('1 of 3 checks done — Path MTU');
  });

  it('a progress event before checks.run answers (no run id, list unknown): no count yet, not "0 of 1"', () => {
    const j = deriveJourney(input(connected, { profile: 'paris', runId: null, items: [{ id: 'a', title: 'Tunnel interface and handshake', state: 'running' }] }));
    expect(j).toMatchObject({ step: 'verifying', needsRun: false, done: 0, total: 0, current: 'Tunnel interface and handshake' });
    if (j.step !== 'verifying') throw new Error('verifying expected');
    expect(progressText(j)).toBe('Starting the checks — Tunnel interface and handshake');
  });

  it('a run being started (profile set, no id yet) does not ask for a second run', () => {
    expect(deriveJourney(input(connected, { profile: 'paris' }))).toMatchObject({ step: 'verifying', needsRun: false });
  });

  it('healthy checks: ready with the site host, path MTU and warnings', () => {
    const j = deriveJourney(input(connected, { profile: 'paris', runId: 'r1', done: done('degraded', [finding('dns.name-unresolved', 'warning')]) }));
    expect(j).toMatchObject({ step: 'ready', host: { name: 'ws1', host: '10.200.5.10' }, pathMtu: 1372, warnings: ['dns.name-unresolved title'], launching: false });
  });

  it('ready: the line from the profile’s last stored measurement (Mbit/s, when, the bitrate when known), or plainly none', () => {
    const ok = { profile: 'paris', done: done('healthy') };
    const measured: CapacityDoc = {
      status: 'measured', profile: 'paris', measuredAt: '2026-12-03T08:40:00.000Z', neededKbps: 20_000, downKbps: 18_400, lossPercent: 0, jitterMs: 1, delayGrowthMs: 2,
      durationMs: 2000, bytes: 1, server: { host: '10.200.0.1', port: 5201 }, steps: [], limit: 'capacity', targetKbps: 25_000, packetBytes: 1392, fps: 60, truncated: false,
    };
    // Not asked yet: no line fact (the row waits), no number.
    expect(deriveJourney(input(connected, ok))).toMatchObject({ step: 'ready', capacityMbps: null, line: null });
    expect(deriveJourney(input(connected, ok, { lastCapacity: { paris: { capacity: null, bitrateKbps: null } } }))).toMatchObject({ capacityMbps: null, line: { kind: 'never' } });
    expect(deriveJourney(input(connected, ok, { lastCapacity: { paris: { capacity: measured, bitrateKbps: null } } }))).toMatchObject({
      capacityMbps: 18.4, line: { kind: 'measured', downKbps: 18_400, measuredAt: '2026-12-03T08:40:00.000Z', bitrateKbps: null, elsewhere: false },
    });
    // Measured on another network (main says so): shown as such.
    expect(deriveJourney(input(connected, ok, { lastCapacity: { paris: { capacity: measured, bitrateKbps: null, network: 'other' } } }))).toMatchObject({ line: { kind: 'measured', elsewhere: true } });
    expect(deriveJourney(input(connected, ok, { lastCapacity: { paris: { capacity: measured, bitrateKbps: 18_000, network: 'this' } } }))).toMatchObject({ line: { elsewhere: false, bitrateKbps: 18_000 } });
    expect(deriveJourney(input(connected, ok, { lastCapacity: { paris: { capacity: measured, bitrateKbps: 18_000 } } }))).toMatchObject({ line: { bitrateKbps: 18_000 } });
    // Another profile's measurement is not this line.
    expect(deriveJourney(input(connected, ok, { lastCapacity: { tokyo: { capacity: measured, bitrateKbps: null } } }))).toMatchObject({ capacityMbps: null, line: null });
    const failed: CapacityDoc = { status: 'failed', profile: 'paris', measuredAt: null, neededKbps: 20_000, reason: 'unreachable', message: 'The capacity probe does not answer.' };
    expect(deriveJourney(input(connected, ok, { lastCapacity: { paris: { capacity: failed, bitrateKbps: null } } }))).toMatchObject({ capacityMbps: null, line: { kind: 'not-measured', text: 'The capacity probe does not answer.' } });
    expect(deriveJourney(input(connected, ok, { lastCapacity: { paris: { error: 'no answer' } } }))).toMatchObject({ capacityMbps: null, line: { kind: 'unreadable', text: 'no answer' } });
    expect([mbitText(18_400), mbitText(9_990), mbitText(120_000)]).toEqual(['18', '9.9', '120']);
  });

  it('a blackhole: the problem in plain words with Apply fix naming the MTU; without fixability, run again', () => {
    const bh = finding('mtu.blackhole', 'error', { pathMtu: 1372 });
    expect(deriveJourney(input(connected, { profile: 'paris', done: done('broken', [finding('dns.system-not-using-tunnel', 'warning'), bh], ['mtu.blackhole']) }))).toMatchObject({
      step: 'problem', code: 'mtu.blackhole', title: 'mtu.blackhole title', text: 'mtu.blackhole detail', fix: 'mtu.blackhole fix', action: { kind: 'apply-fix', code: 'mtu.blackhole', label: 'Apply fix: MTU 1372' },
    });
    expect(deriveJourney(input(connected, { profile: 'paris', done: done('broken', [bh], []) }))).toMatchObject({ step: 'problem', action: { kind: 'rerun-checks' } });
    // Another error listed first (a stalled TLS flight, a symptom of the same path): the fixable one leads.
    const stalled = finding('tcp.large-payload-stalled', 'error');
    expect(deriveJourney(input(connected, { profile: 'paris', done: done('broken', [stalled, bh], ['mtu.blackhole']) }))).toMatchObject({ code: 'mtu.blackhole', action: { kind: 'apply-fix' } });
    expect(deriveJourney(input(connected, { profile: 'paris', done: done('broken', [stalled, bh], []) }))).toMatchObject({ code: 'tcp.large-payload-stalled' });
  });

  it('applying the fix shows as verifying', () => {
    expect(deriveJourney(input(connected, { profile: 'paris', fixing: true, done: done('broken') }))).toMatchObject({ step: 'verifying', fixing: true });
  });

  it('tunnel errors name the reason; a route conflict offers Connect anyway; a stale handshake offers Reconnect', () => {
    expect(deriveJourney(input({ tunnels: { paris: tunnel('paris', 'error', 'route-conflict', 'overlaps 10.0.0.0/8') } }))).toMatchObject({
      step: 'problem', code: 'tunnel.route-conflict', text: 'overlaps 10.0.0.0/8', action: { kind: 'connect-anyway' },
    });
    expect(deriveJourney(input({ tunnels: { paris: tunnel('paris', 'error', 'no-handshake') } }))).toMatchObject({ step: 'problem', title: 'The farm gateway does not answer', action: { kind: 'reconnect' } });
    expect(deriveJourney(input({ tunnels: { paris: tunnel('paris', 'connected', 'stale') } }, { profile: 'paris', done: done('healthy') }))).toMatchObject({ step: 'problem', code: 'tunnel.stale', action: { kind: 'reconnect', label: 'Reconnect' } });
  });

  it('a running session is streaming; an ended one returns to ready with its last words', () => {
    const ok = { profile: 'paris', done: done('healthy') };
    expect(deriveJourney(input(connected, ok, { session: { id: 's1', host: '10.200.5.10', state: 'running', text: null } }))).toMatchObject({ step: 'streaming', host: '10.200.5.10' });
    expect(deriveJourney(input(connected, ok, { session: { id: 's1', host: '10.200.5.10', state: 'ended', text: 'Stream ended' } }))).toMatchObject({ step: 'ready', lastSession: 'Stream ended' });
  });

  it('a blocked launch is a problem with the failed gate item; policy requireGate offers no override', () => {
    const plan = { blocked: true, sessionId: null, gate: [{ id: 'tunnel', status: 'pass' as const, summary: 'up' }, { id: 'path-mtu', status: 'fail' as const, summary: 'big packets lost', findingCode: 'mtu.blackhole', fix: 'lower the MTU' }] };
    const ok = { profile: 'paris', done: done('healthy') };
    expect(deriveJourney(input(connected, ok, { plan }))).toMatchObject({ step: 'problem', code: 'mtu.blackhole', text: 'big packets lost', fix: 'lower the MTU', action: { kind: 'launch-anyway' } });
    expect(deriveJourney(input({ ...connected, gateRequired: true }, ok, { plan }))).toMatchObject({ action: { kind: 'rerun-checks' } });
  });

  it('no Moonlight, or no host: the problem with its fix', () => {
    const ok = { profile: 'paris', done: done('healthy') };
    expect(deriveJourney(input(connected, ok, { moonlightFound: false }))).toMatchObject({ step: 'problem', action: { kind: 'choose-moonlight' } });
    expect(deriveJourney(input({ ...connected, profiles: [profile('paris', false)] }, ok, { hosts: [] }))).toMatchObject({ step: 'problem', code: 'stream.no-host', action: { kind: 'open-page', page: 'stream' } });
  });

  it('follows the connected profile over the selected one', () => {
    const profiles = [profile('paris'), profile('tokyo')];
    expect(journeyProfile({ profiles, selected: 'paris', tunnels: { tokyo: tunnel('tokyo', 'connected') } })).toBe('tokyo');
    expect(journeyProfile({ profiles, selected: 'tokyo', tunnels: {} })).toBe('tokyo');
    expect(journeyProfile({ profiles, selected: 'gone', tunnels: {} })).toBe('paris');
  });
});
