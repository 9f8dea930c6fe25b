/**
 * `up` for a non-root app: everything the helper cannot decide is decided here, then the helper does the privileged
 * part. Route conflicts are a client-side decision (local networks from `ip -j addr`, other tunnels from the helper's
 * `status`), refused unless `force` (logged) — so the helper needs no `--force`. The canonical text (with the private
 * key) goes to the helper on stdin. A policy profile with approved hooks cannot be sent (the helper refuses hooks from
 * the app): nothing is sent and the helper uses the copy IT installed for it. Likewise for a site provisioned by
 * policy whose keys only the helper can read (`keyHolder: 'helper'`): nothing is sent, the helper reads the policy's
 * bundle itself. The helper waits at most 10 s for the
 * handshake; this side keeps polling `status` until its own `--wait`. Environment: plain Node.
 */
import type { TunnelStatus } from '../../contract/tunnel';
import type { CoreServices } from '../app/services';
import { readLocalNetworks } from '../net/local-networks';
import type { ConnectedTunnel, WgProfile } from '../profiles';
import { failureStatus } from './controller';
import { callHelper } from './helper-client';
import { reasonMessage } from './messages';
import { checkRoutes, hasHooks, TunnelFailure, type RouteInputs } from './preflight';
import { isHelperHeld } from '../profiles/store';
import { joinSecrets } from '../profiles/store-record';

/** What `up` through the helper needs of the core. */
export type HelperUpDeps = Pick<CoreServices, 'runner' | 'logger' | 'profiles'>;

export interface HelperUpOptions {
  waitSec: number;
  force: boolean;
  signal?: AbortSignal;
  onProgress?: (s: TunnelStatus) => void;
  /** Tests: poll interval. */
  pollMs?: number;
}


/** Tunnels the helper reports up (other than `self`), with their routed prefixes. */
export function otherTunnelsOf(statuses: readonly TunnelStatus[], self: string): ConnectedTunnel[] {
  return statuses
    .filter((s) => s.name !== self && (s.state === 'connected' || s.state === 'handshaking'))
    .map((s) => ({ name: s.name, interface: s.interface, prefixes: s.peers.flatMap((p) => p.allowedIps) }));
}

async function routeInputs(core: HelperUpDeps, self: string, profile: WgProfile): Promise<RouteInputs> {
  // core/net's readLocalNetworks, with the same inputs as the route-conflict check (LANs and other tunnels' interfaces,
  // minus this tunnel's own). Other connected Longhaul tunnels and their routes: the helper.
  const local = await readLocalNetworks(core.runner, { interface: self, addresses: profile.interface.addresses }).catch(() => []);
  const statuses = await callHelper(core.runner, 'status', null);
  // The helper could not be asked at all (no permission, no pkexec): `up` would fail the same way, so stop here.
  const denied = statuses.find((s) => s.name === 'tunnels' && s.state === 'error' && s.reason === 'permission-denied');
  if (denied) throw new TunnelFailure('permission-denied', denied.message ?? reasonMessage('permission-denied', { name: self }));
  return { localNetworks: local, otherTunnels: otherTunnelsOf(statuses, self) };
}

/**
 * The profile for the route checks: the stored one with its keys, or — for a site whose keys only the helper holds
 * (`keyHolder: 'helper'`) — its public part (keys left empty; route checks use only addresses and AllowedIPs).
 */
async function routeProfileOf(core: HelperUpDeps, name: string): Promise<{ profile: WgProfile; helperHeld: boolean }> {
  const store = core.profiles;
  const lower = name.toLowerCase();
  const rec = (await store.records()).find((r) => r.name.toLowerCase() === lower);
  if (rec && isHelperHeld(rec)) return { profile: joinSecrets(rec.profile, { privateKey: '', presharedKeys: {} }), helperHeld: true };
  return { profile: await store.load(name), helperHeld: false };
}

/**
 * @param canonicalText the profile text to send on stdin; null for a site whose keys the helper holds (nothing is
 *   sent: the helper reads the policy's bundle itself).
 */
export async function upThroughHelper(core: HelperUpDeps, name: string, canonicalText: string | null, o: HelperUpOptions): Promise<TunnelStatus> {
  const started = Date.now();
  const { profile, helperHeld } = await routeProfileOf(core, name);
  try {
    const forced = checkRoutes(name, profile, await routeInputs(core, name, profile), o.force);
    if (forced.length > 0) core.logger.warn('up: route conflict overridden with --force', { name, conflicts: forced.map((f) => f.evidence) });
  } catch (e) {
    if (e instanceof TunnelFailure) return failureStatus(name, name, e.reason, e.message);
    throw e;
  }
  const input = helperHeld || hasHooks(profile) || canonicalText === null ? undefined : canonicalText;
  let s = (await callHelper(core.runner, 'up', name, { input }))[0] ?? failureStatus(name, name, 'up-failed', reasonMessage('up-failed', { name }));
  o.onProgress?.(s);
  const deadline = started + o.waitSec * 1000;
  const pending = (t: TunnelStatus) => t.state === 'handshaking' || (t.state === 'error' && t.reason === 'no-handshake');
  let polled = false;
  while (pending(s) && Date.now() < deadline && !o.signal?.aborted) {
    await new Promise((r) => setTimeout(r, o.pollMs ?? 500));
    s = (await callHelper(core.runner, 'status', name))[0] ?? s;
    polled = true;
    o.onProgress?.(s);
  }
  if (pending(s) && (polled || s.state === 'handshaking')) {
    return { ...s, state: 'error', reason: 'no-handshake', message: reasonMessage('no-handshake', { name, endpoint: s.endpoint, waitSec: o.waitSec }) };
  }
  return s;
}
