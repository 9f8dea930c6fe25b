/**
 * Stream hosts from sites: the `streamHosts` of every stored profile's site (profiles issue, docs/site-file.md),
 * or of a site file given on the command line. Environment: plain Node.
 */
import type { Site } from '../../contract/profiles';
import type { CoreServices } from '../app/services';

export interface SiteStreamHost {
  name: string;
  host: string;
  app: string | null;
  parsecPeerId: string | null;
}

export function hostsFromSite(site: Site | null | undefined): SiteStreamHost[] {
  return (site?.streamHosts ?? []).map((h) => ({ name: h.name, host: h.host, app: h.app ?? null, parsecPeerId: h.parsecPeerId ?? null }));
}

/** Every stored profile's site hosts, de-duplicated by host. */
export async function storedSiteHosts(core: Pick<CoreServices, 'profiles'>): Promise<SiteStreamHost[]> {
  const views = await core.profiles.list();
  const seen = new Set<string>();
  const out: SiteStreamHost[] = [];
  for (const v of views) {
    for (const h of hostsFromSite(v.site)) {
      if (seen.has(h.host)) continue;
      seen.add(h.host);
      out.push(h);
    }
  }
  return out;
}
