/**
 * Contract handlers for `profiles.*`. Environment: plain Node. Only public views leave (contract/profiles.ts).
 */
import { quote } from '../log/quote';
import { ContractFailure, type EventEmitterFn, type MainHandlers } from '../../contract';
import type { CoreServices } from '../app/services';
import { profileStoreOf } from './service';
import { ProfileStoreError } from './store';

type ProfileCalls = 'profiles.list' | 'profiles.get' | 'profiles.import' | 'profiles.check' | 'profiles.remove' | 'profiles.setMtuOverride';

function inputBytes(req: { text?: string; base64?: string }): string | Uint8Array {
  if (req.text !== undefined) return req.text;
  return new Uint8Array(Buffer.from(req.base64 ?? '', 'base64'));
}

function mapError(e: unknown): never {
  if (e instanceof ProfileStoreError) throw new ContractFailure(e.code === 'not-found' ? 'not-found' : 'invalid-input', e.message);
  throw e;
}

export function createProfilesHandlers(core: CoreServices, host?: { emit: EventEmitterFn }): Pick<MainHandlers, ProfileCalls> {
  const store = profileStoreOf(core);
  const log = core.logger.child('profiles');
  if (host) store.onChanged(() => void store.list().then((profiles) => host.emit('profiles.changed', { profiles })));
  return {
    'profiles.list': async () => ({ profiles: await store.list(), secretStore: { kind: store.secrets.kind, warning: store.secrets.warning } }),
    'profiles.get': async (req) => {
      const v = await store.get(req.name).catch(mapError);
      if (!v) throw new ContractFailure('not-found', `No profile named ${quote(req.name, 32)}.`);
      return v;
    },
    'profiles.check': async (req) =>
      store.import({ fileName: req.fileName, bytes: inputBytes(req), name: req.name }, { dryRun: true }),
    'profiles.import': async (req) => {
      const batch = await store.import({ fileName: req.fileName, bytes: inputBytes(req), name: req.name });
      log.info('profile import', {
        fileName: req.fileName,
        imported: batch.entries.filter((e) => e.profile).map((e) => e.name),
        rejected: batch.entries.filter((e) => !e.valid).map((e) => ({ name: e.name, codes: e.errors.map((x) => x.code) })),
      });
      return batch;
    },
    'profiles.remove': async (req) => {
      if (!(await store.remove(req.name))) throw new ContractFailure('not-found', `No profile named ${quote(req.name, 32)}.`);
      log.info('profile removed', { name: req.name });
      return null;
    },
    'profiles.setMtuOverride': async (req) => store.setMtuOverride(req.name, req.mtu).catch(mapError),
  };
}
