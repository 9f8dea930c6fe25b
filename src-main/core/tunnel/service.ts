/**
 * The tunnel service — the one façade the app, the harness, the CLI and the handlers use to bring tunnels up and down
 * and read their status. Root on Linux/macOS drives the backend itself (CI, the lab, IT scripts: the same controller
 * the helper runs); everyone else — and everyone on Windows, where the tunnel service does the privileged work — goes
 * through the helper (pkexec on Linux, the helper service on macOS/Windows: `helper-client.ts`). Built once per core in
 * `createCoreServices`. Environment: plain Node.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TunnelStatus } from '../../contract/tunnel';
import type { CoreServices } from '../app/services';
import { readLocalNetworks } from '../net/local-networks';
import type { ConnectedTunnel, WgProfile } from '../profiles';
import type { ProfileStore } from '../profiles/store';
import { isHelperHeld } from '../profiles/store';
import { selectBackend } from './backends/select';
import { createTunnelController, failureStatus, type TunnelController } from './controller';
import { callHelper, callHelperDoc, HELPER_PATH } from './helper-client';
import { upThroughHelper } from './helper-up';
import type { RouteInputs } from './preflight';
import { listMarkers } from './runtime-files';
import { serviceEndpointOf } from './service-client';

export function tunnelRuntimeDir(core: Pick<CoreServices, 'paths'>): string {
  return path.join(core.paths.state, 'tunnels');
}

/** Root on Linux/macOS acts directly; everyone else goes through the helper. */
export function actsDirectly(platform: NodeJS.Platform = process.platform): boolean {
  if (platform === 'win32') return false;
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Whether a helper is there to ask for status without acting (report): pkexec's helper on Linux, the service elsewhere. */
export function helperReachable(platform: NodeJS.Platform = process.platform): boolean {
  return serviceEndpointOf(platform) !== null || fs.existsSync(HELPER_PATH);
}

/** What the tunnel service needs of the core. */
export type TunnelDeps = Pick<CoreServices, 'runner' | 'logger' | 'paths' | 'policy'> & { profiles: ProfileStore };

export interface UpOptions {
  waitSec: number;
  force: boolean;
  signal?: AbortSignal;
  onProgress?: (s: TunnelStatus) => void;
}

export interface TunnelService {
  /** The controller acting directly (the process must be root on Linux/macOS); built on first use. */
  controller(): Promise<TunnelController>;
  up(name: string, opts: UpOptions): Promise<TunnelStatus>;
  down(name: string): Promise<TunnelStatus>;
  /** Live status of one tunnel, or of every tunnel Longhaul knows (null). */
  statuses(name: string | null): Promise<TunnelStatus[]>;
}

export async function routeInputsFor(core: Pick<CoreServices, 'runner' | 'paths'>, controller: () => TunnelController | null, self: string, profile: WgProfile, iface = self): Promise<RouteInputs> {
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

/** A site provisioned by policy whose keys only the helper can read (metadata-only record). */
export async function isHelperHeldName(core: { profiles: Pick<ProfileStore, 'records'> }, name: string): Promise<boolean> {
  const lower = name.toLowerCase();
  const rec = (await core.profiles.records()).find((r) => r.name.toLowerCase() === lower);
  return rec !== undefined && isHelperHeld(rec);
}

/**
 * Root acting directly on its own store: keep a profile's hooks only when it was provisioned by managed policy with
 * `allowScripts` and the policy read now still allows scripts (a policy that withdrew the permission wins at once).
 * The root store is written only by root, from IT's bundles. Any other record keeps the refusal.
 */
export async function hooksApprovedFor(core: { profiles: Pick<ProfileStore, 'records'> } & Pick<CoreServices, 'policy'>, name: string): Promise<boolean> {
  const lower = name.toLowerCase();
  const rec = (await core.profiles.records()).find((r) => r.name.toLowerCase() === lower);
  if (!rec || rec.origin !== 'policy' || !rec.allowScripts) return false;
  return (await core.policy.read()).policy.allowScripts === true;
}

export function createTunnelService(deps: TunnelDeps): TunnelService {
  let controllerP: Promise<TunnelController> | null = null;
  const controller = (): Promise<TunnelController> =>
    (controllerP ??= (async () => {
      let self: TunnelController | null = null;
      self = createTunnelController({
        runner: deps.runner,
        logger: deps.logger,
        backend: await selectBackend(deps.runner),
        runtimeDir: tunnelRuntimeDir(deps),
        routeInputs: (name, profile, iface) => routeInputsFor(deps, () => self, name, profile, iface),
      });
      return self;
    })());

  // A stored profile that is gone, has lost its keys or is helper-held fails with the store's ProfileStoreError.
  const canonicalTextOf = (name: string): Promise<string> => deps.profiles.canonicalText(name);

  return {
    controller,
    async up(name, opts) {
      if (actsDirectly()) {
        const c = await controller();
        return c.up({ name, text: await canonicalTextOf(name), ...opts, hooksApproved: await hooksApprovedFor(deps, name) });
      }
      return upThroughHelper(deps, name, (await isHelperHeldName(deps, name)) ? null : await canonicalTextOf(name), opts);
    },
    async down(name) {
      if (actsDirectly()) {
        const c = await controller();
        let text: string | undefined;
        try {
          text = await canonicalTextOf(name);
        } catch {}
        // Root acting on its own stored profile (e.g. a tunnel brought up with wg-quick before Longhaul ran): allowed
        // through the canonical file only — wg-quick refuses any interface that is not WireGuard, and nothing is
        // deleted by name without Longhaul's marker.
        return c.down(name, text, { allowUnmarked: text !== undefined, hooksApproved: text !== undefined && (await hooksApprovedFor(deps, name)) });
      }
      return (await callHelper(deps.runner, 'down', name))[0]!;
    },
    /**
     * The helper reads only Longhaul's own tunnels (it refuses any other NAME with `notLonghaul`, running nothing); for
     * a profile of this user's own store that refusal only means Longhaul has not brought it up: `disconnected`. Root
     * acting directly vouches for its own store's names and Longhaul's markers, nothing else.
     */
    async statuses(name) {
      const store = deps.profiles;
      if (!actsDirectly()) {
        if (name === null) return callHelper(deps.runner, 'status', null);
        const r = await callHelperDoc(deps.runner, 'status', name);
        if (!r.ok) return [r.failure];
        const tunnels = r.doc.tunnels ?? [];
        if (!r.doc.notLonghaul?.includes(name) || !(await store.get(name))) return tunnels;
        return tunnels.map((t) => (t.name === name ? { ...failureStatus(name, t.interface, 'up-failed', ''), state: 'disconnected' as const, reason: null, message: null } : t));
      }
      const c = await controller();
      const stored = new Set((await store.list()).map((p) => p.name));
      const names = name ? [(await store.get(name))?.name ?? name] : [...new Set([...stored, ...c.known()])].sort();
      return Promise.all(names.map((n) => c.status(n, { allowUnmarked: stored.has(n) })));
    },
  };
}
