/**
 * Contract handlers for the Stream page (`stream.*`). Environment: plain Node. Thin over StreamService; StreamError
 * codes become typed ContractFailures.
 */
import { handshakeReader } from './watch/handshake';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ContractFailure, type MainHandlers } from '../../contract';
import type { HostDelegate } from '../app/host';
import type { CoreServices } from '../app/services';
import { formatVersion } from './version';
import type { GateRunner } from './gate';
import { openParsec } from './parsec';
import { StreamError, StreamService } from './service';
import { storedSiteHosts, type SiteStreamHost } from './site-hosts';
import { createChecksGateRunner } from './gate-checks';
import { createCheckSystem } from '../checks/run';
import { checkTargetOf } from '../profiles/resolve';
import { createStreamCapacity, networkOfProfile } from './capacity-wiring';
import { LastCapacityStore, lineForNetwork } from '../capacity/last-result';
import { storedLineBitrate } from './capacity-item';
import { resolveSettings } from './settings';

type StreamCall = Extract<keyof MainHandlers, `stream.${string}`>;

export interface StreamHandlerOptions {
  gateRunner?: GateRunner;
  siteHosts?: () => Promise<SiteStreamHost[]>;
  service?: StreamService;
}

function failure(err: unknown): never {
  if (err instanceof StreamError) {
    const code = err.code === 'moonlight-missing' ? 'unavailable' : err.code === 'blocked' ? 'conflict' : err.code;
    throw new ContractFailure(code, err.message);
  }
  if (err instanceof ContractFailure) throw err;
  throw new ContractFailure('invalid-input', (err as Error).message);
}

/** Why the file the artist picked is not acceptable as Moonlight, or null. Exported for tests. */
export function moonlightPathProblem(p: string): string | null {
  if (!path.isAbsolute(p)) return 'Choose Moonlight by its full path (for example /usr/bin/moonlight).';
  const base = path.basename(p.replace(/[\\/]+$/, ''));
  if (!/moonlight/i.test(base)) return `${base} is not Moonlight: choose the Moonlight program (Moonlight, moonlight-qt, Moonlight.exe, Moonlight.app or its AppImage).`;
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch {
    return `${p} does not exist.`;
  }
  if (!st.isFile() && !(st.isDirectory() && /\.app$/i.test(base))) return `${p} is not a program file.`;
  return null;
}

/** The stream service of one face, built once (core/app/handlers.ts `createAppServices`): handlers and tray share it. */
export function createStreamService(core: CoreServices, opts: Omit<StreamHandlerOptions, 'service'> = {}): StreamService {
  const targetOf = async (profile: string | null | undefined) => checkTargetOf(await core.resolveProfile({ profile: profile ?? null, from: 'app' }));
  return new StreamService({
    runner: core.runner,
    logger: core.logger.child('stream'),
    stateDir: core.paths.state,
    policy: core.policy,
    // The renderer names a stored profile only: the resolver (`from: 'app'`) never reads a file for these requests.
    gateRunner: opts.gateRunner ?? createChecksGateRunner({ target: targetOf, system: createCheckSystem(core.runner) }),
    siteHosts: opts.siteHosts ?? (() => storedSiteHosts(core)),
    handshakeOf: handshakeReader(core),
    capacity: createStreamCapacity(core, targetOf),
  });
}

export type LaunchRequest = Parameters<MainHandlers['stream.launch']>[0];

/**
 * Gate, plan and (unless a dry run or blocked) launch Moonlight, sending the gate's progress and the session's events
 * through `host`. The `stream.launch` handler and the tray's *Start stream* both call this.
 */
export async function launchStream(svc: StreamService, host: Pick<HostDelegate, 'emit'>, req: LaunchRequest) {
  const plan = await svc.plan({
    host: req.host,
    app: req.app,
    settings: req.settings,
    override: req.override,
    profile: req.profile,
    onGateProgress: (item) => host.emit('stream.gateProgress', { host: req.host, item: { id: item.id, status: item.status, summary: item.summary, ...(item.findingCode ? { findingCode: item.findingCode } : {}), ...(item.fix ? { fix: item.fix } : {}) } }),
  });
  let sessionId: string | null = null;
  if (!req.dryRun && !plan.blocked) {
    const s = svc.launch(plan, (id, type, text, record) => host.emit('stream.session', { sessionId: id, type, text, ...(record ? { record } : {}) }));
    sessionId = s.sessionId;
  }
  return {
    sessionId,
    executable: plan.executable,
    argv: plan.argv,
    packetSize: plan.packetSize,
    maxPacketSize: plan.maxPacketSize,
    gate: plan.gate.items.map(({ evidence: _e, ...i }) => i),
    blocked: plan.blocked,
    overridden: plan.gate.overridden,
    notes: plan.notes,
    bitrateKbps: plan.bitrateKbps,
    capacity: plan.capacity,
  };
}

export function createStreamHandlers(core: CoreServices, host: HostDelegate, opts: StreamHandlerOptions = {}): Pick<MainHandlers, StreamCall> {
  const svc = opts.service ?? createStreamService(core, opts);
  const moonlightInfo = async () => {
    const r = await svc.locate();
    return r.found
      ? { found: true, executable: r.install.executable, kind: r.install.kind, version: r.install.version ? formatVersion(r.install.version) : null, hint: null }
      : { found: false, executable: null, kind: null, version: null, hint: r.hint };
  };
  const wrap =
    <A extends unknown[], R>(fn: (...a: A) => Promise<R>) =>
    async (...a: A): Promise<R> => {
      try {
        return await fn(...a);
      } catch (err) {
        return failure(err);
      }
    };
  return {
    'stream.hosts': wrap(async () => ({ hosts: await svc.hosts() })),
    'stream.addHost': wrap(async (req) => {
      svc.addHost(req);
      return { hosts: await svc.hosts() };
    }),
    'stream.moonlight': wrap(moonlightInfo),
    'stream.chooseMoonlight': wrap(async () => {
      // The program main will run is picked in main's own dialog, never named by the renderer; still checked.
      if (!host.chooseFile) throw new ContractFailure('unavailable', 'Choosing Moonlight needs the desktop app; here set LONGHAUL_MOONLIGHT or use `longhaul stream --moonlight PATH`.');
      const picked = await host.chooseFile({ title: 'Choose the Moonlight program', purpose: 'moonlight' });
      if (picked === null) return { ...(await moonlightInfo()), chosen: false };
      const why = moonlightPathProblem(picked);
      if (why) throw new ContractFailure('invalid-input', why);
      svc.setMoonlightPath(picked);
      return { ...(await moonlightInfo()), chosen: true };
    }),
    'stream.resetMoonlight': wrap(async () => {
      svc.setMoonlightPath(null);
      return moonlightInfo();
    }),
    'stream.probe': wrap(async (req) => {
      const { tcp: _tcp, info: _info, ...view } = await svc.probe(req.host);
      return view;
    }),
    'stream.pairStart': wrap(async (req) => {
      const s = await svc.pairStart(req.host);
      return {
        pairingId: s.pairingId,
        pin: s.pin,
        hostname: s.hostname,
        enterAt: s.enterAt,
        instructions: `Open Sunshine's web page ${s.enterAt} (Sunshine → PIN) on the workstation or ask IT, enter ${s.pin}, then press Confirm.`,
      };
    }),
    'stream.pairConfirm': wrap(async (req) => svc.pairConfirm(req.pairingId)),
    'stream.defaults': wrap(async () => svc.defaults()),
    'stream.launch': wrap(async (req) => launchStream(svc, host, req)),
    'stream.capacity': wrap(async (req) => {
      const r = await svc.capacityFor({ host: req.host, settings: req.settings, profile: req.profile });
      return { capacity: r.capacity, bitrateKbps: r.decision.bitrateKbps, neededKbps: r.decision.neededKbps, why: r.decision.why, items: r.decision.items.map(({ evidence: _e, ...i }) => i) };
    }),
    'stream.lastCapacity': wrap(async (req) => {
      const store = new LastCapacityStore(core.paths.state, core.logger.child('stream'));
      const { capacity, network } = lineForNetwork(store, req.profile, await networkOfProfile(core, req.profile));
      let bitrateKbps: number | null = null;
      try {
        // Another network's line says nothing about what Moonlight gets here.
        if (network !== 'other') bitrateKbps = storedLineBitrate(capacity, resolveSettings(svc.store.settings(), svc.store.file));
      } catch (err) {
        // Settings the schema refuses (the store already drops a damaged file): the stored line is still worth showing.
        core.logger.child('stream').warn('stream: no bitrate for the stored line', { error: (err as Error).message });
      }
      return { capacity, bitrateKbps, network };
    }),
    'stream.history': wrap(async (req) => ({ sessions: svc.history.list(req.limit ?? 100) })),
    'stream.parsec': wrap(async (req) => {
      const r = await openParsec(core.runner, req.peerId);
      return { opened: r.opened, url: r.url };
    }),
  };
}
