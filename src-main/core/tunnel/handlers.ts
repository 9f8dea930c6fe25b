/**
 * Contract handlers for `tunnel.*` (connect, disconnect, status), and the connect/disconnect the app itself uses (tray,
 * policy autoConnect) — the same functions, called directly. Environment: plain Node. Only public keys leave.
 */
import { ContractFailure, type EventEmitterFn, type MainHandlers } from '../../contract';
import type { TunnelStatus } from '../../contract/tunnel';
import type { CoreServices } from '../app/services';
import { ProfileStoreError } from '../profiles';
import { asContract } from '../profiles/resolve';

type TunnelCalls = 'tunnel.connect' | 'tunnel.disconnect' | 'tunnel.status';

/** What connecting and disconnecting need of the core. */
export type TunnelCore = Pick<CoreServices, 'logger' | 'resolveProfile' | 'tunnels'>;

export interface ConnectOptions {
  waitSec?: number;
  force?: boolean;
}

/** Connect a stored profile, sending every status on the way as a `tunnel.status` event. */
export async function connectTunnel(core: TunnelCore, host: { emit: EventEmitterFn } | undefined, profile: string, opts: ConnectOptions = {}): Promise<TunnelStatus> {
  const { name } = await asContract(() => core.resolveProfile({ profile, from: 'app' }));
  if (opts.force) core.logger.child('tunnel').warn('connect with force (route conflict overridden)', { name });
  try {
    const s = await core.tunnels.up(name, { waitSec: opts.waitSec ?? 10, force: opts.force === true, onProgress: (p) => host?.emit('tunnel.status', p) });
    host?.emit('tunnel.status', s);
    return s;
  } catch (e) {
    // The profile went away, lost its keys, or only the helper may read it.
    if (e instanceof ProfileStoreError) throw new ContractFailure(e.code === 'not-found' ? 'not-found' : 'invalid-input', e.message);
    throw e;
  }
}

export async function disconnectTunnel(core: TunnelCore, host: { emit: EventEmitterFn } | undefined, name: string): Promise<TunnelStatus> {
  const s = await core.tunnels.down(name);
  host?.emit('tunnel.status', s);
  return s;
}

export function createTunnelHandlers(core: TunnelCore, host?: { emit: EventEmitterFn }): Pick<MainHandlers, TunnelCalls> {
  return {
    'tunnel.connect': (req) => connectTunnel(core, host, req.name, { waitSec: req.waitSec, force: req.force }),
    'tunnel.disconnect': (req) => disconnectTunnel(core, host, req.name),
    'tunnel.status': async (req) => ({ tunnels: await core.tunnels.statuses(req.name ?? null) }),
  };
}
