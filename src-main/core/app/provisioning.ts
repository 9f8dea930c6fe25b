/**
 * Pre-provisioned sites: the policy's `sites` bundles are imported into the profile store (origin `policy`, the
 * policy's `allowScripts`), at start and whenever the list or a bundle changes. Environment: plain Node.
 */
import { createSiteProvisioner, type SiteProvisioner } from '../policy/provision';
import type { EffectivePolicy } from '../policy/policy';
import { profileStoreOf } from '../profiles/service';
import type { CoreServices } from './services';

export function createProvisioning(core: CoreServices, current: () => EffectivePolicy | null): SiteProvisioner {
  const store = profileStoreOf(core);
  return createSiteProvisioner(
    { import: (i) => store.import({ fileName: i.fileName, bytes: i.bytes, origin: 'policy', allowScripts: i.allowScripts }) },
    { allowScripts: () => current()?.policy.allowScripts ?? false, logger: core.logger.child('provision') },
  );
}
