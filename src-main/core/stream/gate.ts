/**
 * The pre-flight gate: before Moonlight starts, the checks that matter for a stream — tunnel up, DNS resolves the
 * host, a large payload crosses, the path MTU fits, Sunshine's ports answer — plus the packet-size arithmetic. A red
 * item blocks with its fix; the artist may override knowingly unless policy `requireGate`; the override is recorded.
 * Environment: plain Node.
 *
 * `GateRunner` is what the checks engine (core/checks) satisfies — gate-checks.ts is the adapter over `runChecks` +
 * `diagnose`; every face (CLI, contract handlers) passes one, so no item is ever reported without a measurement.
 */
import * as net from 'node:net';
import { makeFinding } from '../findings/finding';
import { lookupHost, NetError } from '../platform/net-client';
import { outerSizeFor } from '../net/packet-size';
import { decidePacketSize, MIN_PATH_MTU, type PacketSizeDecision } from './packet-size';
import type { ProbeResult } from './sunshine-probe';

export type GateStatus = 'pass' | 'warn' | 'fail' | 'skip';

export interface GateCheckResult {
  id: string;
  status: GateStatus;
  summary: string;
  findingCode?: string;
  fix?: string;
  evidence?: Record<string, unknown>;
}

export interface GateRequest {
  host: string;
  /** The WireGuard profile the stream goes through (name or file), when known. */
  profile?: string;
  signal?: AbortSignal;
  onProgress?(item: GateCheckResult): void;
}

export interface GateRun {
  checks: GateCheckResult[];
  /** Largest IPv4 packet that crosses the tunnel, or null when not measured. */
  pathMtu: number | null;
  /** The probe, when the runner made one (reused for codecs). */
  probe?: ProbeResult;
  /** Moonlight will see the route as a VPN (WireGuard: point-to-point, MTU < 1500). Default true. */
  vpnDetectionApplies?: boolean;
  /** The tunnel the stream goes through, for the watch while it runs (absent: no tunnel was resolved). */
  tunnel?: { profileName: string; interfaceName: string; gateway: string | null };
}

export interface GateRunner {
  run(req: GateRequest): Promise<GateRun>;
}

/** The items a stream gate must show, in order (ids are the checks engine's where it has the check). */
export const GATE_ITEMS = [
  { id: 'tunnel', what: 'tunnel up' },
  { id: 'stream-host-dns', what: 'the host name resolves' },
  { id: 'dns-system', what: 'farm names resolve through the tunnel' },
  { id: 'tls', what: 'a large payload crosses the tunnel' },
  { id: 'path-mtu', what: 'path MTU' },
  { id: 'sunshine-ports', what: 'Sunshine ports' },
] as const;

export interface GateOutcome {
  items: GateCheckResult[];
  blocked: boolean;
  /** The red items that block (or would, when overridden). */
  blockers: GateCheckResult[];
  overridden: boolean;
  /** The override was asked for but policy requires the gate. */
  overrideRefused: boolean;
  packet: PacketSizeDecision;
}

export interface EvaluateOptions {
  maxPacketSizeOptIn: boolean;
  requireGate: boolean;
  override: boolean;
}

export function evaluateGate(run: GateRun, opts: EvaluateOptions): GateOutcome {
  const items: GateCheckResult[] = [];
  for (const spec of GATE_ITEMS) {
    const got = run.checks.find((c) => c.id === spec.id);
    items.push(got ?? { id: spec.id, status: 'skip', summary: `not checked: ${spec.what}` });
  }
  for (const c of run.checks) if (!items.includes(c) && !GATE_ITEMS.some((g) => g.id === c.id)) items.push(c);
  const packet = decidePacketSize({ pathMtu: run.pathMtu, optIn: opts.maxPacketSizeOptIn, vpnDetectionApplies: run.vpnDetectionApplies ?? true });
  if (packet.blocked) {
    const f = makeFinding('stream.path-mtu-too-small', { pathMtu: run.pathMtu ?? 0, minPathMtu: MIN_PATH_MTU, minOuter: outerSizeFor(MIN_PATH_MTU) });
    items.push({ id: 'packet-size', status: 'fail', summary: packet.explanation, findingCode: f.code, fix: f.fix });
  } else {
    items.push({ id: 'packet-size', status: run.pathMtu === null ? 'skip' : 'pass', summary: packet.explanation });
  }
  const blockers = items.filter((i) => i.status === 'fail');
  const wantsOverride = opts.override && blockers.length > 0;
  const overrideRefused = wantsOverride && opts.requireGate;
  const overridden = wantsOverride && !opts.requireGate;
  return { items, blocked: blockers.length > 0 && !overridden, blockers, overridden, overrideRefused, packet };
}

export async function resolveHostItem(host: string, signal?: AbortSignal): Promise<GateCheckResult> {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (net.isIP(bare)) return { id: 'stream-host-dns', status: 'pass', summary: `${host} is an address (no DNS needed)` };
  try {
    const address = await lookupHost(bare, { timeoutMs: 5000, signal });
    return { id: 'stream-host-dns', status: 'pass', summary: `${host} resolves to ${address}`, evidence: { address } };
  } catch (err) {
    const code = err instanceof NetError ? (err.errno ?? err.code) : 'error';
    const f = makeFinding('dns.name-unresolved', { server: 'the system resolver', rcode: code, name: host });
    return { id: 'stream-host-dns', status: 'fail', summary: `${host} does not resolve (${code})`, findingCode: f.code, fix: f.fix };
  }
}

export function portsItem(probe: ProbeResult): GateCheckResult {
  const closed = Object.entries(probe.ports).filter(([, open]) => !open).map(([p]) => p);
  if (probe.result === 'ok' && closed.length === 0) return { id: 'sunshine-ports', status: 'pass', summary: probe.detail, evidence: { ports: probe.ports } };
  if (probe.result === 'busy') return { id: 'sunshine-ports', status: 'warn', summary: probe.detail, evidence: { ports: probe.ports } };
  if (probe.result === 'ok' || probe.result === 'not-sunshine') {
    return { id: 'sunshine-ports', status: 'warn', summary: `${probe.detail}${closed.length ? ` Closed: ${closed.join(', ')}.` : ''}`, evidence: { ports: probe.ports } };
  }
  const f = makeFinding('stream.sunshine-not-listening', { host: probe.host, closedPorts: closed.join(', ') || 'its ports' });
  return { id: 'sunshine-ports', status: 'fail', summary: probe.detail, findingCode: f.code, fix: f.fix, evidence: { ports: probe.ports, result: probe.result } };
}
