/**
 * The artist's journey on one screen (Home): which single step the app is at, derived by a pure function from the
 * store's slices (profiles, tunnel status, the checks run, stream hosts and session). No React, no zustand here:
 * `src-renderer/store/journey.test.ts` drives it with plain objects. Environment: browser (pure).
 */
import type { ChecksDone } from '../../src-main/contract/checks';
import type { Finding as FindingView } from '../../src-main/contract/diagnosis';
import type { ProfileView } from '../../src-main/contract/profiles';
import type { CapacityDoc, StreamSettings } from '../../src-main/contract/stream';
import type { TunnelStatus } from '../../src-main/contract/tunnel';

export interface JourneyHost {
  name: string;
  host: string;
  app: string | null;
}

/**
 * The profile's last line measurement as the store holds it (`stream.lastCapacity`, with the bitrate Moonlight would
 * get from it with the saved settings, or a measurement this window just made, with the bitrate Moonlight got);
 * `error`: the stored result could not be read.
 */
export type LastLineEntry = { capacity: CapacityDoc | null; bitrateKbps: number | null; network?: 'this' | 'other' | 'unknown' } | { error: string };

/** What Home says about the line: measured (with when), never measured, tried without a number, or unreadable. */
export type LineFact =
  | { kind: 'measured'; downKbps: number; measuredAt: string; bitrateKbps: number | null; elsewhere: boolean }
  | { kind: 'never' }
  | { kind: 'not-measured'; text: string; measuredAt: string | null }
  | { kind: 'unreadable'; text: string };

export interface JourneyGateItem {
  id: string;
  status: 'pass' | 'warn' | 'fail' | 'skip';
  summary: string;
  findingCode?: string;
  fix?: string;
}

export interface JourneyInput {
  link: 'connecting' | 'up' | 'lost';
  /** The first profile list and tunnel status arrived (until then the journey is `starting`). */
  loaded: boolean;
  profiles: readonly Pick<ProfileView, 'name' | 'site' | 'endpoint' | 'origin'>[];
  selected: string | null;
  tunnels: Readonly<Record<string, TunnelStatus>>;
  /** The profile whose connect/disconnect call is in flight. */
  busy: string | null;
  checks: {
    runId: string | null;
    profile: string | null;
    items: readonly { id: string; title: string; state: 'pending' | 'running' | 'done' }[];
    done: ChecksDone | null;
    error: string | null;
    fixing: boolean;
  };
  stream: {
    hosts: readonly (JourneyHost & { source: 'site' | 'manual' })[];
    /** null while not yet asked. */
    moonlightFound: boolean | null;
    settings: StreamSettings | null;
    launching: boolean;
    plan: { blocked: boolean; gate: readonly JourneyGateItem[]; sessionId: string | null } | null;
    error: string | null;
    session: { id: string; host: string; state: 'running' | 'ended' | 'failed'; text: string | null } | null;
    /** Per profile; a missing key: not asked yet. */
    lastCapacity: Readonly<Record<string, LastLineEntry>>;
  };
  /** Policy requireGate: a blocked launch offers no override. */
  gateRequired: boolean;
}

/** The one thing the hero's main button does in a problem state. */
export type FixAction =
  | { kind: 'apply-fix'; code: 'mtu.blackhole'; label: string }
  | { kind: 'reconnect'; label: string }
  | { kind: 'connect-anyway'; label: string }
  | { kind: 'rerun-checks'; label: string }
  | { kind: 'choose-moonlight'; label: string }
  | { kind: 'launch-anyway'; label: string }
  | { kind: 'open-page'; page: 'stream' | 'connect' | 'checks'; label: string };

interface WithProfile {
  profile: string;
  site: string | null;
}

export type Journey =
  | { step: 'starting' }
  | { step: 'unreachable' }
  | { step: 'no-profile' }
  | ({ step: 'disconnected'; endpoint: string | null } & WithProfile)
  | ({ step: 'connecting'; phase: 'starting' | 'handshake' } & WithProfile)
  | ({ step: 'verifying'; done: number; total: number; current: string | null; needsRun: boolean; fixing: boolean } & WithProfile)
  | ({
      step: 'ready';
      host: JourneyHost;
      pathMtu: number | null;
      rttMs: number | null;
      warnings: string[];
      settings: StreamSettings | null;
      /** The profile's last measured capacity (Mbit/s, `downKbps` ÷ 1000); null when none is stored (yet). */
      capacityMbps: number | null;
      /** The line in words; null while the stored result is being asked for. */
      line: LineFact | null;
      launching: boolean;
      /** Set when a stream just ended (its last words), so the artist sees what happened. */
      lastSession: string | null;
    } & WithProfile)
  | ({ step: 'streaming'; host: string } & WithProfile)
  | ({ step: 'problem'; code: string; title: string; text: string; fix: string; action: FixAction | null } & WithProfile);

export type JourneyStep = Journey['step'];

const ACTIVE = new Set<TunnelStatus['state']>(['connecting', 'handshaking', 'connected']);

/** The profile the journey is about: the one up (or coming up), else the chosen one, else the first. */
export function journeyProfile(inp: Pick<JourneyInput, 'profiles' | 'selected' | 'tunnels'>): string | null {
  const names = new Set(inp.profiles.map((p) => p.name));
  const up = Object.values(inp.tunnels).find((t) => names.has(t.name) && ACTIVE.has(t.state));
  if (up) return up.name;
  if (inp.selected && names.has(inp.selected)) return inp.selected;
  return inp.profiles[0]?.name ?? null;
}

const TUNNEL_PROBLEM: Partial<Record<NonNullable<TunnelStatus['reason']>, string>> = {
  'no-handshake': 'The farm gateway does not answer',
  stale: 'The farm gateway stopped answering',
  'interface-vanished': 'The tunnel dropped',
  'interface-exists': 'Another tunnel with this name is already up',
  'tools-missing': 'WireGuard is not installed',
  'resolvconf-missing': 'A tool for the farm’s name server is missing',
  'permission-denied': 'Longhaul was not allowed to start the tunnel',
  'route-conflict': 'Your local network uses the farm’s addresses',
  'endpoint-unresolvable': 'The gateway’s name cannot be found',
  'profile-invalid': 'The profile from IT cannot be used',
  'hooks-refused': 'The profile asks to run commands',
  'up-failed': 'The tunnel could not start',
};

/** The finding the hero leads with: an error the app can fix (its fix often clears the others), else the first error. */
function leadFinding(findings: readonly FindingView[], fixable: readonly string[]): FindingView | undefined {
  const errors = findings.filter((f) => f.severity === 'error');
  return errors.find((f) => fixable.includes(f.code)) ?? errors[0] ?? findings[0];
}

export function deriveJourney(inp: JourneyInput): Journey {
  if (inp.link === 'lost') return { step: 'unreachable' };
  if (inp.link === 'connecting' || !inp.loaded) return { step: 'starting' };
  const name = journeyProfile(inp);
  if (!name) return { step: 'no-profile' };
  const profile = inp.profiles.find((p) => p.name === name)!;
  const base: WithProfile = { profile: name, site: profile.site?.name ?? null };
  const status = inp.tunnels[name];
  const state = status?.state ?? 'disconnected';

  if (state === 'connecting' || (inp.busy === name && state !== 'connected' && state !== 'handshaking' && state !== 'error')) {
    return { step: 'connecting', phase: 'starting', ...base };
  }
  if (state === 'handshaking') return { step: 'connecting', phase: 'handshake', ...base };
  if (state === 'error') {
    const reason = status?.reason ?? 'up-failed';
    const action: FixAction = reason === 'route-conflict' ? { kind: 'connect-anyway', label: 'Connect anyway' } : { kind: 'reconnect', label: 'Try again' };
    return {
      step: 'problem',
      code: `tunnel.${reason}`,
      title: TUNNEL_PROBLEM[reason] ?? 'The tunnel could not start',
      text: status?.message ?? 'The tunnel is not up.',
      fix: reason === 'route-conflict' ? 'Connect anyway if you do not need the local devices on those addresses, or ask IT for another address range.' : 'Try again; if it keeps failing, run diagnostics and send the report to IT.',
      action,
      ...base,
    };
  }
  if (state !== 'connected') return { step: 'disconnected', endpoint: profile.endpoint, ...base };

  // Connected.
  if (status?.reason === 'stale') {
    return {
      step: 'problem',
      code: 'tunnel.stale',
      title: TUNNEL_PROBLEM.stale!,
      text: status.message ?? 'No handshake with the farm gateway for a while: traffic is not getting through.',
      fix: 'Reconnect; if it happens again, your network may be blocking the tunnel.',
      action: { kind: 'reconnect', label: 'Reconnect' },
      ...base,
    };
  }
  const session = inp.stream.session;
  if (session?.state === 'running') return { step: 'streaming', host: session.host, ...base };

  const plan = inp.stream.plan;
  if (plan?.blocked && !inp.stream.launching) {
    const failed = plan.gate.find((g) => g.status === 'fail');
    return {
      step: 'problem',
      code: failed?.findingCode ?? 'stream.blocked',
      title: 'The stream would not work yet',
      text: failed?.summary ?? 'A pre-flight check failed.',
      fix: failed?.fix ?? 'Run the checks and follow their fix.',
      action: inp.gateRequired ? { kind: 'rerun-checks', label: 'Run checks again' } : { kind: 'launch-anyway', label: 'Launch anyway' },
      ...base,
    };
  }

  const c = inp.checks;
  const mine = c.profile === name;
  if (!mine) return { step: 'verifying', done: 0, total: 0, current: null, needsRun: true, fixing: false, ...base };
  if (c.fixing) return { step: 'verifying', done: 0, total: c.items.length, current: 'Applying the fix', needsRun: false, fixing: true, ...base };
  if (c.error && !c.done) {
    return { step: 'problem', code: 'checks.failed', title: 'The checks could not run', text: c.error, fix: 'Run them again; if it keeps failing, run diagnostics.', action: { kind: 'rerun-checks', label: 'Run checks again' }, ...base };
  }
  if (!c.done) {
    const finished = c.items.filter((i) => i.state === 'done').length;
    const running = c.items.find((i) => i.state === 'running');
    // Until `checks.run` answers (runId) the list is not known: the first progress event may come before it, and
    // "0 of 1" would be a wrong count. Total 0 = "starting".
    const known = c.runId !== null;
    return { step: 'verifying', done: known ? finished : 0, total: known ? c.items.length : 0, current: running?.title ?? null, needsRun: false, fixing: false, ...base };
  }
  const done = c.done;
  if (done.verdict === 'broken') {
    const f = leadFinding(done.findings, done.fixable);
    const fixable = f && f.code === 'mtu.blackhole' && done.fixable.includes(f.code);
    const mtu = f?.evidence.pathMtu;
    return {
      step: 'problem',
      code: f?.code ?? 'checks.broken',
      title: f?.title ?? 'The tunnel is not fit for streaming',
      text: f?.detail ?? 'A check failed.',
      fix: f?.fix ?? 'See the checks for details.',
      action: fixable
        ? { kind: 'apply-fix', code: 'mtu.blackhole', label: `Apply fix${typeof mtu === 'number' ? `: MTU ${mtu}` : ''}` }
        : { kind: 'rerun-checks', label: 'Run checks again' },
      ...base,
    };
  }

  if (inp.stream.moonlightFound === false) {
    return {
      step: 'problem',
      code: 'stream.moonlight-missing',
      title: 'Moonlight is not installed',
      text: 'The farm is ready, but Longhaul cannot find Moonlight, the program that shows the workstation.',
      fix: 'Install Moonlight from moonlight-stream.org, or choose where it is.',
      action: { kind: 'choose-moonlight', label: 'Choose Moonlight…' },
      ...base,
    };
  }
  const siteHosts = profile.site?.streamHosts ?? [];
  const host =
    inp.stream.hosts.find((h) => siteHosts.some((s) => s.host === h.host)) ??
    (siteHosts[0] ? { name: siteHosts[0].name, host: siteHosts[0].host, app: siteHosts[0].app ?? null } : undefined) ??
    inp.stream.hosts[0];
  if (!host) {
    return {
      step: 'problem',
      code: 'stream.no-host',
      title: 'No workstation to stream to',
      text: 'The tunnel is healthy, but no farm workstation is known: the site file from IT names none.',
      fix: 'Add the workstation IT gave you on the Stream page.',
      action: { kind: 'open-page', page: 'stream', label: 'Add a workstation' },
      ...base,
    };
  }
  const stream = inp.stream;
  const line = lineFact(stream.lastCapacity[name]);
  return {
    step: 'ready',
    host: { name: host.name, host: host.host, app: host.app },
    pathMtu: done.pathMtu,
    rttMs: done.rttMs,
    warnings: done.findings.filter((f) => f.severity === 'warning').map((f) => f.title),
    settings: stream.settings,
    capacityMbps: line?.kind === 'measured' ? line.downKbps / 1000 : null,
    line,
    launching: stream.launching,
    lastSession: session ? session.text : stream.error,
    ...base,
  };
}

export function lineFact(entry: LastLineEntry | undefined): LineFact | null {
  if (entry === undefined) return null;
  if ('error' in entry) return { kind: 'unreadable', text: entry.error };
  const c = entry.capacity;
  if (!c) return { kind: 'never' };
  if (c.status === 'measured') return { kind: 'measured', downKbps: c.downKbps, measuredAt: c.measuredAt, bitrateKbps: entry.bitrateKbps, elsewhere: entry.network === 'other' };
  return { kind: 'not-measured', text: c.message, measuredAt: c.measuredAt };
}

/** Mbit/s as the Line card writes it: whole numbers from 10 up, one decimal below (never rounded up). */
export function mbitText(kbps: number): string {
  return kbps >= 10_000 ? String(Math.floor(kbps / 1000)) : String(Math.floor(kbps / 100) / 10);
}

/** What the hero's progress bar and the live region say while verifying. */
export function progressText(j: Extract<Journey, { step: 'verifying' }>): string {
  if (j.fixing) return 'Applying the fix and reconnecting…';
  if (!j.total) return j.current ? `Starting the checks — ${j.current}` : 'Starting the checks…';
  return `${j.done} of ${j.total} checks done${j.current ? ` — ${j.current}` : ''}`;
}
