/**
 * `longhaul-helper` — the small privileged helper (Linux: /usr/lib/longhaul/longhaul-helper, started by pkexec under
 * the polkit action in resources/linux/; macOS: the launchd helper). It accepts only `up NAME`, `down NAME`,
 * `status [NAME]`, reads the canonical profile from a root-only directory, re-validates it with the profile parser,
 * refuses hooks, and runs the OS tool through the process runner — the same controller the root CLI uses.
 * Prints one JSON document `{schemaVersion: 1, tunnels: [...]}` (or `{error}`); exit 0 ok, 1 refused/unhealthy,
 * 2 could not run. Environment: plain Node, root.
 *
 * Test hooks: LONGHAUL_HELPER_PROFILES_DIR / _RUNTIME_DIR / _LOG_DIR are honoured only when not started by pkexec
 * (PKEXEC_UID unset; pkexec also clears the environment).
 */
import { createFileLogger, nullLogger, type Logger } from '../core/log/logger';
import { createRunner } from '../core/platform/runner';
import type { TunnelStatus } from '../contract/tunnel';
import { selectBackend } from '../core/tunnel/backends/select';
import { createTunnelController } from '../core/tunnel/controller';
import { exitCodeOf } from '../core/tunnel/exit-codes';
import { parseHelperArgs, type HelperRequest } from './args';
import { DEFAULT_LOG_DIR, DEFAULT_PROFILES_DIR, DEFAULT_RUNTIME_DIR, ProfileSourceError, readCanonicalProfile } from './profile-source';

export interface HelperConfig {
  profilesDir: string;
  runtimeDir: string;
  logDir: string | null;
  /** Owner required for the profile directory and files. */
  ownerUid: number;
}

export function helperConfig(env: Record<string, string | undefined>): HelperConfig {
  const viaPkexec = env.PKEXEC_UID !== undefined;
  const pick = (key: string, def: string) => (!viaPkexec && env[key] ? env[key] : def);
  return {
    profilesDir: pick('LONGHAUL_HELPER_PROFILES_DIR', DEFAULT_PROFILES_DIR),
    runtimeDir: pick('LONGHAUL_HELPER_RUNTIME_DIR', DEFAULT_RUNTIME_DIR),
    logDir: pick('LONGHAUL_HELPER_LOG_DIR', DEFAULT_LOG_DIR),
    ownerUid: 0,
  };
}

export interface HelperOutput {
  code: 0 | 1 | 2;
  doc: Record<string, unknown>;
}

export async function runHelper(argv: readonly string[], env: Record<string, string | undefined>, uid: number): Promise<HelperOutput> {
  const parsed = parseHelperArgs(argv);
  if (!parsed.ok) return { code: 2, doc: { error: { code: 'invalid-arguments', message: parsed.error } } };
  if (uid !== 0) return { code: 2, doc: { error: { code: 'not-root', message: 'longhaul-helper must run as root (through pkexec / the system service)' } } };
  const cfg = helperConfig(env);
  let logger: Logger = nullLogger;
  try {
    if (cfg.logDir) logger = createFileLogger('helper', { dir: cfg.logDir });
  } catch {}
  const runner = createRunner({ logger: logger.child('exec'), searchPath: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' });
  const controller = createTunnelController({ runner, logger, backend: await selectBackend(runner), runtimeDir: cfg.runtimeDir });
  logger.info('helper request', { ...parsed.request, pkexecUid: env.PKEXEC_UID ?? null });
  return await serve(parsed.request, cfg, controller);
}

async function serve(req: HelperRequest, cfg: HelperConfig, controller: ReturnType<typeof createTunnelController>): Promise<HelperOutput> {
  const one = (s: TunnelStatus): HelperOutput => ({ code: exitCodeOf(s), doc: { tunnels: [s] } });
  try {
    if (req.verb === 'status') {
      const names = req.name ? [req.name] : controller.known();
      const tunnels = await Promise.all(names.map((n) => controller.status(n)));
      return { code: 0, doc: { tunnels } };
    }
    const text = readCanonicalProfile(cfg.profilesDir, req.name, cfg.ownerUid);
    if (req.verb === 'up') return one(await controller.up({ name: req.name, text, waitSec: 10, noWait: true }));
    return one(await controller.down(req.name, text));
  } catch (e) {
    if (e instanceof ProfileSourceError) return { code: 2, doc: { error: { code: 'profile-unavailable', message: e.message } } };
    return { code: 2, doc: { error: { code: 'internal', message: (e as Error).message } } };
  }
}

/** Process entry (bundled to dist/helper/longhaul-helper.cjs, installed as /usr/lib/longhaul/longhaul-helper). */
export function main(): void {
  runHelper(process.argv.slice(2), process.env, process.getuid?.() ?? -1).then(
    (out) => {
      process.stdout.write(JSON.stringify({ schemaVersion: 1, ...out.doc }) + '\n');
      process.exitCode = out.code;
    },
    (err: Error) => {
      process.stdout.write(JSON.stringify({ schemaVersion: 1, error: { code: 'internal', message: err.message } }) + '\n');
      process.exitCode = 2;
    },
  );
}

// Run when this file is the process entry (the bundle), not when a test imports it.
if (typeof module !== 'undefined' && typeof require !== 'undefined' && require.main === module) main();
