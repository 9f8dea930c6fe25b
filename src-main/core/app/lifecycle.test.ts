import type * as os from 'node:os';
import { describe, expect, it } from 'vitest';
import type { TunnelStatus } from '../../contract/tunnel';
import { createMemoryLogger } from '../log/logger';
import { networkFingerprint, startLifecycle } from './lifecycle';

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
      handlers: { 'checks.run': async (req) => (runs.push(req.profile), { runId: `r-${req.profile}`, checks: [] }) },
      ctx: { host: 'harness' },
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
