/**
 * The live status watcher: polls tunnel status, pushes `tunnel.status` when something the artist sees changes, and
 * raises a desktop notification when a tunnel goes stale or its interface vanishes. `refresh()` is what the shell
 * calls after resume from sleep or a network change. Environment: plain Node.
 */
import type { TunnelStatus } from '../../contract/tunnel';
import type { HostDelegate } from '../app/host';
import type { CoreServices } from '../app/services';

export interface TunnelWatcher {
  refresh(): Promise<TunnelStatus[]>;
  stop(): void;
}

const fingerprint = (s: TunnelStatus) => JSON.stringify([s.state, s.reason, s.endpoint, s.rxBytes, s.txBytes, s.peers.length]);

export function startTunnelWatch(
  core: CoreServices,
  host: Pick<HostDelegate, 'emit' | 'notify'>,
  opts: { intervalMs?: number; read?: () => Promise<TunnelStatus[]> } = {},
): TunnelWatcher {
  const read = opts.read ?? (() => core.tunnels.statuses(null));
  const last = new Map<string, string>();
  const lastReason = new Map<string, string | null>();
  let busy: Promise<TunnelStatus[]> | null = null;

  async function poll(): Promise<TunnelStatus[]> {
    const list = await read();
    for (const s of list) {
      const fp = fingerprint(s);
      if (last.get(s.name) !== fp) {
        last.set(s.name, fp);
        host.emit('tunnel.status', s);
      }
      const prev = lastReason.get(s.name) ?? null;
      if (s.reason !== prev && (s.reason === 'stale' || s.reason === 'interface-vanished') && s.message) host.notify('warning', s.message);
      lastReason.set(s.name, s.reason);
    }
    return list;
  }

  function refresh(): Promise<TunnelStatus[]> {
    busy ??= poll()
      .catch((e: Error) => {
        core.logger.child('tunnel').warn('status poll failed', { error: e.message });
        return [];
      })
      .finally(() => (busy = null));
    return busy;
  }

  const timer = setInterval(() => void refresh(), opts.intervalMs ?? 2000);
  timer.unref();
  void refresh();
  return { refresh, stop: () => clearInterval(timer) };
}
