/** Tunnel status as pushed by main's status watcher (`tunnel.status` events), plus the Connect control's commands. */
import { create } from 'zustand';
import type { TunnelStatus } from '../../src-main/contract/tunnel';
import { api } from '../api';
import { runChecks } from './check-actions';

export interface TunnelStore {
  tunnels: Record<string, TunnelStatus>;
  /** False until the first status arrived from main. */
  loaded: boolean;
  busy: string | null;
  error: string | null;
}

export const useTunnel = create<TunnelStore>()(() => ({ tunnels: {}, loaded: false, busy: null, error: null }));

export function applyStatus(s: TunnelStatus): void {
  useTunnel.setState((st) => ({ tunnels: { ...st.tunnels, [s.name]: s } }));
}

export async function refreshTunnels(): Promise<void> {
  const r = await api.call('tunnel.status', {});
  useTunnel.setState({ loaded: true });
  if (r.ok) useTunnel.setState({ tunnels: Object.fromEntries(r.value.tunnels.map((t) => [t.name, t])) });
}

export async function connect(name: string, force = false): Promise<void> {
  useTunnel.setState({ busy: name, error: null });
  applyStatus({ ...(useTunnel.getState().tunnels[name] ?? blank(name)), state: 'connecting', reason: null, message: null });
  const r = await api.call('tunnel.connect', { name, ...(force ? { force } : {}) });
  useTunnel.setState({ busy: null, error: r.ok ? null : r.error.message });
  if (r.ok) {
    applyStatus(r.value);
    // Prove the tunnel right away: the checks run automatically after connecting.
    if (r.value.state === 'connected') void runChecks(name);
  } else {
    applyStatus({ ...blank(name), state: 'error', message: r.error.message });
  }
}

export async function disconnect(name: string): Promise<void> {
  useTunnel.setState({ busy: name, error: null });
  const r = await api.call('tunnel.disconnect', { name });
  useTunnel.setState({ busy: null, error: r.ok ? null : r.error.message });
  if (r.ok) applyStatus(r.value);
}

function blank(name: string): TunnelStatus {
  return { name, interface: name, state: 'disconnected', reason: null, message: null, endpoint: null, latestHandshakeAgeSec: null, rxBytes: 0, txBytes: 0, peers: [] };
}
