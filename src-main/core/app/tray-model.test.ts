import { describe, expect, it } from 'vitest';
import type { TunnelStatus } from '../../contract/tunnel';
import { trayModel } from './tray-model';

const st = (name: string, state: TunnelStatus['state'], reason: TunnelStatus['reason'] = null): TunnelStatus => ({
  name, interface: name, state, reason, message: null, endpoint: null, latestHandshakeAgeSec: null, rxBytes: 0, txBytes: 0, peers: [],
});

describe('tray model', () => {
  it('offers to connect each profile when nothing is up', () => {
    expect(trayModel([], ['paris', 'tokyo'])).toEqual({
      status: 'Not connected',
      items: [
        { label: 'Connect paris', action: { kind: 'connect', name: 'paris' } },
        { label: 'Connect tokyo', action: { kind: 'connect', name: 'tokyo' } },
      ],
    });
  });
  it('shows the connected tunnel and offers to disconnect it', () => {
    const m = trayModel([st('paris', 'connected'), st('tokyo', 'disconnected')], ['paris', 'tokyo']);
    expect(m.status).toBe('Connected to paris');
    expect(m.items).toEqual([{ label: 'Disconnect paris', action: { kind: 'disconnect', name: 'paris' } }]);
  });
  it('says when a connected tunnel went stale, and names an error', () => {
    expect(trayModel([st('paris', 'connected', 'stale')], []).status).toMatch(/stopped answering/);
    expect(trayModel([st('paris', 'error', 'no-handshake')], ['paris']).status).toBe('Not connected (paris: no-handshake)');
  });
});
