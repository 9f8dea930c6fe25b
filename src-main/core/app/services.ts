/**
 * The composition root shared by the three faces (Electron shell, browser harness, CLI): builds the core services once.
 * Environment: plain Node. Faces add what is theirs (windows, WebSocket, terminal) on top.
 */
import { createFileLogger, type Logger, type LogRecord } from '../log/logger';
import { globalRedactor, type Redactor } from '../log/redact';
import { dataPaths, resolveDataDir } from '../platform/paths';
import { createRunner, type ProcessRunner } from '../platform/runner';
import { createPolicyReader, type PolicyReader, type PolicySource } from '../policy/policy';
import { createManagedPolicyReader } from '../policy/reader';

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
}

export interface CoreOptions {
  /** Who writes the log lines: `main`, `cli`, `harness`. */
  face: string;
  dataDir?: string;
  /** Explicit policy sources (tests); default: this OS's managed-policy sources. */
  policySources?: readonly PolicySource[];
  mirror?: (rec: LogRecord) => void;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
}

export function createCoreServices(opts: CoreOptions): CoreServices {
  const dataDir = opts.dataDir ?? resolveDataDir();
  const paths = dataPaths(dataDir);
  const logger = createFileLogger(opts.face, { dir: paths.logs, level: opts.logLevel ?? 'info', mirror: opts.mirror });
  const runner = createRunner({ logger: logger.child('exec') });
  const managed = opts.policySources ? null : createManagedPolicyReader(process.platform, runner, { logger: logger.child('policy') });
  return {
    dataDir,
    paths,
    logger,
    logFiles: () => logger.sink.files(),
    redactor: globalRedactor,
    runner,
    policy: managed ?? createPolicyReader(opts.policySources ?? []),
    policyWatchPaths: managed?.watchPaths ?? [],
  };
}
