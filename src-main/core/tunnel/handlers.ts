/**
 * Contract handlers for `tunnel.*` (connect, disconnect, status). Environment: plain Node. Only public keys leave.
 */
import { ContractFailure, type EventEmitterFn, type MainHandlers } from '../../contract';
import type { CoreServices } from '../app/services';
import { profileStoreOf } from '../profiles';
import { downTunnel, ProfileArgError, tunnelStatuses, upTunnel } from './cli-support';

type TunnelCalls = 'tunnel.connect' | 'tunnel.disconnect' | 'tunnel.status';

export function createTunnelHandlers(core: CoreServices, host?: { emit: EventEmitterFn }): Pick<MainHandlers, TunnelCalls> {
  const log = core.logger.child('tunnel');
  const known = async (name: string): Promise<string> => {
    const v = await profileStoreOf(core).get(name);
    if (!v) throw new ContractFailure('not-found', `No profile named "${name}".`);
    return v.name;
  };
  return {
    'tunnel.connect': async (req) => {
      const name = await known(req.name);
      if (req.force) log.warn('connect with force (route conflict overridden)', { name });
      try {
        const s = await upTunnel(core, name, { waitSec: req.waitSec ?? 10, force: req.force === true, onProgress: (p) => host?.emit('tunnel.status', p) });
        host?.emit('tunnel.status', s);
        return s;
      } catch (e) {
        if (e instanceof ProfileArgError) throw new ContractFailure(e.exitCode === 2 ? 'not-found' : 'invalid-input', e.message);
        throw e;
      }
    },
    'tunnel.disconnect': async (req) => {
      const s = await downTunnel(core, req.name);
      host?.emit('tunnel.status', s);
      return s;
    },
    'tunnel.status': async (req) => ({ tunnels: await tunnelStatuses(core, req.name ?? null) }),
  };
}
