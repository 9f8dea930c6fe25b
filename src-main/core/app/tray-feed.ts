/**
 * Feeds the tray model (tray-model.ts) from what main already emits and runs its quick actions through the face's
 * typed services (tray-actions.ts; never the contract's dispatch), so the shell only renders (shell/tray.ts). Input:
 * `tunnel.status`, `checks.progress`/`checks.done` (findings of the last run per connected profile) and, beside them,
 * the live health tracker's `health.changed` findings (stale handshake, tunnel vanished, fix available). The tracker
 * does not repeat the checks' own findings, so it never replaces them (a blackhole stays a problem when the tracker
 * reports), and its `checks.fix-available` is the same fix the checks' finding already offers: not a second one to
 * notify. Environment: plain Node (no electron).
 */
import type { EventName, EventPayload } from '../../contract';
import type { TunnelStatus } from '../../contract/tunnel';
import type { Logger } from '../log/logger';
import type { TrayActions } from './tray-actions';
import { trayModel, trayNotifications, type TrayFinding, type TrayInput, type TrayMenuItem, type TrayModel, type TrayNotification } from './tray-model';

export interface TrayFeedOptions {
  actions: TrayActions;
  logger: Logger;
  render(model: TrayModel): void;
  notify(n: TrayNotification): void;
  open(): void;
  quit(): void;
  /** A diagnostics report was written from the tray (the shell shows it in its folder). */
  reportWritten?(r: { supportId: string; path: string }): void;
  /** The clock for the stream-warning throttle (tests); default Date.now. */
  now?: () => number;
}

/** At most one stream-warning notification per session in this long (the session timeline keeps every one). */
export const STREAM_WARNING_EVERY_MS = 60_000;

export interface TrayFeed {
  /** Every event main emits goes through here (the ones the tray needs are picked out). */
  onEvent<E extends EventName>(name: E, payload: EventPayload<E>): void;
  /** Findings from the health tracker (`health.changed`), shown beside the checks' own; null = none. */
  setFindings(findings: readonly TrayFinding[] | null): void;
  /** Re-read profiles and stream hosts (start-up, profiles changed) and re-render. */
  refresh(): Promise<void>;
  act(item: TrayMenuItem): Promise<void>;
  current(): TrayModel;
}

export function createTrayFeed(opts: TrayFeedOptions): TrayFeed {
  const tunnels = new Map<string, TunnelStatus>();
  const checkFindings = new Map<string, TrayFinding[]>();
  const shownRunStart = new Map<string, string>();
  let healthFindings: TrayFinding[] = [];
  const running = new Set<string>();
  let profiles: string[] = [];
  let streamHost: string | null = null;
  const lastStreamWarning = new Map<string, number>();
  const failedSessions = new Set<string>();
  let prev: TrayInput | null = null;
  let model: TrayModel = trayModel(input());

  function input(): TrayInput {
    const connected = [...tunnels.values()].filter((t) => t.state === 'connected').map((t) => t.name);
    return {
      tunnels: [...tunnels.values()],
      profiles,
      // The findings that matter are the connected tunnels' (an old run of a disconnected profile says nothing now),
      // and whatever the live tracker holds.
      findings: [...connected.flatMap((n) => checkFindings.get(n) ?? []), ...healthFindings],
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

  /** One quick action; a failure is logged (the action's own events tell the window), never thrown at the tray. */
  const attempt = async <T>(what: string, fn: () => Promise<T>): Promise<T | null> => {
    try {
      return await fn();
    } catch (e) {
      const err = e as Error & { code?: string };
      opts.logger.warn(`tray: ${what} failed`, { code: err.code ?? null, message: err.message });
      return null;
    }
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
        // A cancelled run (Apply fix cancels the runs it would make stale) and a run older than the last one shown
        // say nothing about the tunnel now: the findings shown stay.
        if (!d.cancelled && !(d.startedAt < (shownRunStart.get(d.profile) ?? ''))) {
          shownRunStart.set(d.profile, d.startedAt);
          checkFindings.set(d.profile, d.findings.map((f) => ({ code: f.code, severity: f.severity, title: f.title, text: f.detail, fixable: d.fixable.includes(f.code) })));
        }
      } else if (name === 'health.changed') {
        healthFindings = fromHealth((payload as EventPayload<'health.changed'>).findings);
      } else if (name === 'stream.session') {
        // While the stream runs the watch names the cause of dropped frames, a roam or a failure (core/stream/watch):
        // say it outside the window too, a warning at most once a minute per session, a failure once per session.
        const e = payload as EventPayload<'stream.session'>;
        const at = (opts.now ?? Date.now)();
        if (e.type === 'failure') {
          // Moonlight may print several failure lines for one stop: the first one is the notification.
          if (!failedSessions.has(e.sessionId)) opts.notify({ kind: 'stream-failed', title: 'The stream stopped', body: e.text });
          failedSessions.add(e.sessionId);
        } else if (e.type === 'warning' && at - (lastStreamWarning.get(e.sessionId) ?? -Infinity) >= STREAM_WARNING_EVERY_MS) {
          lastStreamWarning.set(e.sessionId, at);
          opts.notify({ kind: 'stream-warning', title: 'The stream stuttered', body: e.text });
        } else if (e.type === 'ended') {
          lastStreamWarning.delete(e.sessionId);
          failedSessions.delete(e.sessionId);
        }
        return;
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
      healthFindings = findings ? [...findings] : [];
      update();
    },
    async refresh() {
      // A failed read keeps what the tray showed; a read that finds no stream host clears it.
      const [p, h] = await Promise.all([attempt('profiles.list', () => opts.actions.profileNames()), attempt('stream.hosts', async () => ({ host: await opts.actions.streamHost() }))]);
      if (p) profiles = p;
      if (h) streamHost = h.host;
      update();
    },
    async act(item) {
      if (!item.enabled) return;
      const profile = item.profile ?? null;
      switch (item.id) {
        case 'open':
          return opts.open();
        case 'quit':
          return opts.quit();
        case 'connect':
          if (profile) await attempt('tunnel.connect', () => opts.actions.connect(profile));
          return;
        case 'disconnect':
          if (profile) await attempt('tunnel.disconnect', () => opts.actions.disconnect(profile));
          return;
        case 'run-checks':
          if (profile) await attempt('checks.run', () => opts.actions.runChecks(profile));
          return;
        case 'start-stream': {
          const host = streamHost;
          if (host) await attempt('stream.launch', () => opts.actions.startStream(host, profile));
          return;
        }
        case 'run-diagnostics': {
          const r = await attempt('report.create', () => opts.actions.createReport(profile));
          if (r) opts.reportWritten?.(r);
          return;
        }
      }
    },
    current: () => model,
  };
}

/** The tracker's findings for the tray; its fix-available is not fixable here (the checks' finding carries that fix). */
function fromHealth(findings: EventPayload<'health.changed'>['findings']): TrayFinding[] {
  return findings.map((f) => ({ code: f.code, severity: f.severity, title: f.title, text: f.detail, fixable: false }));
}
