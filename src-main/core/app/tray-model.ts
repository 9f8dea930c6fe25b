/**
 * What the tray shows, as a pure function of tunnel statuses and stored profile names (the shell renders it).
 * Environment: any.
 */
import type { TunnelStatus } from '../../contract/tunnel';

export interface TrayModel {
  status: string;
  items: { label: string; action: { kind: 'connect' | 'disconnect'; name: string } }[];
}

export function trayModel(statuses: readonly TunnelStatus[], profileNames: readonly string[]): TrayModel {
  const active = statuses.filter((s) => s.state === 'connected' || s.state === 'handshaking' || s.state === 'connecting');
  if (active.length) {
    const a = active[0]!;
    const status =
      a.state === 'connected'
        ? a.reason === 'stale'
          ? `Connected to ${a.name}, but the gateway stopped answering`
          : `Connected to ${a.name}`
        : `Connecting to ${a.name}…`;
    return { status, items: active.map((t) => ({ label: `Disconnect ${t.name}`, action: { kind: 'disconnect', name: t.name } })) };
  }
  const failed = statuses.find((s) => s.state === 'error');
  return {
    status: failed ? `Not connected (${failed.name}: ${failed.reason ?? 'error'})` : 'Not connected',
    items: profileNames.slice(0, 8).map((n) => ({ label: `Connect ${n}`, action: { kind: 'connect', name: n } })),
  };
}
