/**
 * Contract handlers for `checks.*`: runs live in main, keyed by run id; progress and the diagnosis go out as events.
 * `checks.applyFix` for `mtu.blackhole`: policy may lock it (`mtuOverrideLocked`); otherwise the path MTU the run
 * measured is stored as the profile's local MTU override (profile store `setMtuOverride`), the tunnel is reconnected
 * (the tunnel domain's down/up, which applies the override), and a new run starts once it is connected again. Environment: plain Node.
 */
import { randomUUID } from 'node:crypto';
import { ContractFailure, type EventEmitterFn, type MainHandlers } from '../../contract';
import type { ChecksDone } from '../../contract/checks';
import type { CoreServices } from '../app/services';
import { asContract, checkTargetOf } from '../profiles/resolve';
import { ALL_CHECKS } from './list';
import { createCheckSystem, diagnosisDocument, hostAddressCacheFile, runDiagnosis } from './run';
import type { CheckSystem } from './types';

type ChecksCalls = 'checks.run' | 'checks.cancel' | 'checks.last' | 'checks.applyFix';

export interface ChecksHandlerDeps {
  /** Bring the profile's tunnel down and up again; resolves true once it is connected. Default: the tunnel domain's
   * tunnel service's `down` / `up` (direct or through the helper), with `tunnel.status` events. */
  reconnect?(profile: string): Promise<boolean>;
  system?: CheckSystem;
}

/** What the checks runs need of the core. */
export type ChecksCore = Pick<CoreServices, 'profiles' | 'resolveProfile' | 'tunnels' | 'logger' | 'policy' | 'runner' | 'paths'>;

/**
 * The check runs of one face (its events go to that face's page): the handlers and the lifecycle (re-check after
 * resume or a network change) start runs here directly — main never dispatches its own contract calls.
 */
export interface CheckRuns {
  /** Start a run against a stored profile; returns its run id (progress and the diagnosis go out as events). */
  start(profile: string, iface: string | null): Promise<string>;
  cancel(runId: string): boolean;
  last(profile: string): ChecksDone | null;
  applyFix(runId: string, code: string): Promise<{ profile: string; mtuOverride: number; reconnected: boolean; newRunId: string | null }>;
}

export function createCheckRuns(core: ChecksCore, host: { emit: EventEmitterFn }, deps: ChecksHandlerDeps = {}): CheckRuns {
  const store = core.profiles;
  const tunnels = core.tunnels;
  const log = core.logger.child('checks');
  const system = deps.system ?? createCheckSystem(core.runner, process.platform, { addressCacheFile: hostAddressCacheFile(core.paths) });
  const reconnect =
    deps.reconnect ??
    (async (profile: string): Promise<boolean> => {
      host.emit('tunnel.status', await tunnels.down(profile));
      const up = await tunnels.up(profile, { waitSec: 10, force: false, onProgress: (p) => host.emit('tunnel.status', p) });
      host.emit('tunnel.status', up);
      return up.state === 'connected';
    });
  const running = new Map<string, { ctl: AbortController; profile: string }>();
  const finished = new Map<string, ChecksDone>();
  const lastByProfile = new Map<string, string>();

  async function start(profile: string, iface: string | null): Promise<string> {
    const target = checkTargetOf(await asContract(() => core.resolveProfile({ profile, from: 'app', interfaceName: iface })));
    const runId = `chk-${randomUUID().slice(0, 8)}`;
    const ctl = new AbortController();
    running.set(runId, { ctl, profile });
    log.info('checks run', { runId, profile });
    void runDiagnosis(target, system, { runId, signal: ctl.signal, onProgress: (p) => host.emit('checks.progress', p) })
      .then(async (d) => {
        const locked = (await core.policy.read()).policy.mtuOverrideLocked === true;
        const done: ChecksDone = {
          ...diagnosisDocument(d),
          runId,
          cancelled: d.cancelled,
          fixable: d.findings.some((f) => f.code === 'mtu.blackhole') && !locked ? ['mtu.blackhole'] : [],
        };
        finished.set(runId, done);
        lastByProfile.set(profile, runId);
        log.info('checks done', { runId, verdict: d.verdict, codes: d.findings.map((f) => f.code), pathMtu: d.pathMtu, ms: d.durationMs });
        host.emit('checks.done', done);
      })
      .catch((err: unknown) => log.error('checks run failed', { runId, error: (err as Error).message }))
      .finally(() => running.delete(runId));
    return runId;
  }

  return {
    start,
    cancel: (runId) => {
      const r = running.get(runId);
      r?.ctl.abort();
      return Boolean(r);
    },
    last: (profile) => {
      const id = lastByProfile.get(profile);
      return id ? (finished.get(id) ?? null) : null;
    },
    applyFix: async (runId, code) => {
      const run = finished.get(runId);
      if (!run) throw new ContractFailure('not-found', `No finished check run ${runId}.`);
      const finding = run.findings.find((f) => f.code === code);
      if (!finding || typeof finding.evidence.setMtu !== 'number') throw new ContractFailure('conflict', `Run ${runId} has no ${code} finding to fix.`);
      if ((await core.policy.read()).policy.mtuOverrideLocked === true) throw new ContractFailure('policy-locked', 'Your organisation manages the tunnel MTU; ask IT to change it.');
      const mtu = finding.evidence.setMtu;
      await store.setMtuOverride(run.profile, mtu);
      log.info('mtu override stored', { profile: run.profile, mtu });
      // A run of this profile still going measures across the reconnect (the old MTU, then none, then the new): its
      // verdict would arrive after the fresh run's and say the fix did not work. It ends as cancelled.
      for (const [id, r] of running) {
        if (r.profile === run.profile) {
          r.ctl.abort();
          log.info('checks run cancelled by the fix', { runId: id });
        }
      }
      const reconnected = await reconnect(run.profile);
      const newRunId = reconnected ? await start(run.profile, null) : null;
      return { profile: run.profile, mtuOverride: mtu, reconnected, newRunId };
    },
  };
}

/** The `checks.*` handlers over a face's check runs (built here unless the face shares its own). */
export function createChecksHandlers(core: ChecksCore, host: { emit: EventEmitterFn }, deps: ChecksHandlerDeps & { runs?: CheckRuns } = {}): Pick<MainHandlers, ChecksCalls> {
  const runs = deps.runs ?? createCheckRuns(core, host, deps);
  return {
    'checks.run': async (req) => ({ runId: await runs.start(req.profile, req.interface ?? null), checks: ALL_CHECKS.map((c) => ({ id: c.id, title: c.title })) }),
    'checks.cancel': (req) => ({ cancelled: runs.cancel(req.runId) }),
    'checks.last': (req) => runs.last(req.profile),
    'checks.applyFix': (req) => runs.applyFix(req.runId, req.code),
  };
}
