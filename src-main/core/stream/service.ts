/**
 * The stream domain's façade used by the contract handlers and the CLI: locate Moonlight, probe hosts, pair, plan a
 * launch (gate + packet size + argv) and launch it. Environment: plain Node.
 */
import type { CapacityDoc, StreamSettings } from '../../contract/stream';
import type { Logger } from '../log/logger';
import type { ProcessRunner } from '../platform/runner';
import type { PolicyReader } from '../policy/policy';
import { buildStreamArgv, type BuiltArgv } from './argv';
import { StreamWatch } from './watch/watch';
import { decideCapacity, type CapacityDecision } from './capacity-item';
import { evaluateGate, type GateRun, type GateCheckResult, type GateOutcome, type GateRunner } from './gate';
import { SessionHistory } from './history';
import { launchMoonlight, type LaunchedSession } from './launch';
import { locateMoonlight, type LocateResult, type MoonlightInstall } from './locate';
import { confirmPaired, PairingAssistant, type PairingSession } from './pairing';
import { resolveSettings } from './settings';
import type { SiteStreamHost } from './site-hosts';
import { StreamStore } from './store';
import { probeSunshine, type ProbeResult } from './sunshine-probe';

export class StreamError extends Error {
  constructor(
    readonly code: 'moonlight-missing' | 'invalid-input' | 'blocked' | 'conflict' | 'not-found',
    message: string,
  ) {
    super(message);
    this.name = 'StreamError';
  }
}

export interface StreamServiceDeps {
  runner: ProcessRunner;
  logger: Logger;
  stateDir: string;
  policy: PolicyReader;
  gateRunner: GateRunner;
  /** The tunnel's handshake age and endpoint, read while a stream runs (absent: the watch goes without it). */
  handshakeOf?: (profileName: string) => () => Promise<{ ageSec: number | null; endpoint: string | null } | null>;
  /** The active site's stream hosts (INTEGRATION POINT: the profile store). */
  siteHosts?: () => Promise<SiteStreamHost[]>;
  probe?: (host: string, signal?: AbortSignal) => Promise<ProbeResult>;
  platform?: NodeJS.Platform;
  /** Extra environment for Moonlight children (tests point the stand-in at its state files). */
  childEnv?: Record<string, string | undefined>;
  /** Environment for locating Moonlight (`LONGHAUL_MOONLIGHT`); default process.env. */
  env?: Record<string, string | undefined>;
  /** A Moonlight path that wins over the saved one (CLI `--moonlight`). */
  moonlightPath?: string;
  /**
   * Stream fitness (core/capacity/for-stream.ts `measureForStream`, bound to the profile's site by the face). Absent:
   * the gate's capacity item says the line was not measured (a warning, never a pass).
   */
  capacity?: (req: CapacityRequest) => Promise<CapacityDoc>;
}

export interface CapacityRequest {
  profile?: string;
  neededKbps: number;
  packetSize: number;
  fps: number;
  signal?: AbortSignal;
}

/** Moonlight's video packet size when it detects a VPN and nothing is passed (fact sheet: 1024). */
const MOONLIGHT_VPN_PACKET_SIZE = 1024;

export interface LaunchRequest {
  host: string;
  app?: string;
  settings?: Partial<StreamSettings>;
  override?: boolean;
  profile?: string;
  signal?: AbortSignal;
  onGateProgress?(item: GateCheckResult): void;
}

export interface LaunchPlan {
  install: MoonlightInstall;
  executable: string;
  argv: string[];
  app: string;
  settings: StreamSettings;
  built: BuiltArgv | null;
  gate: GateOutcome;
  probe: ProbeResult | null;
  packetSize: number | null;
  maxPacketSize: number | null;
  blocked: boolean;
  notes: string[];
  /** The tunnel the stream goes through (from the gate), watched while the stream runs. */
  tunnel: GateRun['tunnel'] | null;
  /** The line's measurement (or why there is none) and the bitrate decision. */
  capacity: CapacityDoc;
  capacityDecision: CapacityDecision;
  /** The `--bitrate` passed (null when no argv was built). */
  bitrateKbps: number | null;
}

export class StreamService {
  readonly store: StreamStore;
  readonly history: SessionHistory;
  private pairing: PairingAssistant | null = null;
  private readonly probeFn: (host: string, signal?: AbortSignal) => Promise<ProbeResult>;

  constructor(private readonly deps: StreamServiceDeps) {
    this.store = new StreamStore(deps.stateDir, deps.logger);
    this.history = new SessionHistory(deps.stateDir);
    this.probeFn = deps.probe ?? ((host, signal) => probeSunshine(host, { signal }));
  }

  locate(): Promise<LocateResult> {
    return locateMoonlight({ runner: this.deps.runner, platform: this.deps.platform, env: this.deps.env, userPath: this.deps.moonlightPath ?? this.store.read().moonlightPath, runEnv: this.deps.childEnv });
  }

  async requireMoonlight(): Promise<MoonlightInstall> {
    const r = await this.locate();
    if (!r.found) throw new StreamError('moonlight-missing', r.hint);
    return r.install;
  }

  setMoonlightPath(p: string | null): void {
    this.store.update((d) => ({ ...d, moonlightPath: p }));
  }

  probe(host: string, signal?: AbortSignal): Promise<ProbeResult> {
    return this.probeFn(host, signal);
  }

  async hosts(): Promise<(SiteStreamHost & { source: 'site' | 'manual' })[]> {
    const site = (await this.deps.siteHosts?.()) ?? [];
    const manual = this.store.read().manualHosts.map((h) => ({ ...h, parsecPeerId: null, source: 'manual' as const }));
    return [...site.map((h) => ({ ...h, source: 'site' as const })), ...manual];
  }

  addHost(h: { name: string; host: string; app?: string }): void {
    this.store.update((d) => ({ ...d, manualHosts: [...d.manualHosts.filter((x) => x.host !== h.host), { name: h.name, host: h.host, app: h.app ?? null }] }));
  }

  private async pairingDeps() {
    return { runner: this.deps.runner, install: await this.requireMoonlight(), logger: this.deps.logger, env: this.deps.childEnv };
  }

  async pairStart(host: string): Promise<PairingSession & { hostname: string | null }> {
    const deps = await this.pairingDeps();
    this.pairing ??= new PairingAssistant(deps);
    const probe = await this.probeFn(host).catch(() => null);
    try {
      const s = this.pairing.start(host);
      return Object.assign(s, { hostname: probe?.info?.hostname ?? null });
    } catch (err) {
      throw new StreamError('conflict', (err as Error).message);
    }
  }

  async pairConfirm(pairingId: string): Promise<{ paired: boolean; detail: string }> {
    const s = this.pairing?.get(pairingId);
    if (!s) throw new StreamError('not-found', 'no such pairing; start pairing again');
    // Give a just-finished `moonlight pair` a moment to end before asking `list` (it exits right after the PIN).
    if (s.running) await Promise.race([s.finished, new Promise((r) => setTimeout(r, 10_000).unref())]);
    const done = s.running ? null : await s.finished;
    const confirmed = await confirmPaired(await this.pairingDeps(), s.host);
    if (!confirmed.paired && s.running) return { paired: false, detail: `Not paired yet: enter PIN ${s.pin} at ${s.enterAt} (Sunshine → PIN). ${confirmed.detail}` };
    if (!confirmed.paired && done?.error) return { paired: false, detail: `${done.error} ${confirmed.detail}` };
    return confirmed;
  }

  async defaults(): Promise<StreamSettings> {
    return resolveSettings(this.store.settings(), this.store.file);
  }

  async plan(req: LaunchRequest): Promise<LaunchPlan> {
    const install = await this.requireMoonlight();
    const settings = resolveSettings({ ...this.store.settings(), ...(req.settings ?? {}) });
    const site = (await this.hosts()).find((h) => h.host === req.host || h.name === req.host);
    const app = req.app ?? site?.app ?? 'Desktop';
    const policy = await this.deps.policy.read();
    const runner = this.deps.gateRunner;
    const run = await runner.run({ host: req.host, profile: req.profile, signal: req.signal, onProgress: req.onGateProgress });
    const probe = run.probe ?? (await this.probeFn(req.host, req.signal).catch(() => null));
    const evalOpts = { maxPacketSizeOptIn: settings.maxPacketSize, requireGate: policy.policy.requireGate, override: req.override === true };
    const before = evaluateGate(run, evalOpts);
    const argvFor = (bitrateKbps: number | null) =>
      buildStreamArgv({ host: req.host, app, settings: { ...settings, bitrateKbps }, version: install.version, hostCodecs: probe?.info?.codecs ?? null, packetSize: before.packet.packetSize });
    // What the settings need: the bitrate the argv would carry (4:4:4 doubles it only when it is really passed).
    const first = argvFor(settings.bitrateKbps);
    const neededKbps = first.bitrateKbps;
    const capacity = await this.measure(req, run.checks, { neededKbps, packetSize: before.packet.packetSize ?? MOONLIGHT_VPN_PACKET_SIZE, fps: settings.fps });
    const decision = decideCapacity(capacity, { width: settings.width, height: settings.height, fps: settings.fps, yuv444: first.yuv444 }, neededKbps);
    const gate = evaluateGate({ ...run, checks: [...run.checks, ...decision.items] }, evalOpts);
    const notes = [gate.packet.explanation, decision.why];
    if (gate.overrideRefused) notes.push('Policy requires the pre-flight checks to pass; the override was refused.');
    if (gate.overridden) notes.push(`Launching despite ${gate.blockers.map((b) => b.id).join(', ')} (override recorded).`);
    let built: BuiltArgv | null = null;
    if (!gate.packet.blocked || gate.overridden) {
      built = decision.bitrateKbps === neededKbps ? first : argvFor(decision.bitrateKbps);
      notes.push(...built.notes);
    }
    return {
      install,
      executable: install.executable,
      argv: built ? [...install.prefixArgs, ...built.args] : [],
      app,
      settings,
      built,
      gate,
      probe,
      packetSize: built ? gate.packet.packetSize : null,
      maxPacketSize: gate.packet.maxPacketSize,
      blocked: gate.blocked,
      notes,
      tunnel: run.tunnel ?? null,
      capacity,
      capacityDecision: decision,
      bitrateKbps: built ? built.bitrateKbps : null,
    };
  }

  /** The line for this stream: not tried when the tunnel is already red (the measurement would only fail). */
  private async measure(req: LaunchRequest, checks: readonly GateCheckResult[], m: Omit<CapacityRequest, 'profile' | 'signal'>): Promise<CapacityDoc> {
    const base = { profile: req.profile ?? null, measuredAt: null, neededKbps: m.neededKbps };
    if (checks.some((c) => c.id === 'tunnel' && c.status === 'fail')) {
      return { status: 'unmeasured', ...base, reason: 'gate-blocked', message: 'the tunnel check failed, so the line was not measured' };
    }
    if (!this.deps.capacity) return { status: 'unmeasured', ...base, reason: 'no-probe', message: 'no line measurement is set up for this stream' };
    return this.deps.capacity({ ...m, profile: req.profile, signal: req.signal });
  }

  /** Measure the line for these settings without the rest of the gate (the Stream page's "Measure the line"). */
  async capacityFor(req: Omit<LaunchRequest, 'override' | 'onGateProgress'>): Promise<{ capacity: CapacityDoc; decision: CapacityDecision }> {
    const install = await this.requireMoonlight();
    const settings = resolveSettings({ ...this.store.settings(), ...(req.settings ?? {}) });
    const site = (await this.hosts()).find((h) => h.host === req.host || h.name === req.host);
    const probe = await this.probeFn(req.host, req.signal).catch(() => null);
    const first = buildStreamArgv({ host: req.host, app: req.app ?? site?.app ?? 'Desktop', settings, version: install.version, hostCodecs: probe?.info?.codecs ?? null, packetSize: null });
    const capacity = await this.measure(req, [], { neededKbps: first.bitrateKbps, packetSize: MOONLIGHT_VPN_PACKET_SIZE, fps: settings.fps });
    return { capacity, decision: decideCapacity(capacity, { width: settings.width, height: settings.height, fps: settings.fps, yuv444: first.yuv444 }, first.bitrateKbps) };
  }

  launch(plan: LaunchPlan, onEvent?: Parameters<typeof launchMoonlight>[0]['onEvent']): LaunchedSession {
    if (plan.blocked || !plan.built) throw new StreamError('blocked', `the pre-flight gate blocks the launch: ${plan.gate.blockers.map((b) => `${b.id}: ${b.summary}`).join('; ')}`);
    if (plan.gate.overridden) this.deps.logger.warn('stream: gate overridden by the artist', { host: plan.argv[plan.install.prefixArgs.length + 1], blockers: plan.gate.blockers.map((b) => b.id) });
    return launchMoonlight({
      runner: this.deps.runner,
      install: plan.install,
      args: plan.built.args,
      host: plan.built.args[1]!,
      app: plan.app,
      bitrateKbps: plan.built.bitrateKbps,
      gateOverridden: plan.gate.overridden,
      history: this.history,
      logger: this.deps.logger,
      onEvent,
      env: this.deps.childEnv,
      watch: new StreamWatch({
        runner: this.deps.runner,
        platform: this.deps.platform ?? process.platform,
        gateway: plan.tunnel?.gateway ?? null,
        handshake: plan.tunnel ? this.deps.handshakeOf?.(plan.tunnel.profileName) : undefined,
        logger: this.deps.logger,
      }),
    });
  }
}
