/**
 * Tunnel lifecycle around the app: reconcile with tunnels that already exist at start (the watcher's first poll),
 * and after resume from sleep or a network change re-read status and re-run the checks of connected tunnels.
 * Network changes are detected here (plain Node, so the harness behaves like the app); resume comes from the shell
 * (Electron's powerMonitor). Environment: plain Node.
 */
import * as os from 'node:os';
import type { CallContext, MainHandlers } from '../../contract';
import { dispatch } from '../../contract/dispatch';
import type { Logger } from '../log/logger';
import { profileStoreOf } from '../profiles/service';
import { startTunnelWatch, type TunnelWatcher } from '../tunnel/watcher';
import type { HostDelegate } from './host';
import type { CoreServices } from './services';

export type InterfacesFn = () => NodeJS.Dict<os.NetworkInterfaceInfo[]>;

/** A stable description of the machine's addresses: changes when a network comes, goes or is renumbered. */
export function networkFingerprint(interfaces: InterfacesFn = os.networkInterfaces): string {
  const all = interfaces();
  return Object.keys(all)
    .sort()
    .map((name) => `${name}=${(all[name] ?? []).map((a) => `${a.address}/${a.netmask}`).sort().join(',')}`)
    .join(';');
}

export interface Lifecycle {
  /** Resume from sleep, or a network change: re-read tunnel status, re-run the checks of connected tunnels. */
  recheck(why: 'resume' | 'network-change'): Promise<string[]>;
  stop(): void;
}

export function startLifecycle(opts: {
  watcher: TunnelWatcher;
  handlers: Partial<MainHandlers>;
  ctx: CallContext;
  logger: Logger;
  interfaces?: InterfacesFn;
  /** How often to look for network changes (default 5 s). 0 disables polling (tests call `recheck`). */
  networkPollMs?: number;
  /** Ignore changes caused by our own tunnels coming and going (their interfaces are named after the profiles). */
  isOwnInterface?: (name: string) => boolean;
}): Lifecycle {
  const interfaces = opts.interfaces ?? os.networkInterfaces;
  const own = opts.isOwnInterface ?? (() => false);
  const filtered: InterfacesFn = () => Object.fromEntries(Object.entries(interfaces()).filter(([n]) => !own(n)));
  let last = networkFingerprint(filtered);
  let running: Promise<string[]> | null = null;

  async function recheck(why: 'resume' | 'network-change'): Promise<string[]> {
    if (running) return running;
    running = (async () => {
      const statuses = await opts.watcher.refresh();
      const connected = statuses.filter((s) => s.state === 'connected').map((s) => s.name);
      opts.logger.info('lifecycle: re-checking after ' + why, { connected });
      for (const name of connected) await dispatch(opts.handlers, 'checks.run', { profile: name }, opts.ctx, opts.logger);
      return connected;
    })().finally(() => {
      running = null;
    });
    return running;
  }

  const pollMs = opts.networkPollMs ?? 5000;
  const timer =
    pollMs > 0
      ? setInterval(() => {
          const now = networkFingerprint(filtered);
          if (now !== last) {
            last = now;
            void recheck('network-change');
          }
        }, pollMs)
      : null;
  timer?.unref();
  return { recheck, stop: () => timer && clearInterval(timer) };
}

/** Wire the tunnel watcher and the lifecycle for a face (shell or harness). Returns what the face must call. */
export async function startTunnelServices(
  core: CoreServices,
  host: HostDelegate,
  handlers: Partial<MainHandlers>,
  ctx: CallContext,
): Promise<{ resume(): void; stop(): void }> {
  const store = profileStoreOf(core);
  const names = new Set<string>();
  const reloadNames = async () => {
    names.clear();
    for (const p of await store.list()) names.add(p.name);
  };
  await reloadNames();
  const offChanged = store.onChanged(() => void reloadNames());
  const watcher = startTunnelWatch(core, host); // its first poll reconciles with tunnels that already exist
  const lifecycle = startLifecycle({ watcher, handlers, ctx, logger: core.logger.child('lifecycle'), isOwnInterface: (n) => names.has(n) });
  return {
    resume: () => void lifecycle.recheck('resume'),
    stop: () => {
      lifecycle.stop();
      watcher.stop();
      offChanged();
    },
  };
}
