/**
 * What the tray / menu bar shows, as pure functions: the state icon, tooltip and menu from a small input (tunnel
 * states + a findings list), and the notifications to raise on a transition. The input's findings have the shape of
 * the health tracker's `health.changed` payload ({code, severity, title, text, …}), so it plugs in when that lands;
 * today they come from the last `checks.done` (tray-feed.ts). The shell renders it (shell/tray.ts). Environment: any.
 */
import type { TunnelStatus } from '../../contract/tunnel';

export interface TrayFinding {
  code: string;
  severity: 'error' | 'warning' | 'info';
  title: string;
  text?: string;
  /** The app can apply this finding's fix (checks.applyFix). */
  fixable?: boolean;
}

export interface TrayInput {
  tunnels: readonly Pick<TunnelStatus, 'name' | 'state' | 'reason' | 'message'>[];
  profiles: readonly string[];
  findings: readonly TrayFinding[];
  checksRunning: boolean;
  /** The workstation Start stream would open; null = none known (the item is disabled). */
  streamHost: string | null;
}

export const TRAY_STATES = ['disconnected', 'connecting', 'ready', 'problem'] as const;
export type TrayState = (typeof TRAY_STATES)[number];
export type TrayIcon = `tray-${TrayState}`;
export type TrayActionId = 'connect' | 'disconnect' | 'run-checks' | 'start-stream' | 'run-diagnostics' | 'open' | 'quit';

export interface TrayMenuItem {
  id: TrayActionId;
  label: string;
  enabled: boolean;
  /** The profile a connect/disconnect/run-checks item acts on. */
  profile?: string;
}

export interface TrayModel {
  state: TrayState;
  icon: TrayIcon;
  /** One line: "Longhaul — Ready to stream (paris)". */
  tooltip: string;
  status: string;
  menu: TrayMenuItem[];
}

export interface TrayNotification {
  kind: 'stale' | 'dropped' | 'fix-available' | 'stream-warning' | 'stream-failed';
  title: string;
  body: string;
}

const ACTIVE = new Set<TunnelStatus['state']>(['connecting', 'handshaking', 'connected']);
const MAX_CONNECT_ITEMS = 8;

function problemOf(inp: TrayInput): string | null {
  const stale = inp.tunnels.find((t) => t.state === 'connected' && t.reason === 'stale');
  if (stale) return `${stale.name}: the farm gateway stopped answering`;
  const failed = inp.tunnels.find((t) => t.state === 'error');
  if (failed) return `${failed.name}: ${failed.message ?? failed.reason ?? 'the tunnel could not start'}`;
  const error = inp.findings.find((f) => f.severity === 'error');
  if (error && inp.tunnels.some((t) => t.state === 'connected')) return error.title;
  return null;
}

export function trayModel(inp: TrayInput): TrayModel {
  const active = inp.tunnels.filter((t) => ACTIVE.has(t.state));
  const connected = active.find((t) => t.state === 'connected');
  const problem = problemOf(inp);
  let state: TrayState;
  let status: string;
  if (problem) {
    state = 'problem';
    status = `Problem — ${problem}`;
  } else if (active.some((t) => t.state !== 'connected')) {
    state = 'connecting';
    status = `Connecting to ${active.find((t) => t.state !== 'connected')!.name}…`;
  } else if (connected && inp.checksRunning) {
    state = 'connecting';
    status = `Checking the tunnel to ${connected.name}…`;
  } else if (connected) {
    state = 'ready';
    status = `Ready to stream (${connected.name})`;
  } else {
    state = 'disconnected';
    status = 'Not connected';
  }

  const menu: TrayMenuItem[] = [];
  if (active.length) {
    for (const t of active) menu.push({ id: 'disconnect', label: `Disconnect ${t.name}`, enabled: true, profile: t.name });
  } else if (inp.profiles.length) {
    for (const p of inp.profiles.slice(0, MAX_CONNECT_ITEMS)) menu.push({ id: 'connect', label: inp.profiles.length === 1 ? 'Connect' : `Connect ${p}`, enabled: true, profile: p });
  } else {
    menu.push({ id: 'connect', label: 'Connect', enabled: false });
  }
  menu.push({ id: 'run-checks', label: 'Run checks', enabled: !!connected && !inp.checksRunning, ...(connected ? { profile: connected.name } : {}) });
  menu.push({ id: 'start-stream', label: inp.streamHost ? `Start stream (${inp.streamHost})` : 'Start stream', enabled: state === 'ready' && !!inp.streamHost, ...(connected ? { profile: connected.name } : {}) });
  menu.push({ id: 'run-diagnostics', label: 'Run diagnostics', enabled: true, ...(connected ? { profile: connected.name } : inp.profiles[0] ? { profile: inp.profiles[0] } : {}) });
  menu.push({ id: 'open', label: 'Open Longhaul', enabled: true });
  menu.push({ id: 'quit', label: 'Quit', enabled: true });
  return { state, icon: `tray-${state}`, tooltip: `Longhaul — ${status}`, status, menu };
}

/** The notifications a change from `prev` to `next` deserves (none on the first model: nothing changed yet). */
export function trayNotifications(prev: TrayInput | null, next: TrayInput): TrayNotification[] {
  if (!prev) return [];
  const out: TrayNotification[] = [];
  for (const t of next.tunnels) {
    const was = prev.tunnels.find((p) => p.name === t.name);
    if (t.state === 'connected' && t.reason === 'stale' && !(was?.state === 'connected' && was.reason === 'stale')) {
      out.push({ kind: 'stale', title: 'The farm gateway stopped answering', body: t.message ?? `${t.name}: no handshake for a while; traffic is not getting through. Reconnect from Longhaul.` });
    }
    if (t.reason === 'interface-vanished' && was && ACTIVE.has(was.state) && was.reason !== 'interface-vanished') {
      out.push({ kind: 'dropped', title: 'The tunnel dropped', body: t.message ?? `${t.name}: the tunnel went away. Connect again from Longhaul.` });
    }
  }
  for (const f of next.findings) {
    if (f.fixable && !prev.findings.some((p) => p.code === f.code && p.fixable)) {
      out.push({ kind: 'fix-available', title: `Fix available: ${f.title}`, body: 'Open Longhaul and choose Apply fix.' });
    }
  }
  return out;
}
