/**
 * Pre-provisioned sites: the policy's `sites` bundles are imported into the profile store (origin `policy`, the
 * policy's `allowScripts`), at start and whenever the list or a bundle changes. Environment: plain Node.
 *
 * Root reads the bundles directly. A non-root app cannot (the keys are readable only by root): it asks the helper,
 * which reads them and reports public data only; the store keeps metadata-only records (`helper-provision.ts`).
 */
import { createSiteProvisioner, type SiteProvisioner } from '../policy/provision';
import type { EffectivePolicy } from '../policy/policy';
import { actsDirectly } from '../tunnel/service';
import { createHelperProvisioner } from '../tunnel/helper-provision';
import type { CoreServices } from './services';

export function createProvisioning(core: CoreServices, current: () => EffectivePolicy | null, opts: { direct?: boolean } = {}): SiteProvisioner {
  if (!(opts.direct ?? actsDirectly())) return createHelperProvisioner(core);
  const store = core.profiles;
  return createSiteProvisioner(
    { import: (i) => store.import({ fileName: i.fileName, bytes: i.bytes, origin: 'policy', allowScripts: i.allowScripts }) },
    { allowScripts: () => current()?.policy.allowScripts ?? false, logger: core.logger.child('provision') },
  );
}
