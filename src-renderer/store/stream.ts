/** The Stream page's state and commands: hosts, probes, pairing, settings, the gate and sessions. */
import { create } from 'zustand';
import type { z } from 'zod';
import type { CapacityDoc, GateItemSchema, LaunchPlanSchema, MoonlightInfoSchema, ProbeResultView, StreamHostSchema, StreamSettings } from '../../src-main/contract/stream';
import { api } from '../api';
import type { LastLineEntry } from './journey';
import { useTunnel } from './tunnel';

type StreamHost = z.infer<typeof StreamHostSchema>;
type GateItem = z.infer<typeof GateItemSchema>;
type LaunchPlan = z.infer<typeof LaunchPlanSchema> & { sessionId: string | null };

/** The line as the Stream page shows it: the measurement, the bitrate Moonlight gets and why. */
export interface LineView {
  host: string;
  capacity: CapacityDoc;
  bitrateKbps: number | null;
  why: string | null;
  items: GateItem[];
}

export interface Pairing {
  host: string;
  pairingId: string;
  pin: string;
  enterAt: string;
  instructions: string;
  result: string | null;
}

export interface StreamState {
  hosts: StreamHost[];
  probes: Record<string, ProbeResultView | 'probing'>;
  moonlight: z.infer<typeof MoonlightInfoSchema> | null;
  settings: StreamSettings | null;
  pairing: Pairing | null;
  gate: { host: string; items: GateItem[] } | null;
  plan: LaunchPlan | null;
  launching: boolean;
  /** The last line measurement (`stream.capacity`), or 'measuring'. */
  line: LineView | 'measuring' | null;
  /** Per profile: the last stored line measurement (`stream.lastCapacity`), or one this window just made. */
  lastCapacity: Record<string, LastLineEntry>;
  sessionLog: string[];
  /** The latest Moonlight session this window started or heard of (stream.session events). */
  session: { id: string; host: string; state: 'running' | 'ended' | 'failed'; text: string | null } | null;
  error: string | null;
}

export const useStream = create<StreamState>()(() => ({
  hosts: [],
  probes: {},
  moonlight: null,
  settings: null,
  pairing: null,
  gate: null,
  plan: null,
  launching: false,
  line: null,
  lastCapacity: {},
  sessionLog: [],
  session: null,
  error: null,
}));

const fail = (message: string) => useStream.setState({ error: message });

export async function loadStream(): Promise<void> {
  const [hosts, ml, defaults] = await Promise.all([api.call('stream.hosts', {}), api.call('stream.moonlight', {}), api.call('stream.defaults', {})]);
  useStream.setState({
    hosts: hosts.ok ? hosts.value.hosts : [],
    moonlight: ml.ok ? ml.value : null,
    settings: useStream.getState().settings ?? (defaults.ok ? defaults.value : null),
  });
}

export async function probeHost(host: string): Promise<void> {
  useStream.setState((s) => ({ probes: { ...s.probes, [host]: 'probing' } }));
  const r = await api.call('stream.probe', { host });
  useStream.setState((s) => {
    const probes = { ...s.probes };
    if (r.ok) probes[host] = r.value;
    else delete probes[host];
    return { probes, error: r.ok ? s.error : r.error.message };
  });
}

export async function addHost(name: string, host: string): Promise<void> {
  const r = await api.call('stream.addHost', { name, host });
  if (r.ok) useStream.setState({ hosts: r.value.hosts });
  else fail(r.error.message);
}

/** Main opens its file dialog; the page never names the program main runs. */
export async function chooseMoonlight(): Promise<void> {
  const r = await api.call('stream.chooseMoonlight', {});
  if (r.ok) {
    const { chosen, ...info } = r.value;
    if (chosen) useStream.setState({ moonlight: info });
  } else fail(r.error.message);
}

export async function resetMoonlight(): Promise<void> {
  const r = await api.call('stream.resetMoonlight', {});
  if (r.ok) useStream.setState({ moonlight: r.value });
  else fail(r.error.message);
}

export async function startPairing(host: string): Promise<void> {
  const r = await api.call('stream.pairStart', { host });
  if (r.ok) useStream.setState({ pairing: { host, pairingId: r.value.pairingId, pin: r.value.pin, enterAt: r.value.enterAt, instructions: r.value.instructions, result: null } });
  else fail(r.error.message);
}

export async function confirmPairing(): Promise<void> {
  const p = useStream.getState().pairing;
  if (!p) return;
  const r = await api.call('stream.pairConfirm', { pairingId: p.pairingId });
  useStream.setState({ pairing: { ...p, result: r.ok ? (r.value.paired ? `Paired with ${p.host}.` : r.value.detail) : r.error.message } });
}

function connectedProfile(): string | undefined {
  const up = Object.values(useTunnel.getState().tunnels).filter((t) => t.state === 'connected');
  return up.length === 1 ? up[0]!.name : undefined;
}

/** Read the profile's last stored line measurement (nothing is measured); Home shows it when ready. */
export async function loadLastCapacity(profile: string): Promise<void> {
  const r = await api.call('stream.lastCapacity', { profile });
  const entry: LastLineEntry = r.ok ? { capacity: r.value.capacity, bitrateKbps: r.value.bitrateKbps, network: r.value.network } : { error: r.error.message };
  useStream.setState((s) => {
    // The same measurement this window made (its reply also said the bitrate Moonlight got): keep that.
    const had = s.lastCapacity[profile];
    const same = had && !('error' in had) && r.ok && had.capacity?.measuredAt === r.value.capacity?.measuredAt;
    return same ? {} : { lastCapacity: { ...s.lastCapacity, [profile]: entry } };
  });
}

const remember = (profile: string | undefined, capacity: CapacityDoc, bitrateKbps: number | null) => {
  if (profile) useStream.setState((s) => ({ lastCapacity: { ...s.lastCapacity, [profile]: { capacity, bitrateKbps, network: 'this' } } }));
};

/** Measure the line for the current settings through the connected tunnel (main runs the iperf3 test). */
export async function measureLine(host: string): Promise<void> {
  const settings = useStream.getState().settings ?? undefined;
  const profile = connectedProfile();
  useStream.setState({ line: 'measuring', error: null });
  const r = await api.call('stream.capacity', { host, ...(settings ? { settings } : {}), ...(profile ? { profile } : {}) });
  useStream.setState(r.ok ? { line: { host, capacity: r.value.capacity, bitrateKbps: r.value.bitrateKbps, why: r.value.why, items: r.value.items } } : { line: null, error: r.error.message });
  if (r.ok) remember(profile, r.value.capacity, r.value.bitrateKbps);
}

/** The gate items that are about the line (core/stream/capacity-item.ts): the Line card shows them after a launch as
 * it does after "Measure the line" (which gets exactly these). */
const LINE_ITEMS = new Set(['capacity', 'capacity-fell', 'net-loss', 'net-bufferbloat']);

export async function launch(host: string, app: string | undefined, opts: { override?: boolean; dryRun?: boolean } = {}): Promise<void> {
  const settings = useStream.getState().settings ?? undefined;
  // The gate checks the tunnel the artist is connected with (the connected profile), when there is exactly one.
  const profile = connectedProfile();
  useStream.setState({ launching: true, error: null, plan: null, gate: { host, items: [] } });
  const r = await api.call('stream.launch', { host, ...(app ? { app } : {}), ...(settings ? { settings } : {}), ...(profile ? { profile } : {}), ...opts });
  useStream.setState((s) => ({
    launching: false,
    plan: r.ok ? r.value : null,
    error: r.ok ? null : r.error.message,
    // The started/ended events may have arrived before the answer: keep what they said about this session.
    session: r.ok && r.value.sessionId && s.session?.id !== r.value.sessionId ? { id: r.value.sessionId, host, state: 'running', text: null } : s.session,
  }));
  if (r.ok && r.value.capacity) {
    const why = r.value.notes.find((n) => n.startsWith('Moonlight gets') || n.startsWith('The line is too slow')) ?? null;
    useStream.setState({ line: { host, capacity: r.value.capacity, bitrateKbps: r.value.bitrateKbps, why, items: r.value.gate.filter((i) => LINE_ITEMS.has(i.id)) } });
    remember(profile, r.value.capacity, r.value.bitrateKbps);
  }
}

export async function openParsec(peerId: string): Promise<void> {
  const r = await api.call('stream.parsec', { peerId });
  useStream.setState({ sessionLog: [...useStream.getState().sessionLog.slice(-19), r.ok ? (r.value.opened ? `Opened ${r.value.url} in Parsec` : `Could not open ${r.value.url}: is Parsec installed?`) : r.error.message] });
}
