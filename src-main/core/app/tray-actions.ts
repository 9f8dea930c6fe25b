/**
 * The tray's quick actions (Connect/Disconnect, Run checks, Start stream, Run diagnostics) over the face's typed
 * services — the same functions the contract's handlers call, never main dispatching its own contract calls.
 * Environment: plain Node.
 */
import type { EventEmitterFn } from '../../contract';
import type { CheckRuns } from '../checks/handlers';
import type { ReportMaker } from '../report/handlers';
import { launchStream } from '../stream/handlers';
import type { StreamService } from '../stream/service';
import { connectTunnel, disconnectTunnel, type TunnelCore } from '../tunnel/handlers';
import type { CoreServices } from './services';

export interface TrayActions {
  /** The stored profiles' names. */
  profileNames(): Promise<string[]>;
  /** The first stream host (the site file's, or one the artist added), or null. */
  streamHost(): Promise<string | null>;
  connect(profile: string): Promise<void>;
  disconnect(profile: string): Promise<void>;
  runChecks(profile: string): Promise<void>;
  startStream(host: string, profile: string | null): Promise<void>;
  createReport(profile: string | null): Promise<{ supportId: string; path: string }>;
}

export function createTrayActions(
  core: TunnelCore & Pick<CoreServices, 'profiles'>,
  host: { emit: EventEmitterFn },
  app: { checks: CheckRuns; stream: StreamService; reports: ReportMaker },
): TrayActions {
  return {
    profileNames: async () => (await core.profiles.list()).map((p) => p.name),
    streamHost: async () => (await app.stream.hosts())[0]?.host ?? null,
    connect: async (profile) => void (await connectTunnel(core, host, profile)),
    disconnect: async (profile) => void (await disconnectTunnel(core, host, profile)),
    runChecks: async (profile) => void (await app.checks.start(profile, null)),
    startStream: async (streamHost, profile) => void (await launchStream(app.stream, host, { host: streamHost, ...(profile ? { profile } : {}) })),
    createReport: async (profile) => app.reports.create({ strict: false, upload: false, ...(profile ? { profile } : {}) }),
  };
}
