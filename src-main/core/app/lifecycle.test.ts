import type * as os from 'node:os';
import { describe, expect, it } from 'vitest';
import type { TunnelStatus } from '../../contract/tunnel';
import { createMemoryLogger } from '../log/logger';
import { autoConnect, networkFingerprint, startLifecycle } from './lifecycle';

const addr = (address: string): os.NetworkInterfaceInfo => ({ address, netmask: '255.255.255.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: false, cidr: `${address}/24` });
const st = (name: string, state: TunnelStatus['state']): TunnelStatus => ({ name, interface: name, state, reason: null, message: null, endpoint: null, latestHandshakeAgeSec: 3, rxBytes: 1, txBytes: 1, peers: [] });

describe('lifecycle', () => {
  it('fingerprints addresses independent of order, and sees a renumbered network', () => {
    const a = networkFingerprint(() => ({ eth0: [addr('192.168.1.5'), addr('10.0.0.2')], lo: [addr('127.0.0.1')] }));
    const b = networkFingerprint(() => ({ lo: [addr('127.0.0.1')], eth0: [addr('10.0.0.2'), addr('192.168.1.5')] }));
    const c = networkFingerprint(() => ({ lo: [addr('127.0.0.1')], eth0: [addr('10.0.0.2'), addr('192.168.7.5')] }));
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it('on a network change re-reads status and re-runs the checks of connected tunnels only, ignoring its own interfaces', async () => {
    let nets: NodeJS.Dict<os.NetworkInterfaceInfo[]> = { eth0: [addr('192.168.1.5')] };
    let refreshes = 0;
    const runs: string[] = [];
    const lc = startLifecycle({
      watcher: { refresh: async () => (refreshes++, [st('paris', 'connected'), st('tokyo', 'disconnected')]), stop() {} },
      runChecks: async (profile) => runs.push(profile),
      logger: createMemoryLogger(),
      interfaces: () => nets,
      networkPollMs: 10,
      isOwnInterface: (n) => n === 'paris',
    });
    nets = { eth0: [addr('192.168.1.5')], paris: [addr('10.77.0.2')] }; // our own tunnel appearing is not a change
    await new Promise((r) => setTimeout(r, 60));
    expect(refreshes).toBe(0);
    nets = { eth0: [addr('10.20.30.40')], paris: [addr('10.77.0.2')] }; // the artist moved to another network
    await new Promise((r) => setTimeout(r, 60));
    expect(refreshes).toBe(1);
    expect(runs).toEqual(['paris']);
    expect(await lc.recheck('resume')).toEqual(['paris']);
    expect(runs).toEqual(['paris', 'paris']);
    lc.stop();
  });
});

describe('policy-driven lifecycle', () => {
  it('checkIntervalSec re-checks connected tunnels periodically; 0 never does', async () => {
    let interval = 0;
    const runs: string[] = [];
    const lc = startLifecycle({
      watcher: { refresh: async () => [st('paris', 'connected')], stop() {} },
      runChecks: async (profile) => runs.push(profile),
      logger: createMemoryLogger(),
      interfaces: () => ({}),
      networkPollMs: 0,
      checkIntervalSec: () => interval,
    });
    await new Promise((r) => setTimeout(r, 1200));
    expect(runs).toEqual([]);
    interval = 1;
    await new Promise((r) => setTimeout(r, 2300));
    expect(runs.length).toBeGreaterThanOrEqual(1);
    lc.stop();
  });

  it('autoConnect connects the policy-provisioned profile only when enabled and nothing is up', async () => {
    const connected: string[] = [];
    const base = {
      connect: async (name: string) => (connected.push(name), st(name, 'connected')),
      logger: createMemoryLogger(),
      profiles: [
        { name: 'mine', origin: 'user' as const },
        { name: 'paris', origin: 'policy' as const },
      ],
    };
    expect(await autoConnect({ ...base, enabled: false, statuses: [] })).toBeNull();
    expect(await autoConnect({ ...base, enabled: true, statuses: [st('mine', 'connected')] })).toBeNull();
    expect(await autoConnect({ ...base, enabled: true, statuses: [] })).toBe('paris');
    expect(connected).toEqual(['paris']);
    expect(await autoConnect({ ...base, enabled: true, statuses: [], profiles: [{ name: 'mine', origin: 'user' }] })).toBeNull();
  });
});
