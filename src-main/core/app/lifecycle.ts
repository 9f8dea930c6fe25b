/**
 * Tunnel lifecycle around the app: reconcile with tunnels that already exist at start (the watcher's first poll),
 * and after resume from sleep or a network change re-read status and re-run the checks of connected tunnels.
 * Network changes are detected here (plain Node, so the harness behaves like the app); resume comes from the shell
 * (Electron's powerMonitor). It calls the domain services directly (check runs, the tunnel service): main never
 * dispatches its own contract calls. Environment: plain Node.
 */
import type { EventEmitterFn } from '../../contract';
import type { TunnelStatus } from '../../contract/tunnel';
import type { CheckRuns } from '../checks/handlers';
import type { Logger } from '../log/logger';
import { osInterfaces, type OsInterfaces } from '../net/local-networks';
import type { EffectivePolicy } from '../policy/policy';
import { connectTunnel } from '../tunnel/handlers';
import { startTunnelWatch, type TunnelWatcher } from '../tunnel/watcher';
import { healthOf, withHealthFeed } from './health';
import type { HostDelegate } from './host';
import type { CoreServices } from './services';

export type InterfacesFn = () => OsInterfaces;

/** A stable description of the machine's addresses: changes when a network comes, goes or is renumbered. */
export function networkFingerprint(interfaces: InterfacesFn = osInterfaces): string {
  const all = interfaces();
  return Object.keys(all)
    .sort()
    .map((name) => `${name}=${(all[name] ?? []).map((a) => `${a.address}/${a.netmask}`).sort().join(',')}`)
    .join(';');
}

export type RecheckReason = 'resume' | 'network-change' | 'interval';

export interface Lifecycle {
  /** Resume from sleep, a network change, or policy's check interval: re-read status, re-run connected tunnels' checks. */
  recheck(why: RecheckReason): Promise<string[]>;
  stop(): void;
}

export function startLifecycle(opts: {
  watcher: TunnelWatcher;
  /** Start a check run of a connected tunnel (its progress goes to the page as events). */
  runChecks(profile: string): Promise<unknown>;
  logger: Logger;
  interfaces?: InterfacesFn;
  /** How often to look for network changes (default 5 s). 0 disables polling (tests call `recheck`). */
  networkPollMs?: number;
  /** Ignore changes caused by our own tunnels coming and going (their interfaces are named after the profiles). */
  isOwnInterface?: (name: string) => boolean;
  /** Managed policy `checkIntervalSec`: also re-check connected tunnels this often (0 = never). Read at each tick. */
  checkIntervalSec?: () => number;
}): Lifecycle {
  const interfaces = opts.interfaces ?? osInterfaces;
  const own = opts.isOwnInterface ?? (() => false);
  const filtered: InterfacesFn = () => Object.fromEntries(Object.entries(interfaces()).filter(([n]) => !own(n)));
  let last = networkFingerprint(filtered);
  let running: Promise<string[]> | null = null;

  async function recheck(why: RecheckReason): Promise<string[]> {
    if (running) return running;
    running = (async () => {
      const statuses = await opts.watcher.refresh();
      const connected = statuses.filter((s) => s.state === 'connected').map((s) => s.name);
      opts.logger.info('lifecycle: re-checking after ' + why, { connected });
      for (const name of connected) {
        await opts.runChecks(name).catch((err: unknown) => opts.logger.warn('lifecycle: could not start the checks', { profile: name, error: (err as Error).message }));
      }
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
  // Policy's periodic re-check: a 1 s tick compares against the interval in force, so a policy change applies at once.
  let lastPeriodic = Date.now();
  const periodic = opts.checkIntervalSec
    ? setInterval(() => {
        const every = opts.checkIntervalSec!() * 1000;
        if (every > 0 && Date.now() - lastPeriodic >= every) {
          lastPeriodic = Date.now();
          void recheck('interval');
        }
      }, 1000)
    : null;
  periodic?.unref();
  return {
    recheck,
    stop: () => {
      if (timer) clearInterval(timer);
      if (periodic) clearInterval(periodic);
    },
  };
}

/**
 * Managed policy `autoConnect`: at start, when nothing is connected yet, connect the profile IT provisioned (the first
 * policy-origin profile by name). Tunnels never start on their own otherwise. Returns the name it connected, or null.
 */
export async function autoConnect(opts: {
  enabled: boolean;
  statuses: readonly TunnelStatus[];
  profiles: readonly { name: string; origin: 'user' | 'policy' }[];
  /** Connect a stored profile (status events on the way). */
  connect(profile: string): Promise<TunnelStatus>;
  logger: Logger;
}): Promise<string | null> {
  if (!opts.enabled) return null;
  if (opts.statuses.some((s) => s.state === 'connected' || s.state === 'handshaking' || s.state === 'connecting')) return null;
  const target = opts.profiles.filter((p) => p.origin === 'policy').map((p) => p.name).sort()[0];
  if (!target) {
    opts.logger.warn('policy autoConnect is on but no profile was provisioned by policy; nothing connected');
    return null;
  }
  opts.logger.info('policy autoConnect: connecting', { profile: target });
  await opts.connect(target).catch((err: unknown) => opts.logger.warn('policy autoConnect failed', { profile: target, error: (err as Error).message }));
  return target;
}

/** Wire the tunnel watcher and the lifecycle for a face (shell or harness). Returns what the face must call. */
export async function startTunnelServices(
  core: CoreServices,
  host: HostDelegate & { emit: EventEmitterFn },
  app: { checks: Pick<CheckRuns, 'start'> },
  policy: () => EffectivePolicy | null = () => null,
): Promise<{ resume(): void; stop(): void }> {
  const store = core.profiles;
  const names = new Set<string>();
  const reloadNames = async () => {
    names.clear();
    for (const p of await store.list()) names.add(p.name);
  };
  await reloadNames();
  const offChanged = store.onChanged(() => void reloadNames());
  // The watcher's statuses also feed the live health (stale handshake, vanished interface): `core/app/health.ts`.
  const fed = withHealthFeed(host, healthOf(core), (e) => core.logger.child('health').warn('health feed failed', { error: e.message }));
  const watcher = startTunnelWatch(core, fed); // its first poll reconciles with tunnels that already exist
  const logger = core.logger.child('lifecycle');
  const lifecycle = startLifecycle({
    watcher,
    runChecks: (name) => app.checks.start(name, null),
    logger,
    isOwnInterface: (n) => names.has(n),
    checkIntervalSec: () => policy()?.policy.checkIntervalSec ?? 0,
  });
  const statuses = await watcher.refresh();
  await autoConnect({ enabled: policy()?.policy.autoConnect === true, statuses, profiles: await store.list(), connect: (name) => connectTunnel(core, host, name), logger });
  return {
    resume: () => void lifecycle.recheck('resume'),
    stop: () => {
      lifecycle.stop();
      watcher.stop();
      offChanged();
    },
  };
}
