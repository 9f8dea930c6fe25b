/**
 * The faces' stream-fitness binding: the profile's CheckTarget (profile store + site, as the gate resolves it) gives
 * the site's `capacityProbe`, the profile name the outcome is saved under and the first peer's endpoint, whose network
 * (core/net/network-identity.ts; Linux; a named endpoint by the address the running tunnel uses) the outcome is also
 * remembered under. Environment: plain Node.
 */
import type { CapacityDoc } from '../../contract/stream';
import type { CoreServices } from '../app/services';
import { LastCapacityStore } from '../capacity/last-result';
import { measureForStream, type StreamCapacityDeps } from '../capacity/for-stream';
import type { CheckTarget } from '../checks/types';
import { liveEndpointOf, networkIdForEndpoint } from '../net/network-identity';
import { checkTargetOf } from '../profiles/resolve';
import type { CapacityRequest } from './service';

export function createStreamCapacity(
  core: Pick<CoreServices, 'paths' | 'policy' | 'logger' | 'runner' | 'tunnels'>,
  target: (profile: string | undefined) => Promise<CheckTarget>,
  extra: Partial<StreamCapacityDeps> = {},
): (req: CapacityRequest) => Promise<CapacityDoc> {
  const logger = core.logger.child('capacity');
  const store = new LastCapacityStore(core.paths.state, logger);
  return async (req) => {
    let t: CheckTarget;
    try {
      t = await target(req.profile);
    } catch (err) {
      return { status: 'unmeasured', profile: req.profile ?? null, measuredAt: null, neededKbps: req.neededKbps, reason: 'no-target', message: `no tunnel to measure through: ${(err as Error).message}` };
    }
    return measureForStream(
      { policy: core.policy, store, logger, ...extra },
      { profile: t.profileName, probe: t.site?.capacityProbe ?? null, networkId: await networkOfTarget(core, t, req.signal), neededKbps: req.neededKbps, packetSize: req.packetSize, fps: req.fps, signal: req.signal },
    );
  };
}

/** The network this computer reaches the target's gateway through (its first peer), or null (network-identity.ts). */
export function networkOfTarget(core: Pick<CoreServices, 'runner' | 'tunnels'>, t: CheckTarget, signal?: AbortSignal): Promise<string | null> {
  return networkIdForEndpoint(core.runner, t.peers[0]?.endpoint, { signal }, liveEndpointOf(core.tunnels, t.profileName));
}

/** The same for a stored profile by name; null when it cannot be resolved (never throws). */
export async function networkOfProfile(core: Pick<CoreServices, 'runner' | 'tunnels' | 'resolveProfile'>, profile: string): Promise<string | null> {
  try {
    return await networkOfTarget(core, checkTargetOf(await core.resolveProfile({ profile, from: 'app' })));
  } catch {
    return null;
  }
}
