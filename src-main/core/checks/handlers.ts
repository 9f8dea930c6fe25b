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
import { profileStoreOf } from '../profiles/service';
import { downTunnel, upTunnel } from '../tunnel/cli-support';
import { ALL_CHECKS } from './list';
import { createCheckSystem, hostAddressCacheFile, runDiagnosis } from './run';
import { targetFromView } from './target';
import type { CheckSystem } from './types';

type ChecksCalls = 'checks.run' | 'checks.cancel' | 'checks.last' | 'checks.applyFix';

export interface ChecksHandlerDeps {
  /** Bring the profile's tunnel down and up again; resolves true once it is connected. Default: the tunnel domain's
   * `downTunnel` / `upTunnel` (direct or through the helper), with `tunnel.status` events. */
  reconnect?(profile: string): Promise<boolean>;
  system?: CheckSystem;
}

export function createChecksHandlers(core: CoreServices, host: { emit: EventEmitterFn }, deps: ChecksHandlerDeps = {}): Pick<MainHandlers, ChecksCalls> {
  const store = profileStoreOf(core);
  const log = core.logger.child('checks');
  const system = deps.system ?? createCheckSystem(core.runner, process.platform, { addressCacheFile: hostAddressCacheFile(core.paths) });
  const reconnect =
    deps.reconnect ??
    (async (profile: string): Promise<boolean> => {
      host.emit('tunnel.status', await downTunnel(core, profile));
      const up = await upTunnel(core, profile, { waitSec: 10, force: false, onProgress: (p) => host.emit('tunnel.status', p) });
      host.emit('tunnel.status', up);
      return up.state === 'connected';
    });
  const running = new Map<string, AbortController>();
  const finished = new Map<string, ChecksDone>();
  const lastByProfile = new Map<string, string>();

  async function start(profile: string, iface: string | null): Promise<string> {
    const view = await store.get(profile);
    if (!view) throw new ContractFailure('not-found', `No profile named "${profile}".`);
    const target = targetFromView(view, iface, null);
    const runId = `chk-${randomUUID().slice(0, 8)}`;
    const ctl = new AbortController();
    running.set(runId, ctl);
    log.info('checks run', { runId, profile });
    void runDiagnosis(target, system, { runId, signal: ctl.signal, onProgress: (p) => host.emit('checks.progress', p) })
      .then(async (d) => {
        const locked = (await core.policy.read()).policy.mtuOverrideLocked === true;
        const done: ChecksDone = {
          runId,
          profile,
          verdict: d.verdict,
          pathMtu: d.pathMtu,
          rttMs: d.rttMs,
          durationMs: d.durationMs,
          cancelled: d.cancelled,
          findings: d.findings,
          checks: d.checks,
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
    'checks.run': async (req) => ({ runId: await start(req.profile, req.interface ?? null), checks: ALL_CHECKS.map((c) => ({ id: c.id, title: c.title })) }),
    'checks.cancel': (req) => {
      const ctl = running.get(req.runId);
      ctl?.abort();
      return { cancelled: Boolean(ctl) };
    },
    'checks.last': (req) => {
      const id = lastByProfile.get(req.profile);
      return id ? (finished.get(id) ?? null) : null;
    },
    'checks.applyFix': async (req) => {
      const run = finished.get(req.runId);
      if (!run) throw new ContractFailure('not-found', `No finished check run ${req.runId}.`);
      const finding = run.findings.find((f) => f.code === req.code);
      if (!finding || typeof finding.evidence.setMtu !== 'number') throw new ContractFailure('conflict', `Run ${req.runId} has no ${req.code} finding to fix.`);
      if ((await core.policy.read()).policy.mtuOverrideLocked === true) throw new ContractFailure('policy-locked', 'Your organisation manages the tunnel MTU; ask IT to change it.');
      const mtu = finding.evidence.setMtu;
      await store.setMtuOverride(run.profile, mtu);
      log.info('mtu override stored', { profile: run.profile, mtu });
      const reconnected = await reconnect(run.profile);
      const newRunId = reconnected ? await start(run.profile, null) : null;
      return { profile: run.profile, mtuOverride: mtu, reconnected, newRunId };
    },
  };
}
