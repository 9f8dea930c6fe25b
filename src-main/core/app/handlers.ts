/**
 * The main-side handlers of the contract, as plain functions over core services. Environment: plain Node — the
 * Electron shell and the browser harness bind exactly these, so e2e tests exercise the real handlers.
 *
 * Each domain contributes its handlers from its own module; this file only assembles them.
 */
import * as os from 'node:os';
import type { CallContext, MainHandlers, PolicyView } from '../../contract';
import { createRendererLog, type RendererLogOptions } from '../log/renderer-log';
import { policyListing } from '../policy/listing';
import type { EffectivePolicy } from '../policy/policy';
import { createProfilesHandlers } from '../profiles/handlers';
import { createReportHandlers, createReportMaker, type ReportMaker } from '../report/handlers';
import { APP_VERSION } from './identity';
import type { HostDelegate } from './host';
import type { CoreServices } from './services';
import { createStreamHandlers, createStreamService } from '../stream/handlers';
import type { StreamService } from '../stream/service';
import { createTrayActions, type TrayActions } from './tray-actions';
import { createCheckRuns, createChecksHandlers, type CheckRuns } from '../checks/handlers';
import { createHealthHandlers } from '../health/handlers';
import { healthOf, withHealthFeed } from './health';
import { createTunnelHandlers } from '../tunnel/handlers';

/** What the renderer sees of managed policy: the same redacted listing as `longhaul policy list` and the report. */
export function policyView(eff: EffectivePolicy): PolicyView {
  return { managedByName: eff.policy.managedByName, supportUrl: eff.policy.supportUrl, ...policyListing(eff) };
}

export function createAppHandlers(
  core: CoreServices,
  opts: { rendererLog?: RendererLogOptions } = {},
): Pick<MainHandlers, 'app.info' | 'app.ping' | 'log.write' | 'policy.get'> {
  // The page's records: main sets ts/level/src/msg, the page's fields go under `renderer`, bounded in size and rate.
  const rendererLog = createRendererLog(core.logger, { redactor: core.redactor, ...opts.rendererLog });
  return {
    'app.info': (_req, ctx: CallContext) => ({
      version: APP_VERSION,
      platform: `${os.platform()} ${os.release()}`,
      host: ctx.host,
      dataDir: core.dataDir,
    }),
    'app.ping': (req, ctx) => ({ nonce: req.nonce, host: ctx.host, receivedAt: new Date().toISOString() }),
    'log.write': (req) => {
      rendererLog.write(req);
      return null;
    },
    'policy.get': async () => policyView(await core.policy.read()),
  };
}

/**
 * The services of one face that send that face's events (built once per face, beside the core's): the handlers and
 * the face's own code (lifecycle, tray) share them, so main calls them directly instead of dispatching to itself.
 * Their events go out through a host whose `emit` also feeds the live health tracker (`core/health`).
 */
export interface AppServices {
  checks: CheckRuns;
  stream: StreamService;
  reports: ReportMaker;
  /** The tray's quick actions, over the services above (never through the contract's dispatch). */
  tray: TrayActions;
}

function fedHost(core: CoreServices, host: HostDelegate): HostDelegate {
  return withHealthFeed(host, healthOf(core), (e) => core.logger.child('health').warn('health feed failed', { error: e.message }));
}

export function createAppServices(core: CoreServices, host: HostDelegate): AppServices {
  const fed = fedHost(core, host);
  const checks = createCheckRuns(core, fed);
  const stream = createStreamService(core);
  const reports = createReportMaker(core, fed);
  return { checks, stream, reports, tray: createTrayActions(core, fed, { checks, stream, reports }) };
}

/**
 * Every handler of the contract, assembled from the domains. The domains emit through a host whose `emit` also feeds
 * the live health tracker, which pushes `health.changed` through the face's own host.
 */
export function createMainHandlers(core: CoreServices, host: HostDelegate, app: AppServices = createAppServices(core, host)): Partial<MainHandlers> {
  const health = healthOf(core);
  const fed = fedHost(core, host);
  return {
    ...createAppHandlers(core),
    ...createHealthHandlers(health, host, core.logger.child('health')),
    ...createProfilesHandlers(core, fed),
    ...createReportHandlers(core, fed, {}, app.reports),
    ...createChecksHandlers(core, fed, { runs: app.checks }),
    ...createStreamHandlers(core, fed, { service: app.stream }),
    ...createTunnelHandlers(core, fed),
  };
}
