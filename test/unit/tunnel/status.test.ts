/** The tunnel state machine and the stale rule (issue: > 180 s without handshake while tx grows; + keepalive). */
import { describe, expect, it } from 'vitest';
import { deriveStatus, StaleTracker, type Observation } from '../../../src-main/core/tunnel/status';
import type { WgDumpInterface } from '../../../src-main/core/tunnel/wg-dump';
import { exitCodeOf } from '../../../src-main/core/tunnel/exit-codes';

const PEER = 'fLRi96ayWMVD0pEsP0BY4g5yH3mQsOW27gnq7Gn4sC0=';

function dump(handshake: number | null, tx: number, keepalive: number | null = null): WgDumpInterface {
  return {
    name: 'wg0',
    publicKey: 'owkDAm1AjMJEBTt4mOwg+7f/KNuB30h9noLHgrOfIDA=',
    listenPort: 59070,
    fwmark: null,
    peers: [{ publicKey: PEER, hasPresharedKey: false, endpoint: '198.51.100.20:51820', allowedIps: ['203.0.113.0/24'], latestHandshake: handshake, rxBytes: 100, txBytes: tx, persistentKeepalive: keepalive }],
  };
}

const marker = { name: 'wg0', interface: 'wg0', startedAt: 1000, waitSec: 10 };
const obs = (o: Partial<Observation>): Observation => ({ name: 'wg0', interface: 'wg0', interfaceExists: true, dump: null, marker, nowSec: 1005, ...o });

describe('deriveStatus', () => {
  it('no interface: disconnected, or interface-vanished when Longhaul brought it up', () => {
    const t = new StaleTracker();
    expect(deriveStatus(obs({ interfaceExists: false, marker: null }), t)).toMatchObject({ state: 'disconnected', reason: null });
    expect(deriveStatus(obs({ interfaceExists: false }), t)).toMatchObject({ state: 'error', reason: 'interface-vanished' });
  });

  it('up without a handshake: handshaking within the wait, then no-handshake', () => {
    const t = new StaleTracker();
    expect(deriveStatus(obs({ dump: dump(null, 148), nowSec: 1005 }), t)).toMatchObject({ state: 'handshaking', reason: null });
    expect(deriveStatus(obs({ dump: dump(null, 148), nowSec: 1011 }), t)).toMatchObject({ state: 'error', reason: 'no-handshake', latestHandshakeAgeSec: null });
  });

  it('a handshake: connected, with age, traffic and endpoint', () => {
    const s = deriveStatus(obs({ dump: dump(1003, 500), nowSec: 1005 }), new StaleTracker());
    expect(s).toMatchObject({ state: 'connected', reason: null, latestHandshakeAgeSec: 2, rxBytes: 100, txBytes: 500, endpoint: '198.51.100.20:51820' });
    expect(s.peers[0]).toMatchObject({ publicKey: PEER, latestHandshakeAgeSec: 2 });
  });

  it('an unreadable interface is an error with the reason', () => {
    expect(deriveStatus(obs({ dump: null, dumpError: 'permission-denied' }), new StaleTracker())).toMatchObject({ state: 'error', reason: 'permission-denied' });
  });

  it('stale: > 180 s since the handshake while tx grows', () => {
    const t = new StaleTracker();
    expect(deriveStatus(obs({ dump: dump(1000, 500), nowSec: 1100 }), t).reason).toBeNull();
    expect(deriveStatus(obs({ dump: dump(1000, 900), nowSec: 1150 }), t).reason).toBeNull(); // grows, but only 150 s
    expect(deriveStatus(obs({ dump: dump(1000, 1200), nowSec: 1181 }), t)).toMatchObject({ state: 'connected', reason: 'stale' });
  });

  it('an idle tunnel without keepalive is not stale', () => {
    const t = new StaleTracker();
    deriveStatus(obs({ dump: dump(1000, 500), nowSec: 1010 }), t);
    expect(deriveStatus(obs({ dump: dump(1000, 500), nowSec: 5000 }), t).reason).toBeNull();
  });

  it('with PersistentKeepalive the threshold is 180 s + keepalive', () => {
    const t = new StaleTracker();
    deriveStatus(obs({ dump: dump(1000, 500, 25), nowSec: 1010 }), t);
    expect(deriveStatus(obs({ dump: dump(1000, 600, 25), nowSec: 1200 }), t).reason).toBeNull();
    expect(deriveStatus(obs({ dump: dump(1000, 700, 25), nowSec: 1206 }), t).reason).toBe('stale');
  });

  it('a new handshake resets the baseline', () => {
    const t = new StaleTracker();
    deriveStatus(obs({ dump: dump(1000, 500), nowSec: 1010 }), t);
    expect(deriveStatus(obs({ dump: dump(1000, 900), nowSec: 1200 }), t).reason).toBe('stale');
    expect(deriveStatus(obs({ dump: dump(1195, 1000), nowSec: 1200 }), t).reason).toBeNull();
  });

  it('an injected freshness threshold (the lab) replaces 180 s, keepalive still added', () => {
    const t = new StaleTracker();
    deriveStatus(obs({ dump: dump(1000, 500), nowSec: 1001 }), t);
    expect(deriveStatus(obs({ dump: dump(1000, 600), nowSec: 1002 }), t, { staleAfterSec: 2 }).reason).toBeNull();
    expect(deriveStatus(obs({ dump: dump(1000, 700), nowSec: 1003 }), t, { staleAfterSec: 2 }).reason).toBe('stale');
    expect(deriveStatus(obs({ dump: dump(1000, 800), nowSec: 1003 }), t).reason).toBeNull();
    const k = new StaleTracker();
    deriveStatus(obs({ dump: dump(1000, 500, 5), nowSec: 1001 }), k);
    expect(deriveStatus(obs({ dump: dump(1000, 600, 5), nowSec: 1007 }), k, { staleAfterSec: 2 }).reason).toBeNull();
    expect(deriveStatus(obs({ dump: dump(1000, 700, 5), nowSec: 1008 }), k, { staleAfterSec: 2 }).reason).toBe('stale');
  });
});

describe('exit codes (CLI contract)', () => {
  it('0 connected/disconnected, 1 no handshake or refused, 2 could not run', () => {
    expect(exitCodeOf({ state: 'connected', reason: null })).toBe(0);
    expect(exitCodeOf({ state: 'disconnected', reason: null })).toBe(0);
    expect(exitCodeOf({ state: 'error', reason: 'no-handshake' })).toBe(1);
    expect(exitCodeOf({ state: 'error', reason: 'route-conflict' })).toBe(1);
    expect(exitCodeOf({ state: 'error', reason: 'hooks-refused' })).toBe(1);
    expect(exitCodeOf({ state: 'error', reason: 'tools-missing' })).toBe(2);
    expect(exitCodeOf({ state: 'error', reason: 'endpoint-unresolvable' })).toBe(2);
    expect(exitCodeOf({ state: 'error', reason: 'interface-exists' })).toBe(2);
  });
});

describe('StaleTracker persistence', () => {
  it('keeps baselines across processes so a one-shot `status` can see stale', () => {
    const a = new StaleTracker();
    deriveStatus(obs({ dump: dump(1000, 500), nowSec: 1010 }), a);
    expect(a.takeDirty()).toBe(true);
    expect(a.takeDirty()).toBe(false);
    const b = StaleTracker.from(JSON.parse(JSON.stringify(a)));
    expect(deriveStatus(obs({ dump: dump(1000, 900), nowSec: 1200 }), b).reason).toBe('stale');
    expect(StaleTracker.from('garbage').toJSON()).toEqual({});
  });
});
