/**
 * Process entry of the helper service, bundled to dist/helper/longhaul-helperd.cjs (scripts/build-node.mjs). Started
 * only by root: launchd on macOS (the plist runs it as root), the SCM on Windows (UNVERIFIED: a Windows service needs
 * StartServiceCtrlDispatcher, which Node cannot call without native code; no host is built here), IT or tests with
 * `--socket PATH --group G`. Refuses to start when not root, or under pkexec (PKEXEC_UID set). The helper directories
 * (and their root-only LONGHAUL_HELPER_*_DIR overrides) are checked at start (`config.ts`), so a bad setup stops the
 * daemon instead of every request. Log: `<helper log dir>/helperd.log`; stderr (launchd's StandardErrorPath) only for start-up refusals and crashes.
 * SIGTERM/SIGINT: stop listening, remove the token, finish requests in flight, exit 0. Environment: plain Node, root.
 */
import { createFileLogger, nullLogger, type Logger } from '../core/log/logger';
import { HelperConfigError, helperConfig } from './config';
import { DaemonStartError, daemonEndpoint, parseDaemonArgs } from './daemon-endpoint';
import { startDaemon, type Daemon } from './daemon';
import { runHelper } from './main';
import type { TunnelStatus } from '../contract/tunnel';

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
    // Records go to helperd.log only (rotated by the logger); stderr — launchd's StandardErrorPath, which nothing
    // rotates — carries just start-up refusals and crashes.
    if (cfg.logDir) logger = createFileLogger('helperd', { dir: cfg.logDir, name: 'helperd' });
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

/**
 * `longhaul-helperd --down-all`, for uninstallers (NSIS customUnInstall; the same job as the deb prerm and the macOS
 * uninstall script): takes down every tunnel Longhaul brought up (its runtime markers), as root/SYSTEM through the
 * helper's own `down` (ownership allows root; nothing Longhaul did not bring up is touched), prints one JSON document
 * `{schemaVersion: 1, tunnels: [...]}` and exits 0 when all are down, 1 otherwise, 2 when it cannot run.
 */
export async function downAll(env: Record<string, string | undefined>, d: DaemonMainDeps & { write?: (line: string) => void; run?: typeof runHelper } = {}): Promise<0 | 1 | 2> {
  const platform = d.platform ?? process.platform;
  const uid = d.uid === undefined ? (process.getuid?.() ?? null) : d.uid;
  const say = d.stderr ?? ((l: string) => void process.stderr.write(l + '\n'));
  const write = d.write ?? ((l: string) => void process.stdout.write(l + '\n'));
  const run = d.run ?? runHelper;
  if (env.PKEXEC_UID !== undefined || (platform !== 'win32' && uid !== 0)) {
    say('longhaul-helperd: --down-all is for the uninstaller (root / an elevated installer).');
    return 2;
  }
  const status = await run(['status'], env, 0, { caller: 0 });
  if (status.code === 2) {
    write(JSON.stringify({ schemaVersion: 1, ...status.doc }));
    return 2;
  }
  const known = ((status.doc.tunnels ?? []) as TunnelStatus[]).map((t) => t.name);
  const tunnels: TunnelStatus[] = [];
  for (const name of known) {
    const out = await run(['down', name], env, 0, { caller: 0, stdin: null });
    tunnels.push(...((out.doc.tunnels ?? []) as TunnelStatus[]));
  }
  write(JSON.stringify({ schemaVersion: 1, tunnels }));
  return tunnels.every((t) => t.state === 'disconnected') ? 0 : 1;
}

export function main(): void {
  if (process.argv[2] === '--down-all' && process.argv.length === 3) {
    void downAll(process.env).then((code) => void (process.exitCode = code));
    return;
  }
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
