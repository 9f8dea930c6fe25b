/**
 * The tunnel state machine: from what the OS shows (interface present, `wg show dump`) and what Longhaul remembers
 * (it brought the tunnel up at time T and waits W seconds) to a state and a reason. Environment: any.
 *
 *   disconnected → connecting (up running) → handshaking (interface up, no handshake yet, within the wait)
 *     → connected (a handshake) ; error(reason) on failure: no-handshake once the wait is over, interface-vanished
 *     when the interface Longhaul brought up is gone, and the up-time reasons (tools-missing, route-conflict, …).
 *
 * Stale (issue rule): no fresh handshake (core/net/handshake.ts: > 180 s, + keepalive when PersistentKeepalive is set)
 * while tx grows.
 * An idle tunnel without keepalive is not stale: WireGuard only handshakes when there is something to send.
 */
import type { TunnelReason, TunnelState, TunnelStatus } from '../../contract/tunnel';
import { HANDSHAKE_FRESH_SEC, handshakeAgeSec } from '../net/handshake-age';
import { totals, type WgDumpInterface } from './wg-dump';

/** What Longhaul recorded when it brought a tunnel up (`<state>/tunnels/<name>.json`). */
export interface TunnelMarker {
  name: string;
  interface: string;
  /** Unix seconds when `up` started. */
  startedAt: number;
  /** Seconds `up` waits for the first handshake. */
  waitSec: number;
}

export interface Observation {
  name: string;
  interface: string;
  interfaceExists: boolean;
  /** Null when the interface exists but could not be read. */
  dump: WgDumpInterface | null;
  /** Why the dump could not be read (permission-denied …). */
  dumpError?: TunnelReason;
  marker: TunnelMarker | null;
  nowSec: number;
}

/** Remembers tx at each peer's latest handshake, so "tx grew since the last handshake" can be decided. */
export class StaleTracker {
  private readonly seen = new Map<string, { handshake: number | null; tx: number }>();
  /** Set when a baseline changed since the last `takeDirty()` (the controller then persists the baselines). */
  private dirty = false;

  /** Baselines persist across processes (`status` from the CLI is one observation per process). */
  static from(saved: unknown): StaleTracker {
    const t = new StaleTracker();
    if (saved && typeof saved === 'object') {
      for (const [k, v] of Object.entries(saved as Record<string, { handshake: number | null; tx: number }>)) {
        if (v && typeof v.tx === 'number') t.seen.set(k, { handshake: typeof v.handshake === 'number' ? v.handshake : null, tx: v.tx });
      }
    }
    return t;
  }

  toJSON(): Record<string, { handshake: number | null; tx: number }> {
    return Object.fromEntries(this.seen);
  }

  takeDirty(): boolean {
    const d = this.dirty;
    this.dirty = false;
    return d;
  }

  /** True when tx grew since the handshake the peer last reported (or since the first observation). */
  txGrewSinceHandshake(iface: string, publicKey: string, handshake: number | null, tx: number): boolean {
    const key = `${iface}|${publicKey}`;
    const e = this.seen.get(key);
    if (!e || e.handshake !== handshake) {
      this.seen.set(key, { handshake, tx });
      this.dirty = true;
      return false;
    }
    return tx > e.tx;
  }
}

/** Seconds without a handshake, while tx grows, after which a tunnel is stale (`staleAfterSec`: tests, the lab). */
export function staleThreshold(keepalive: number | null, staleAfterSec: number = HANDSHAKE_FRESH_SEC): number {
  return staleAfterSec + (keepalive ?? 0);
}

export interface DeriveOptions {
  /** Replaces HANDSHAKE_FRESH_SEC (core/net/handshake.ts) (the lab: a few seconds, so a blocked path shows stale within a test). */
  staleAfterSec?: number;
}

export function deriveStatus(o: Observation, tracker: StaleTracker, opts: DeriveOptions = {}): TunnelStatus {
  const result = (state: TunnelState, reason: TunnelReason | null, extra: Partial<TunnelStatus> = {}): TunnelStatus => ({
    name: o.name,
    interface: o.interface,
    state,
    reason,
    message: null,
    endpoint: null,
    latestHandshakeAgeSec: null,
    rxBytes: 0,
    txBytes: 0,
    peers: [],
    ...extra,
  });
  if (!o.interfaceExists) return o.marker ? result('error', 'interface-vanished') : result('disconnected', null);
  if (!o.dump) return result('error', o.dumpError ?? 'permission-denied');
  const d = o.dump;
  const t = totals(d);
  const age = (hs: number | null) => handshakeAgeSec(hs, o.nowSec);
  const peers = d.peers.map((p) => ({
    publicKey: p.publicKey,
    endpoint: p.endpoint,
    allowedIps: p.allowedIps,
    latestHandshakeAgeSec: age(p.latestHandshake),
    rxBytes: p.rxBytes,
    txBytes: p.txBytes,
    persistentKeepalive: p.persistentKeepalive,
  }));
  const extra: Partial<TunnelStatus> = {
    endpoint: d.peers.find((p) => p.endpoint)?.endpoint ?? null,
    latestHandshakeAgeSec: age(t.latestHandshake),
    rxBytes: t.rxBytes,
    txBytes: t.txBytes,
    peers,
  };
  if (t.latestHandshake === null) {
    const waiting = o.marker !== null && o.nowSec - o.marker.startedAt < o.marker.waitSec;
    return waiting ? result('handshaking', null, extra) : result('error', 'no-handshake', extra);
  }
  // Every peer is shown to the tracker on every observation (no short-circuit), so it keeps its baselines.
  const stalePeers = d.peers.map((p) => {
    const grew = tracker.txGrewSinceHandshake(d.name, p.publicKey, p.latestHandshake, p.txBytes);
    return p.latestHandshake !== null && grew && o.nowSec - p.latestHandshake > staleThreshold(p.persistentKeepalive, opts.staleAfterSec);
  });
  const stale = stalePeers.some(Boolean);
  return result('connected', stale ? 'stale' : null, extra);
}
