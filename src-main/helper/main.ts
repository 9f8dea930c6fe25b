/**
 * `longhaul-helper` — the small privileged helper (Linux: /usr/lib/longhaul/longhaul-helper, started by pkexec under
 * the polkit action in resources/linux/; macOS: the launchd helper). It accepts only `up NAME`, `down NAME`,
 * `status [NAME]`. For `up` the app pipes the canonical profile text on stdin (never argv, never a file path): the
 * helper re-validates it with the profile parser, refuses hooks and SaveConfig, re-serialises it into its root-only
 * directory with the invoking user recorded (`delivery.ts`); with nothing on stdin it uses a profile IT installed
 * there, else a site bundle the managed policy lists (`policy-sites.ts`: read as root, re-validated with origin
 * `policy`; its PreUp/PostUp/PreDown/PostDown are run by wg-quick only when the policy's `allowScripts` is true — never for
 * a profile the app sent). `status` without NAME also reports those policy sites as public data (`provisioned`, never a key), so a
 * non-root app can list them; `status NAME` reads only Longhaul's own tunnels (marker, delivered copy, IT's NAME.conf, a
 * policy site) and refuses any other NAME (`notLonghaul`) before anything runs. It then runs the OS tool through the process runner — the same controller the root CLI uses. `down` is
 * refused for another non-root user's tunnel and removes the delivered copy once the interface is gone; it is refused
 * outright ("NAME is not a Longhaul tunnel; nothing was changed") unless Longhaul brought NAME up (its runtime marker),
 * IT installed NAME.conf, or a delivered copy of NAME is left to clean up. `up`/`down` hold an exclusive lock
 * (`lock.ts`) for the whole request.
 * Prints one JSON document `{schemaVersion: 1, tunnels: [...]}` (`status`: plus `provisioned`, `provisionRefused`; or `{error}`); exit 0 ok, 1 refused/unhealthy,
 * 2 could not run. Environment: plain Node, root.
 *
 * Test hooks: LONGHAUL_HELPER_PROFILES_DIR / _RUNTIME_DIR / _LOG_DIR are honoured only when not started by pkexec
 * (PKEXEC_UID unset; pkexec also clears the environment), and only for an existing root-owned 0700 directory
 * (`config.ts`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { createFileLogger, nullLogger, type Logger } from '../core/log/logger';
import { globalRedactor } from '../core/log/redact';
import { createRunner } from '../core/platform/runner';
import type { TunnelReason, TunnelStatus } from '../contract/tunnel';
import { selectBackend } from '../core/tunnel/backends/select';
import { notLonghaulMessage, notLonghaulStatusMessage } from '../core/tunnel/backends/types';
import { createTunnelController, failureStatus, type TunnelController } from '../core/tunnel/controller';
import { exitCodeOf } from '../core/tunnel/exit-codes';
import { readMarker } from '../core/tunnel/runtime-files';
import { parseHelperArgs, type HelperRequest } from './args';
import { callerOf, parentRealUid } from './caller';
import { HelperConfigError, helperConfig, type HelperConfig } from './config';
import { DeliveryRefused, checkDir, ownerAllows, readOwner, removeDelivered, storeDelivered, validateDelivered } from './delivery';
import { acquireHelperLock, HelperBusy } from './lock';
import { readBoundedStdin, type StdinRead } from './stdin';
import { ProfileSourceError, readCanonicalProfile } from './profile-source';
import { findPolicySite, readPolicySites, refusalOf } from './policy-sites';
import { serializeProfile } from '../core/profiles';
import type { ProcessRunner } from '../core/platform/runner';

export { HelperConfigError, helperConfig, type HelperConfig };
export { invokingUid } from './caller';

/** How long `up` waits for the first handshake before reporting; the client keeps polling `status` for its --wait. */
export const HELPER_WAIT_SEC = 10;

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
  /** Tests only: how long `up`/`down` wait for another request's lock. */
  lockTimeoutMs?: number;
  /**
   * Who asks, when not PKEXEC_UID: the helper service (`daemon.ts`) passes SERVICE_CLIENT_UID for every socket/pipe
   * client (Node gives no peer credentials). Overrides PKEXEC_UID / root.
   */
  caller?: number;
  /** Tests only: the real uid of the process that started the helper (default: read from /proc on Linux). */
  parentUid?: () => number | null;
}

/** The `{error}` document for an unexpected failure; the message is redacted (it may quote a profile line). */
export function internalError(e: unknown): { error: { code: 'internal'; message: string } } {
  return { error: { code: 'internal', message: globalRedactor.redact(e instanceof Error ? e.message : String(e)) } };
}

/**
 * Where the helper (root) finds the OS tools: fixed, never the caller's PATH. macOS: Homebrew's wireguard-tools,
 * wireguard-go and bash >= 4 (wg-quick needs it) come first — /opt/homebrew on Apple silicon, /usr/local on Intel —
 * as in the launchd job's PATH (resources/mac/helper/…plist). Windows: the backend runs wireguard.exe/wg.exe by
 * absolute path. Whoever owns the Homebrew folder can replace what root runs: docs/deployment.md says so.
 */
export function helperSearchPath(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return '/opt/homebrew/bin:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin';
  return '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
}

export async function runHelper(argv: readonly string[], env: Record<string, string | undefined>, uid: number, io: HelperIo = {}): Promise<HelperOutput> {
  const parsed = parseHelperArgs(argv);
  if (!parsed.ok) return { code: 2, doc: { error: { code: 'invalid-arguments', message: parsed.error } } };
  if (uid !== 0) return { code: 2, doc: { error: { code: 'not-root', message: 'longhaul-helper must run as root (through pkexec / the system service)' } } };
  let caller: number;
  if (io.caller !== undefined) caller = io.caller;
  else {
    const who = callerOf(env, (io.parentUid ?? parentRealUid)());
    if (!who.ok) return { code: 2, doc: { error: { code: who.code, message: who.message } } };
    caller = who.uid;
  }
  let cfg: HelperConfig;
  try {
    cfg = io.config ?? helperConfig(env);
  } catch (e) {
    if (e instanceof HelperConfigError) return { code: 2, doc: { error: { code: 'invalid-configuration', message: e.message } } };
    throw e;
  }
  // Only `up` takes data, and only on stdin: read it (bounded) before anything else runs.
  const delivered: StdinRead = parsed.request.verb === 'up' ? await readBoundedStdin(io.stdin, { timeoutMs: io.stdinTimeoutMs }) : { kind: 'empty' };
  let logger: Logger = nullLogger;
  try {
    if (cfg.logDir) logger = createFileLogger('helper', { dir: cfg.logDir });
  } catch {}
  const runner = createRunner({ logger: logger.child('exec'), searchPath: helperSearchPath(process.platform) });
  const controller = createTunnelController({ runner, logger, backend: await selectBackend(runner), runtimeDir: cfg.runtimeDir });
  logger.info('helper request', { ...parsed.request, pkexecUid: env.PKEXEC_UID ?? null, caller, delivered: delivered.kind });
  return await serve(parsed.request, { cfg, controller, caller, delivered, logger, lockTimeoutMs: io.lockTimeoutMs, runner, env });
}

interface ServeContext {
  cfg: HelperConfig;
  controller: TunnelController;
  caller: number;
  delivered: StdinRead;
  logger: Logger;
  lockTimeoutMs?: number;
  runner: ProcessRunner;
  env: Record<string, string | undefined>;
}

type Refuse = (reason: TunnelReason, message: string) => HelperOutput;

const one = (s: TunnelStatus): HelperOutput => ({ code: exitCodeOf(s), doc: { tunnels: [s] } });

async function serve(req: HelperRequest, x: ServeContext): Promise<HelperOutput> {
  const { cfg, controller } = x;
  try {
    if (req.verb === 'status') {
      if (req.name) {
        // Only Longhaul's own tunnels are read as root: `wg show NAME dump` of anything else would hand another
        // program's WireGuard configuration to whoever may ask. Refused before anything runs.
        if (!(await isLonghaulName(req.name, x))) {
          x.logger.info('helper refused', { verb: 'status', name: req.name, reason: 'not-longhaul', caller: x.caller });
          return { code: 1, doc: { tunnels: [failureStatus(req.name, controller.backend.interfaceOf(req.name), 'permission-denied', notLonghaulStatusMessage(req.name))], notLonghaul: [req.name] } };
        }
        return { code: 0, doc: { tunnels: [await controller.status(req.name, { allowUnmarked: true })] } };
      }
      const tunnels = await Promise.all(controller.known().map((n) => controller.status(n)));
      // `status` (all): also the policy-provisioned profiles the helper can read — public data only, never a key.
      try {
        const sites = await readPolicySites(x.runner, x.env, x.logger);
        return { code: 0, doc: { tunnels, provisioned: sites.sites.map((p) => p.pub), provisionRefused: sites.refused } };
      } catch (e) {
        return { code: 0, doc: { tunnels, provisionRefused: [{ bundle: 'policy', reason: internalError(e).error.message }] } };
      }
    }
    const iface = controller.backend.interfaceOf(req.name);
    const refuse: Refuse = (reason, message) => {
      x.logger.warn('helper refused', { verb: req.verb, name: req.name, reason, caller: x.caller });
      return one(failureStatus(req.name, iface, reason, message));
    };
    // A delivered profile is validated before any directory is touched or the lock taken.
    let canonical: string | null = null;
    if (req.verb === 'up' && x.delivered.kind === 'error') return refuse('profile-invalid', `Longhaul's helper refused the profile "${req.name}": ${x.delivered.message}.`);
    if (req.verb === 'up' && x.delivered.kind === 'bytes') {
      try {
        canonical = validateDelivered(req.name, x.delivered.bytes);
      } catch (e) {
        if (e instanceof DeliveryRefused) return refuse(e.reason, e.message);
        throw e;
      }
    }
    checkDir(cfg.profilesDir);
    const release = await acquireHelperLock(cfg.profilesDir, { timeoutMs: x.lockTimeoutMs });
    try {
      return req.verb === 'up' ? await up(req.name, canonical, x, refuse) : await down(req.name, x, refuse);
    } finally {
      release();
    }
  } catch (e) {
    if (e instanceof ProfileSourceError) return { code: 2, doc: { error: { code: 'profile-unavailable', message: e.message } } };
    if (e instanceof HelperBusy) return { code: 2, doc: { error: { code: 'busy', message: e.message } } };
    return { code: 2, doc: internalError(e) };
  }
}

async function down(name: string, x: ServeContext, refuse: Refuse): Promise<HelperOutput> {
  const { cfg, controller } = x;
  const allowed = ownerAllows(cfg.profilesDir, name, x.caller);
  if (!allowed.ok) return refuse('permission-denied', `The tunnel "${name}" was brought up by another user (uid ${allowed.owner}); only they (or an administrator) can take it down.`);
  const hasConf = fs.existsSync(path.join(cfg.profilesDir, `${name}.conf`));
  const delivered = readOwner(cfg.profilesDir, name) !== null;
  const itProvisioned = hasConf && !delivered;
  if (readMarker(cfg.runtimeDir, name) === null && !itProvisioned) {
    // Longhaul did not bring NAME up: never touch an interface or connection of that name (eth0, wlan0, …).
    if (!delivered) return refuse('permission-denied', notLonghaulMessage(name));
    // Only a delivered copy (its key) is left over, e.g. after a crash: remove it, leave the interface alone.
    removeDelivered(cfg.profilesDir, name);
    return one(await controller.status(name, { allowUnmarked: true }));
  }
  const text = hasConf ? readCanonicalProfile(cfg.profilesDir, name, cfg.ownerUid) : undefined;
  const s = await controller.down(name, text, { allowUnmarked: itProvisioned });
  if (!(await controller.backend.interfaceExists(controller.backend.interfaceOf(name)))) removeDelivered(cfg.profilesDir, name);
  return one(s);
}

async function up(name: string, canonical: string | null, x: ServeContext, refuse: Refuse): Promise<HelperOutput> {
  const { cfg, controller } = x;
  const iface = controller.backend.interfaceOf(name);
  if (canonical !== null) {
    try {
      storeDelivered(cfg.profilesDir, name, canonical, x.caller, await controller.backend.interfaceExists(iface));
    } catch (e) {
      if (e instanceof DeliveryRefused) return refuse(e.reason, e.message);
      throw e;
    }
  } else {
    const allowed = ownerAllows(cfg.profilesDir, name, x.caller);
    if (!allowed.ok) return refuse('permission-denied', `The profile "${name}" on this computer belongs to another user (uid ${allowed.owner}); connect from your own Longhaul.`);
    const itConf = fs.existsSync(path.join(cfg.profilesDir, `${name}.conf`)) && readOwner(cfg.profilesDir, name) === null;
    if (!itConf) {
      // Not installed in the helper's directory: a site bundle the managed policy lists (readable only by root).
      const sites = await readPolicySites(x.runner, x.env, x.logger);
      const site = findPolicySite(sites, name);
      // Hooks only when the policy read just now allows scripts (`site.pub.allowScripts`) and only from IT's own
      // root-only bundle; a backend that cannot run them refuses the profile (controller preflight).
      if (site) return one(await controller.up({ name, text: serializeProfile(site.profile), waitSec: HELPER_WAIT_SEC, hooksApproved: site.pub.allowScripts }));
      const why = refusalOf(sites, name);
      if (why) return refuse(why.hooks ? 'hooks-refused' : 'profile-invalid', `The site "${name}" provisioned by IT cannot be used: ${why.reason}`);
    }
  }
  // Not up (refused before or by the backend, or the name is taken by another interface): nothing will ever take this
  // tunnel down, so drop a delivered key now. IT-provisioned files are never removed (removeDelivered).
  let s: TunnelStatus;
  try {
    s = await controller.up({ name, text: readCanonicalProfile(cfg.profilesDir, name, cfg.ownerUid), waitSec: HELPER_WAIT_SEC });
  } catch (e) {
    // Only a delivered copy is ever removed, so only then is the interface looked at (never for an arbitrary name).
    if (readOwner(cfg.profilesDir, name) !== null && !(await controller.backend.interfaceExists(iface))) removeDelivered(cfg.profilesDir, name);
    throw e;
  }
  const notUp = s.state === 'error' && s.reason !== 'no-handshake' && s.reason !== 'stale' && (s.reason === 'interface-exists' || !(await controller.backend.interfaceExists(iface)));
  if (notUp) removeDelivered(cfg.profilesDir, name);
  return one(s);
}

/**
 * Is NAME one of Longhaul's own tunnels — the notion `down` uses: its runtime marker, a delivered copy or an
 * IT-installed NAME.conf in the helper's directory; and, for `status`, a site the managed policy provisions (read
 * last: it reads the policy). Nothing is run against NAME to decide.
 */
async function isLonghaulName(name: string, x: ServeContext): Promise<boolean> {
  if (readMarker(x.cfg.runtimeDir, name) !== null) return true;
  if (readOwner(x.cfg.profilesDir, name) !== null || fs.existsSync(path.join(x.cfg.profilesDir, `${name}.conf`))) return true;
  try {
    return findPolicySite(await readPolicySites(x.runner, x.env, x.logger), name) !== null;
  } catch {
    return false;
  }
}

/** The process's work (entry: `entry.ts`, bundled to dist/helper/longhaul-helper.cjs, installed as /usr/lib/longhaul/longhaul-helper). */
export interface MainDeps {
  run?: typeof runHelper;
  write?: (line: string) => void;
  setExit?: (code: number) => void;
}

export function main(d: MainDeps = {}): Promise<void> {
  const write = d.write ?? ((l: string) => void process.stdout.write(l));
  const setExit = d.setExit ?? ((c: number) => void (process.exitCode = c));
  return (d.run ?? runHelper)(process.argv.slice(2), process.env, process.getuid?.() ?? -1, { stdin: process.stdin }).then(
    (out) => {
      write(JSON.stringify({ schemaVersion: 1, ...out.doc }) + '\n');
      setExit(out.code);
    },
    (err: unknown) => {
      write(JSON.stringify({ schemaVersion: 1, ...internalError(err) }) + '\n');
      setExit(2);
    },
  );
}
