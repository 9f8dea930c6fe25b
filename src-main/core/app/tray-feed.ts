/**
 * Feeds the tray model (tray-model.ts) from what main already emits and runs its quick actions through the contract's
 * dispatch, so the shell only renders (shell/tray.ts). Input today: `tunnel.status`, `checks.progress`/`checks.done`
 * (findings of the last run per profile); `health.changed` findings (the live health tracker) replace the latter. Environment: plain Node (no electron).
 */
import type { CallContext, EventName, EventPayload, MainHandlers } from '../../contract';
import { dispatch } from '../../contract/dispatch';
import type { TunnelStatus } from '../../contract/tunnel';
import type { Logger } from '../log/logger';
import { trayModel, trayNotifications, type TrayFinding, type TrayInput, type TrayMenuItem, type TrayModel, type TrayNotification } from './tray-model';

export interface TrayFeedOptions {
  handlers: Partial<MainHandlers>;
  ctx: CallContext;
  logger: Logger;
  render(model: TrayModel): void;
  notify(n: TrayNotification): void;
  open(): void;
  quit(): void;
  /** A diagnostics report was written from the tray (the shell shows it in its folder). */
  reportWritten?(r: { supportId: string; path: string }): void;
}

export interface TrayFeed {
  /** Every event main emits goes through here (the ones the tray needs are picked out). */
  onEvent<E extends EventName>(name: E, payload: EventPayload<E>): void;
  /** Findings from the health tracker (`health.changed`), replacing the checks' own. */
  setFindings(findings: readonly TrayFinding[] | null): void;
  /** Re-read profiles and stream hosts (start-up, profiles changed) and re-render. */
  refresh(): Promise<void>;
  act(item: TrayMenuItem): Promise<void>;
  current(): TrayModel;
}

export function createTrayFeed(opts: TrayFeedOptions): TrayFeed {
  const tunnels = new Map<string, TunnelStatus>();
  const checkFindings = new Map<string, TrayFinding[]>();
  let healthFindings: TrayFinding[] | null = null;
  const running = new Set<string>();
  let profiles: string[] = [];
  let streamHost: string | null = null;
  let prev: TrayInput | null = null;
  let model: TrayModel = trayModel(input());

  function input(): TrayInput {
    const connected = [...tunnels.values()].filter((t) => t.state === 'connected').map((t) => t.name);
    return {
      tunnels: [...tunnels.values()],
      profiles,
      // The findings that matter are the connected tunnels' (an old run of a disconnected profile says nothing now).
      findings: healthFindings ?? connected.flatMap((n) => checkFindings.get(n) ?? []),
      checksRunning: running.size > 0,
      streamHost,
    };
  }

  function update(): void {
    const next = input();
    for (const n of trayNotifications(prev, next)) opts.notify(n);
    prev = next;
    model = trayModel(next);
    opts.render(model);
  }

  const call = async <K extends keyof MainHandlers>(name: K, request: unknown) => {
    const r = await dispatch(opts.handlers, name, request, opts.ctx, opts.logger);
    if (!r.ok) opts.logger.warn(`tray: ${String(name)} failed`, { code: r.error.code, message: r.error.message });
    return r;
  };

  return {
    onEvent(name, payload) {
      if (name === 'tunnel.status') {
        const s = payload as EventPayload<'tunnel.status'>;
        tunnels.set(s.name, s);
      } else if (name === 'checks.progress') {
        running.add((payload as EventPayload<'checks.progress'>).runId);
      } else if (name === 'checks.done') {
        const d = payload as EventPayload<'checks.done'>;
        running.delete(d.runId);
        checkFindings.set(d.profile, d.findings.map((f) => ({ code: f.code, severity: f.severity, title: f.title, text: f.detail, fixable: d.fixable.includes(f.code) })));
      } else if (name === 'health.changed') {
        // The live health tracker's findings (stale handshake, tunnel vanished, fix available) replace the checks' own.
        healthFindings = (payload as EventPayload<'health.changed'>).findings.map((f) => ({ code: f.code, severity: f.severity, title: f.title, text: f.detail, fixable: f.code === 'checks.fix-available' }));
      } else if (name === 'profiles.changed') {
        profiles = (payload as EventPayload<'profiles.changed'>).profiles.map((p) => p.name);
        void this.refresh();
        return;
      } else {
        return;
      }
      update();
    },
    setFindings(findings) {
      healthFindings = findings ? [...findings] : null;
      update();
    },
    async refresh() {
      const [p, h] = await Promise.all([call('profiles.list', {}), call('stream.hosts', {})]);
      if (p.ok) profiles = (p.value as { profiles: { name: string }[] }).profiles.map((x) => x.name);
      if (h.ok) streamHost = (h.value as { hosts: { host: string }[] }).hosts[0]?.host ?? null;
      update();
    },
    async act(item) {
      if (!item.enabled) return;
      switch (item.id) {
        case 'open':
          return opts.open();
        case 'quit':
          return opts.quit();
        case 'connect':
        case 'disconnect':
          if (item.profile) await call(item.id === 'connect' ? 'tunnel.connect' : 'tunnel.disconnect', { name: item.profile });
          return;
        case 'run-checks':
          if (item.profile) await call('checks.run', { profile: item.profile });
          return;
        case 'start-stream':
          if (streamHost) await call('stream.launch', { host: streamHost, ...(item.profile ? { profile: item.profile } : {}) });
          return;
        case 'run-diagnostics': {
          const r = await call('report.create', { strict: false, upload: false, ...(item.profile ? { profile: item.profile } : {}) });
          if (r.ok) opts.reportWritten?.(r.value as { supportId: string; path: string });
          return;
        }
      }
    },
    current: () => model,
  };
}
