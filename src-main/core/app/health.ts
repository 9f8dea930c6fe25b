/**
 * The app's live health: one tracker per core (`healthOf`), and what feeds it (here, in the composition layer, because
 * it reads other domains' events; the tracker itself, `core/health`, knows only findings). What feeds it: the events the app already sends — `tunnel.status` (the status watcher's poll, and
 * every connect/disconnect) and `checks.done` — read as live conditions. `withHealthFeed` taps a host's `emit`, so
 * the tracker sees exactly what the renderer sees, whoever emitted it. Environment: plain Node.
 *
 *   tunnel.status reason `stale` (connected, no handshake for longer than the freshness threshold while traffic is
 *     sent: core/tunnel/status.ts)                            → `tunnel.stale`, subject = the tunnel
 *   tunnel.status reason `interface-vanished` (the interface Longhaul brought up is gone) → `tunnel.vanished`
 *   checks.done with something in `fixable`                    → `checks.fix-available` (a later run without clears it)
 * Any other status of the tunnel clears its stale/vanished conditions; a cancelled run changes nothing, nor does a run
 * that started before the newest one seen for that profile (it finished late: its verdict is older).
 */
import type { EventEmitterFn, EventName, EventPayload } from '../../contract';
import type { ChecksDone } from '../../contract/checks';
import type { TunnelStatus } from '../../contract/tunnel';
import { createHealthTracker, type HealthTracker } from '../health/tracker';
import { staleThreshold } from '../tunnel/status';
import type { CoreServices } from './services';

const trackers = new WeakMap<CoreServices, HealthTracker>();

export function healthOf(core: CoreServices): HealthTracker {
  let t = trackers.get(core);
  if (!t) {
    t = createHealthTracker();
    trackers.set(core, t);
  }
  return t;
}

export function observeTunnelStatus(t: HealthTracker, s: TunnelStatus): void {
  const subject = s.name;
  const evidence = { interface: s.interface, endpoint: s.endpoint, latestHandshakeAgeSec: s.latestHandshakeAgeSec, rxBytes: s.rxBytes, txBytes: s.txBytes };
  if (s.state === 'connected' && s.reason === 'stale') {
    const keepalive = Math.max(0, ...s.peers.map((p) => p.persistentKeepalive ?? 0));
    t.set('tunnel.stale', { profile: s.name, endpoint: s.endpoint ?? 'the gateway', thresholdSec: staleThreshold(keepalive || null) }, evidence, subject);
  } else t.clear('tunnel.stale', subject);
  if (s.reason === 'interface-vanished') t.set('tunnel.vanished', { profile: s.name, interface: s.interface }, evidence, subject);
  else t.clear('tunnel.vanished', subject);
}

/** The start of the newest run seen per tracker and profile: a run that started earlier and ends later is stale. */
const newestRun = new WeakMap<HealthTracker, Map<string, string>>();

export function observeChecksDone(t: HealthTracker, d: ChecksDone): void {
  if (d.cancelled) return;
  let seen = newestRun.get(t);
  if (!seen) newestRun.set(t, (seen = new Map()));
  const newest = seen.get(d.profile);
  // ISO UTC times compare as text. An older run finishing after a newer one (a fix reconnected in between) says
  // nothing about the tunnel now.
  if (newest !== undefined && d.startedAt < newest) return;
  seen.set(d.profile, d.startedAt);
  const fixable = d.findings.filter((f) => d.fixable.includes(f.code));
  if (fixable.length === 0) {
    t.clear('checks.fix-available', d.profile);
    return;
  }
  t.set('checks.fix-available', { profile: d.profile, finding: fixable.map((f) => f.title).join('; ') }, { runId: d.runId, codes: d.fixable }, d.profile);
}

export function observeEvent<E extends EventName>(t: HealthTracker, name: E, payload: EventPayload<E>): void {
  if (name === 'tunnel.status') observeTunnelStatus(t, payload as TunnelStatus);
  else if (name === 'checks.done') observeChecksDone(t, payload as ChecksDone);
}

/** The same host, whose `emit` also feeds the tracker (after the event went out; a feed error never blocks it). */
export function withHealthFeed<H extends { emit: EventEmitterFn }>(host: H, t: HealthTracker, onError?: (e: Error) => void): H {
  const emit: EventEmitterFn = (name, payload) => {
    host.emit(name, payload);
    try {
      observeEvent(t, name, payload);
    } catch (e) {
      onError?.(e as Error);
    }
  };
  return { ...host, emit };
}
