import { describe, expect, it } from 'vitest';
import type { TunnelStatus } from '../../contract/tunnel';
import { trayModel, trayNotifications, type TrayInput } from './tray-model';

const st = (name: string, state: TunnelStatus['state'], reason: TunnelStatus['reason'] = null, message: string | null = null) => ({ name, state, reason, message });
const inp = (over: Partial<TrayInput> = {}): TrayInput => ({ tunnels: [], profiles: ['paris'], findings: [], checksRunning: false, streamHost: '10.200.5.10', ...over });
const item = (m: ReturnType<typeof trayModel>, id: string) => m.menu.find((i) => i.id === id)!;

describe('tray model', () => {
  it('disconnected: one Connect per profile ("Connect" alone for one), checks and stream off, diagnostics and open on', () => {
    const m = trayModel(inp());
    expect(m).toMatchObject({ state: 'disconnected', icon: 'tray-disconnected', tooltip: 'Longhaul — Not connected' });
    expect(m.menu.map((i) => [i.id, i.label, i.enabled])).toEqual([
      ['connect', 'Connect', true],
      ['run-checks', 'Run checks', false],
      ['start-stream', 'Start stream (10.200.5.10)', false],
      ['run-diagnostics', 'Run diagnostics', true],
      ['open', 'Open Longhaul', true],
      ['quit', 'Quit', true],
    ]);
    expect(trayModel(inp({ profiles: ['paris', 'tokyo'] })).menu.filter((i) => i.id === 'connect').map((i) => [i.label, i.profile])).toEqual([['Connect paris', 'paris'], ['Connect tokyo', 'tokyo']]);
    expect(item(trayModel(inp({ profiles: [] })), 'connect').enabled).toBe(false);
  });

  it('connecting while the handshake or the checks run; ready once connected and checked', () => {
    expect(trayModel(inp({ tunnels: [st('paris', 'handshaking')] }))).toMatchObject({ state: 'connecting', icon: 'tray-connecting', status: 'Connecting to paris…' });
    const checking = trayModel(inp({ tunnels: [st('paris', 'connected')], checksRunning: true }));
    expect(checking).toMatchObject({ state: 'connecting', status: 'Checking the tunnel to paris…' });
    expect(item(checking, 'run-checks').enabled).toBe(false);
    const ready = trayModel(inp({ tunnels: [st('paris', 'connected')] }));
    expect(ready).toMatchObject({ state: 'ready', icon: 'tray-ready', tooltip: 'Longhaul — Ready to stream (paris)' });
    expect(ready.menu.map((i) => [i.id, i.enabled, i.profile])).toEqual([
      ['disconnect', true, 'paris'],
      ['run-checks', true, 'paris'],
      ['start-stream', true, 'paris'],
      ['run-diagnostics', true, 'paris'],
      ['open', true, undefined],
      ['quit', true, undefined],
    ]);
    expect(item(trayModel(inp({ tunnels: [st('paris', 'connected')], streamHost: null })), 'start-stream')).toMatchObject({ label: 'Start stream', enabled: false });
  });

  it('problem: a stale handshake, a failed tunnel, or an error finding on a connected tunnel (stream off)', () => {
    expect(trayModel(inp({ tunnels: [st('paris', 'connected', 'stale')] }))).toMatchObject({ state: 'problem', icon: 'tray-problem', status: 'Problem — paris: the farm gateway stopped answering' });
    expect(trayModel(inp({ tunnels: [st('paris', 'error', 'no-handshake', 'No answer from the gateway')] })).status).toBe('Problem — paris: No answer from the gateway');
    const bh = trayModel(inp({ tunnels: [st('paris', 'connected')], findings: [{ code: 'mtu.blackhole', severity: 'error', title: 'Large packets are lost' }] }));
    expect(bh).toMatchObject({ state: 'problem', status: 'Problem — Large packets are lost' });
    expect(item(bh, 'start-stream').enabled).toBe(false);
    // A warning is not a problem; an error finding of a tunnel that is down says nothing now.
    expect(trayModel(inp({ tunnels: [st('paris', 'connected')], findings: [{ code: 'dns.slow', severity: 'warning', title: 'slow' }] })).state).toBe('ready');
    expect(trayModel(inp({ findings: [{ code: 'mtu.blackhole', severity: 'error', title: 'x' }] })).state).toBe('disconnected');
  });
});

describe('tray notifications', () => {
  it('none on the first model, none when nothing changed', () => {
    const a = inp({ tunnels: [st('paris', 'connected', 'stale')] });
    expect(trayNotifications(null, a)).toEqual([]);
    expect(trayNotifications(a, a)).toEqual([]);
  });
  it('a handshake going stale, once', () => {
    const n = trayNotifications(inp({ tunnels: [st('paris', 'connected')] }), inp({ tunnels: [st('paris', 'connected', 'stale', 'No handshake for 3 minutes')] }));
    expect(n).toEqual([{ kind: 'stale', title: 'The farm gateway stopped answering', body: 'No handshake for 3 minutes' }]);
  });
  it('a connected tunnel whose interface vanished: dropped; a disconnect the artist asked for: nothing', () => {
    expect(trayNotifications(inp({ tunnels: [st('paris', 'connected')] }), inp({ tunnels: [st('paris', 'error', 'interface-vanished')] })).map((x) => x.kind)).toEqual(['dropped']);
    expect(trayNotifications(inp({ tunnels: [st('paris', 'connected')] }), inp({ tunnels: [st('paris', 'disconnected')] }))).toEqual([]);
  });
  it('a fix that becomes available, once per code', () => {
    const f = { code: 'mtu.blackhole', severity: 'error' as const, title: 'Large packets are lost', fixable: true };
    const before = inp({ tunnels: [st('paris', 'connected')] });
    const after = inp({ tunnels: [st('paris', 'connected')], findings: [f] });
    expect(trayNotifications(before, after)).toEqual([{ kind: 'fix-available', title: 'Fix available: Large packets are lost', body: 'Open Longhaul and choose Apply fix.' }]);
    expect(trayNotifications(after, after)).toEqual([]);
    expect(trayNotifications(before, inp({ tunnels: [st('paris', 'connected')], findings: [{ ...f, fixable: false }] }))).toEqual([]);
  });
});
