/**
 * The composition root shared by the three faces (Electron shell, browser harness, CLI): builds the core services once
 * — the platform services, then the domain services over them (profile store, profile resolver, tunnel service), each
 * declaring only what it needs. Nothing looks a service up by core elsewhere; code receives what it uses.
 * Environment: plain Node. Faces add what is theirs (windows, WebSocket, terminal) on top.
 */
import * as path from 'node:path';
import { createFileLogger, type Logger, type LogRecord } from '../log/logger';
import { globalRedactor, type Redactor } from '../log/redact';
import { dataPaths, resolveDataDir } from '../platform/paths';
import { createRunner, type ProcessRunner } from '../platform/runner';
import { createPolicyReader, type PolicyReader, type PolicySource } from '../policy/policy';
import { createManagedPolicyReader } from '../policy/reader';
import { resolveProfile, type ResolvedProfile, type ResolveInput } from '../profiles/resolve';
import { chooseSecretStore } from '../profiles/secrets';
import { createProfileStore, type ProfileStore } from '../profiles/store';
import { connectedTunnels } from '../tunnel/connected';
import { createTunnelService, type TunnelService } from '../tunnel/service';

export interface CoreServices {
  dataDir: string;
  paths: ReturnType<typeof dataPaths>;
  logger: Logger;
  /** Log files, newest first (for the report). */
  logFiles(): string[];
  redactor: Redactor;
  runner: ProcessRunner;
  policy: PolicyReader;
  /** Files a policy watcher should observe (empty when sources were given explicitly). */
  policyWatchPaths: readonly string[];
  /** The profile store of this data directory. */
  profiles: ProfileStore;
  /** FILE | stored NAME | the connected tunnel → profile, site, secrets, check target (`core/profiles/resolve.ts`). */
  resolveProfile(input: ResolveInput): Promise<ResolvedProfile>;
  /** Up, down, status: directly as root, else through the helper (`core/tunnel/service.ts`). */
  tunnels: TunnelService;
}

export interface CoreOptions {
  /** Who writes the log lines: `main`, `cli`, `harness`. */
  face: string;
  dataDir?: string;
  /** Explicit policy sources (tests); default: this OS's managed-policy sources. */
  policySources?: readonly PolicySource[];
  mirror?: (rec: LogRecord) => void;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** The process runner (tests: a search path with stand-ins); default: `createRunner` with the core's logger. */
  runner?: ProcessRunner;
}

export function createCoreServices(opts: CoreOptions): CoreServices {
  const dataDir = opts.dataDir ?? resolveDataDir();
  const paths = dataPaths(dataDir);
  const logger = createFileLogger(opts.face, { dir: paths.logs, level: opts.logLevel ?? 'info', mirror: opts.mirror });
  const runner = opts.runner ?? createRunner({ logger: logger.child('exec') });
  const managed = opts.policySources ? null : createManagedPolicyReader(process.platform, runner, { logger: logger.child('policy') });
  const policy = managed ?? createPolicyReader(opts.policySources ?? []);
  const profiles = createProfileStore(paths.profiles, chooseSecretStore({ dir: path.join(paths.profiles, 'secrets'), runner }));
  const resolverDeps = { profiles, connectedTunnels: () => connectedTunnels(runner), redactor: globalRedactor };
  return {
    dataDir,
    paths,
    logger,
    logFiles: () => logger.sink.files(),
    redactor: globalRedactor,
    runner,
    policy,
    policyWatchPaths: managed?.watchPaths ?? [],
    profiles,
    resolveProfile: (input) => resolveProfile(input, resolverDeps),
    tunnels: createTunnelService({ runner, logger, paths, policy, profiles }),
  };
}
