/**
 * The tunnel controller as the app and the CLI use it when they may act directly (root): backend chosen for this OS,
 * canonical text from the profile store, route-conflict inputs from the live system. Environment: plain Node.
 */
import * as path from 'node:path';
import type { CoreServices } from '../app/services';
import { readLocalNetworks } from '../net/local-networks';
import type { ConnectedTunnel, WgProfile } from '../profiles';
import { selectBackend } from './backends/select';
import { createTunnelController, type TunnelController } from './controller';
import type { RouteInputs } from './preflight';
import { listMarkers } from './runtime-files';

export function tunnelRuntimeDir(core: Pick<CoreServices, 'paths'>): string {
  return path.join(core.paths.state, 'tunnels');
}

export async function routeInputsFor(core: CoreServices, controller: () => TunnelController | null, self: string, profile: WgProfile, iface = self): Promise<RouteInputs> {
  // The same function and inputs as the route-conflict check: this tunnel's interface and addresses are not "other".
  const local = await readLocalNetworks(core.runner, { interface: iface, addresses: profile.interface.addresses }).catch(() => []);
  const others: ConnectedTunnel[] = [];
  const c = controller();
  for (const m of listMarkers(tunnelRuntimeDir(core))) {
    if (m.name === self || !c) continue;
    const s = await c.status(m.name);
    if (s.state === 'connected' || s.state === 'handshaking') others.push({ name: m.name, interface: m.interface, prefixes: s.peers.flatMap((p) => p.allowedIps) });
  }
  return { localNetworks: local, otherTunnels: others };
}

const controllers = new WeakMap<CoreServices, Promise<TunnelController>>();

/** One controller per core, acting directly (the process must be root on Linux/macOS). */
export function tunnelControllerOf(core: CoreServices): Promise<TunnelController> {
  let p = controllers.get(core);
  if (!p) {
    p = (async () => {
      let self: TunnelController | null = null;
      self = createTunnelController({
        runner: core.runner,
        logger: core.logger,
        backend: await selectBackend(core.runner),
        runtimeDir: tunnelRuntimeDir(core),
        routeInputs: (name, profile, iface) => routeInputsFor(core, () => self, name, profile, iface),
      });
      return self;
    })();
    controllers.set(core, p);
  }
  return p;
}
