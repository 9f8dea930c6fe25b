/** Composes the store's slices into the journey (store/journey.ts) for Home. Environment: browser. */
import { useEffect } from 'react';
import { useApp } from '../../store/app';
import { useChecks } from '../../store/checks';
import { deriveJourney, type Journey } from '../../store/journey';
import { useProfiles } from '../../store/profiles';
import { loadLastCapacity, useStream } from '../../store/stream';
import { useTunnel } from '../../store/tunnel';

export function useJourney(): Journey {
  const link = useApp((s) => s.link);
  const gateRequired = useApp((s) => s.policy?.values.find((v) => v.key === 'requireGate')?.value === true);
  const profiles = useProfiles((s) => s.profiles);
  const profilesLoaded = useProfiles((s) => s.loaded);
  const tunnelsLoaded = useTunnel((s) => s.loaded);
  const loaded = profilesLoaded && tunnelsLoaded;
  const selected = useProfiles((s) => s.selected);
  const tunnels = useTunnel((s) => s.tunnels);
  const busy = useTunnel((s) => s.busy);
  const checks = useChecks();
  const stream = useStream();
  const j = deriveJourney({
    link,
    loaded,
    gateRequired,
    profiles,
    selected,
    tunnels,
    busy,
    checks,
    stream: {
      hosts: stream.hosts,
      moonlightFound: stream.moonlight ? stream.moonlight.found : null,
      settings: stream.settings,
      launching: stream.launching,
      plan: stream.plan,
      error: stream.error,
      session: stream.session,
      lastCapacity: stream.lastCapacity,
    },
  });
  const profile = 'profile' in j ? j.profile : null;
  // Each time the journey reaches Ready, read the profile's last stored line measurement (the CLI may have made one).
  useEffect(() => {
    if (j.step === 'ready' && profile) void loadLastCapacity(profile);
  }, [j.step, profile]);
  return j;
}
