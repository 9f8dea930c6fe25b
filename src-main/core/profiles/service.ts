/**
 * One `ProfileStore` per core (the app, the harness and the CLI each build one core). Environment: plain Node.
 */
import * as path from 'node:path';
import type { CoreServices } from '../app/services';
import { chooseSecretStore } from './secrets';
import { createProfileStore, type ProfileStore } from './store';

const stores = new WeakMap<CoreServices, ProfileStore>();

export function profileStoreOf(core: CoreServices): ProfileStore {
  let s = stores.get(core);
  if (!s) {
    const dir = core.paths.profiles;
    s = createProfileStore(dir, chooseSecretStore({ dir: path.join(dir, 'secrets'), runner: core.runner }));
    stores.set(core, s);
  }
  return s;
}
