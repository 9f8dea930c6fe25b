/**
 * Process entry of the helper service, bundled to dist/helper/longhaul-helperd.cjs (scripts/build-node.mjs). Started
 * only by root: launchd on macOS (the plist runs it as root), the SCM on Windows (UNVERIFIED: a Windows service needs
 * StartServiceCtrlDispatcher, which Node cannot call without native code; no host is built here), IT or tests with
 * `--socket PATH --group G`. Refuses to start when not root, or under pkexec (PKEXEC_UID set). The helper directories
 * (and their root-only LONGHAUL_HELPER_*_DIR overrides) are checked at start (`config.ts`), so a bad setup stops the
 * daemon instead of every request. Log: `<helper log dir>/helperd.log` and stderr (launchd's StandardErrorPath).
 * SIGTERM/SIGINT: stop listening, remove the token, finish requests in flight, exit 0. Environment: plain Node, root.
 */
import './daemon-flag'; // first: keeps main.ts's entry line quiet in this bundle
import { createFileLogger, nullLogger, type LogRecord, type Logger } from '../core/log/logger';
import { HelperConfigError, helperConfig } from './config';
import { DaemonStartError, daemonEndpoint, parseDaemonArgs } from './daemon-endpoint';
import { startDaemon, type Daemon } from './daemon';

export interface DaemonMainDeps {
  platform?: NodeJS.Platform;
  uid?: number | null;
  stderr?: (line: string) => void;
}

/** Start the daemon, or return the exit code (2) after printing why it cannot start. */
export async function daemonMain(argv: readonly string[], env: Record<string, string | undefined>, d: DaemonMainDeps = {}): Promise<Daemon | 2> {
  const platform = d.platform ?? process.platform;
  const uid = d.uid === undefined ? (process.getuid?.() ?? null) : d.uid;
  const say = d.stderr ?? ((l: string) => void process.stderr.write(l + '\n'));
  const fail = (m: string): 2 => {
    say(`longhaul-helperd: ${m}`);
    return 2;
  };
  const a = parseDaemonArgs(argv);
  if (!a.ok) return fail(a.error);
  if (env.PKEXEC_UID !== undefined) return fail('refusing to run under pkexec: the service is started by the system (launchd / the service manager), not for a user.');
  // Windows has no uid: the SCM runs it as LocalSystem (UNVERIFIED, see the header).
  if (platform !== 'win32' && uid !== 0) return fail('must be started by root (launchd / the service manager); it is not for users to start.');
  let logger: Logger = nullLogger;
  try {
    const cfg = helperConfig(env);
    const mirror = (r: LogRecord) => say(JSON.stringify(r));
    if (cfg.logDir) logger = createFileLogger('helperd', { dir: cfg.logDir, name: 'helperd', mirror });
  } catch (e) {
    if (e instanceof HelperConfigError) return fail(e.message);
    throw e;
  }
  try {
    const ep = daemonEndpoint(platform, a.args, env);
    return await startDaemon({ ...ep, platform, logger, env });
  } catch (e) {
    if (e instanceof DaemonStartError) return fail(e.message);
    return fail(`cannot listen: ${(e as Error).message}`);
  }
}

export function main(): void {
  void daemonMain(process.argv.slice(2), process.env).then((r) => {
    if (r === 2) {
      process.exitCode = 2;
      return;
    }
    let stopping = false;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      void r.close().then(() => process.exit(0));
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}

// Run when this file is the process entry (the bundle), not when a test imports it.
if (typeof module !== 'undefined' && typeof require !== 'undefined' && require.main === module) main();
