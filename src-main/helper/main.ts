/**
 * `longhaul-helper` — the small privileged helper (Linux: /usr/lib/longhaul/longhaul-helper, started by pkexec under
 * the polkit action in resources/linux/; macOS: the launchd helper). It accepts only `up NAME`, `down NAME`,
 * `status [NAME]`. For `up` the app pipes the canonical profile text on stdin (never argv, never a file path): the
 * helper re-validates it with the profile parser, refuses hooks and SaveConfig, re-serialises it into its root-only
 * directory with the invoking user recorded (`delivery.ts`); with nothing on stdin it uses a profile IT installed
 * there. It then runs the OS tool through the process runner — the same controller the root CLI uses. `down` is
 * refused for another non-root user's tunnel and removes the delivered copy once the interface is gone.
 * Prints one JSON document `{schemaVersion: 1, tunnels: [...]}` (or `{error}`); exit 0 ok, 1 refused/unhealthy,
 * 2 could not run. Environment: plain Node, root.
 *
 * Test hooks: LONGHAUL_HELPER_PROFILES_DIR / _RUNTIME_DIR / _LOG_DIR are honoured only when not started by pkexec
 * (PKEXEC_UID unset; pkexec also clears the environment).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { createFileLogger, nullLogger, type Logger } from '../core/log/logger';
import { globalRedactor } from '../core/log/redact';
import { createRunner } from '../core/platform/runner';
import type { TunnelReason, TunnelStatus } from '../contract/tunnel';
import { selectBackend } from '../core/tunnel/backends/select';
import { createTunnelController, failureStatus, type TunnelController } from '../core/tunnel/controller';
import { exitCodeOf } from '../core/tunnel/exit-codes';
import { parseHelperArgs, type HelperRequest } from './args';
import { DeliveryRefused, ownerAllows, removeDelivered, storeDelivered, validateDelivered } from './delivery';
import { readBoundedStdin, type StdinRead } from './stdin';
import { DEFAULT_LOG_DIR, DEFAULT_PROFILES_DIR, DEFAULT_RUNTIME_DIR, ProfileSourceError, readCanonicalProfile } from './profile-source';

/** How long `up` waits for the first handshake before reporting; the client keeps polling `status` for its --wait. */
export const HELPER_WAIT_SEC = 10;

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

export interface HelperIo {
  /** The helper's stdin (`up NAME`: the profile the app delivers). Absent = nothing delivered. */
  stdin?: (Readable & { isTTY?: boolean }) | null;
  stdinTimeoutMs?: number;
  /** Tests only (never reachable from argv or the environment): directories to use instead of the defaults. */
  config?: HelperConfig;
}

/** The user who asked (pkexec's PKEXEC_UID), or root when started directly by root (CI, lab, IT scripts). */
export function invokingUid(env: Record<string, string | undefined>): number | null {
  const v = env.PKEXEC_UID;
  if (v === undefined) return 0;
  return /^\d{1,10}$/.test(v) && Number(v) <= 0xffffffff ? Number(v) : null;
}

export async function runHelper(argv: readonly string[], env: Record<string, string | undefined>, uid: number, io: HelperIo = {}): Promise<HelperOutput> {
  const parsed = parseHelperArgs(argv);
  if (!parsed.ok) return { code: 2, doc: { error: { code: 'invalid-arguments', message: parsed.error } } };
  if (uid !== 0) return { code: 2, doc: { error: { code: 'not-root', message: 'longhaul-helper must run as root (through pkexec / the system service)' } } };
  const caller = invokingUid(env);
  if (caller === null) return { code: 2, doc: { error: { code: 'invalid-arguments', message: 'PKEXEC_UID is not a user id' } } };
  // Only `up` takes data, and only on stdin: read it (bounded) before anything else runs.
  const delivered: StdinRead = parsed.request.verb === 'up' ? await readBoundedStdin(io.stdin, { timeoutMs: io.stdinTimeoutMs }) : { kind: 'empty' };
  const cfg = io.config ?? helperConfig(env);
  let logger: Logger = nullLogger;
  try {
    if (cfg.logDir) logger = createFileLogger('helper', { dir: cfg.logDir });
  } catch {}
  const runner = createRunner({ logger: logger.child('exec'), searchPath: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' });
  const controller = createTunnelController({ runner, logger, backend: await selectBackend(runner), runtimeDir: cfg.runtimeDir });
  logger.info('helper request', { ...parsed.request, pkexecUid: env.PKEXEC_UID ?? null, delivered: delivered.kind });
  return await serve(parsed.request, { cfg, controller, caller, delivered, logger });
}

interface ServeContext {
  cfg: HelperConfig;
  controller: TunnelController;
  caller: number;
  delivered: StdinRead;
  logger: Logger;
}

const one = (s: TunnelStatus): HelperOutput => ({ code: exitCodeOf(s), doc: { tunnels: [s] } });

async function serve(req: HelperRequest, x: ServeContext): Promise<HelperOutput> {
  const { cfg, controller } = x;
  try {
    if (req.verb === 'status') {
      const names = req.name ? [req.name] : controller.known();
      const tunnels = await Promise.all(names.map((n) => controller.status(n)));
      return { code: 0, doc: { tunnels } };
    }
    const iface = controller.backend.interfaceOf(req.name);
    const refuse = (reason: TunnelReason, message: string) => {
      x.logger.warn('helper refused', { verb: req.verb, name: req.name, reason, caller: x.caller });
      return one(failureStatus(req.name, iface, reason, message));
    };
    if (req.verb === 'up') return await up(req.name, x, refuse);
    const allowed = ownerAllows(cfg.profilesDir, req.name, x.caller);
    if (!allowed.ok) return refuse('permission-denied', `The tunnel "${req.name}" was brought up by another user (uid ${allowed.owner}); only they (or an administrator) can take it down.`);
    const text = fs.existsSync(path.join(cfg.profilesDir, `${req.name}.conf`)) ? readCanonicalProfile(cfg.profilesDir, req.name, cfg.ownerUid) : undefined;
    const s = await controller.down(req.name, text);
    if (!(await controller.backend.interfaceExists(iface))) removeDelivered(cfg.profilesDir, req.name);
    return one(s);
  } catch (e) {
    if (e instanceof ProfileSourceError) return { code: 2, doc: { error: { code: 'profile-unavailable', message: e.message } } };
    return { code: 2, doc: { error: { code: 'internal', message: globalRedactor.redact((e as Error).message) } } };
  }
}

async function up(name: string, x: ServeContext, refuse: (reason: TunnelReason, message: string) => HelperOutput): Promise<HelperOutput> {
  const { cfg, controller, delivered } = x;
  const iface = controller.backend.interfaceOf(name);
  if (delivered.kind === 'error') return refuse('profile-invalid', `Longhaul's helper refused the profile "${name}": ${delivered.message}.`);
  if (delivered.kind === 'bytes') {
    try {
      const canonical = validateDelivered(name, delivered.bytes);
      storeDelivered(cfg.profilesDir, name, canonical, x.caller, await controller.backend.interfaceExists(iface));
    } catch (e) {
      if (e instanceof DeliveryRefused) return refuse(e.reason, e.message);
      throw e;
    }
  } else {
    const allowed = ownerAllows(cfg.profilesDir, name, x.caller);
    if (!allowed.ok) return refuse('permission-denied', `The profile "${name}" on this computer belongs to another user (uid ${allowed.owner}); connect from your own Longhaul.`);
  }
  // Not up (refused before or by the backend, or the name is taken by another interface): nothing will ever take this
  // tunnel down, so drop a delivered key now. IT-provisioned files are never removed (removeDelivered).
  let s: TunnelStatus;
  try {
    s = await controller.up({ name, text: readCanonicalProfile(cfg.profilesDir, name, cfg.ownerUid), waitSec: HELPER_WAIT_SEC });
  } catch (e) {
    if (!(await controller.backend.interfaceExists(iface))) removeDelivered(cfg.profilesDir, name);
    throw e;
  }
  const notUp = s.state === 'error' && s.reason !== 'no-handshake' && s.reason !== 'stale' && (s.reason === 'interface-exists' || !(await controller.backend.interfaceExists(iface)));
  if (notUp) removeDelivered(cfg.profilesDir, name);
  return one(s);
}

/** Process entry (bundled to dist/helper/longhaul-helper.cjs, installed as /usr/lib/longhaul/longhaul-helper). */
export function main(): void {
  runHelper(process.argv.slice(2), process.env, process.getuid?.() ?? -1, { stdin: process.stdin }).then(
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
