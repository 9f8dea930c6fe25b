/**
 * The tunnel controller: `up`, `down`, `status` over one backend. The same code runs in the privileged helper and,
 * as root (CI, lab, IT scripts), directly in the CLI. Environment: plain Node.
 *
 * up: validate (same parser, no hooks) → tools → interface free → routes (refuse unless force, logged) → endpoints
 *     resolvable → write the re-serialised canonical file (0600) and a marker → backend up → one packet into the
 *     tunnel → wait (bounded) for the first handshake.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ProcessError, type ProcessRunner } from '../platform/runner';
import { writeFileAtomic } from '../platform/atomic';
import type { Logger } from '../log/logger';
import type { TunnelReason, TunnelStatus } from '../../contract/tunnel';
import { serializeProfile, type WgProfile } from '../profiles';
import { NotLonghaulTunnel, notLonghaulMessage, notLonghaulStatusMessage, type TunnelBackend } from './backends/types';
import { osOf } from './install-hints';
import { kick, kickTarget } from '../net/handshake';
import { reasonMessage } from './messages';
import {
  checkEndpoints,
  checkInterfaceFree,
  checkRoutes,
  checkTools,
  classifyUpError,
  systemResolver,
  TunnelFailure,
  validateProfileText,
  type Resolver,
  type RouteInputs,
  hasHooks,
} from './preflight';
import { confPathOf, listMarkers, readMarker, removeConf, removeMarker, writeConf, writeMarker } from './runtime-files';
import { deriveStatus, StaleTracker, type TunnelMarker } from './status';

export interface TunnelControllerOptions {
  runner: ProcessRunner;
  logger: Logger;
  backend: TunnelBackend;
  /** Root-only directory for canonical files and markers. */
  runtimeDir: string;
  platform?: NodeJS.Platform;
  /** Unix milliseconds (tests). */
  now?: () => number;
  resolver?: Resolver;
  /** Local networks (core/net, without this tunnel's interface and addresses) and other connected tunnels. */
  routeInputs?: (self: string, profile: WgProfile, iface: string) => Promise<RouteInputs>;
  /** Poll interval while waiting for the handshake. */
  pollMs?: number;
  /** Replaces the handshake-freshness threshold STALE_AFTER_SEC (status.ts) — the lab only. */
  staleAfterSec?: number;
}

export interface UpRequest {
  name: string;
  /** The canonical profile text (from the store, or the helper's root-only directory). */
  text: string;
  waitSec: number;
  force?: boolean;
  signal?: AbortSignal;
  onProgress?: (s: TunnelStatus) => void;
  /** Return right after the tunnel is up and the handshake was triggered (the helper: its client polls status). */
  noWait?: boolean;
  /** Keep the profile's PreUp/PostUp/PreDown/PostDown: see `ValidateOptions.hooksApproved` (policy + allowScripts only). */
  hooksApproved?: boolean;
}

export interface DownRequestOptions {
  /**
   * Act on the interface even without Longhaul's runtime marker, through the canonical file only (never by deleting
   * the interface/connection by name): the helper sets it for a profile IT installed in its root-only directory.
   */
  allowUnmarked?: boolean;
  /** `text` is a policy-approved profile with hooks (its PreDown/PostDown run): see `UpRequest.hooksApproved`. */
  hooksApproved?: boolean;
}

export interface StatusOptions {
  /**
   * Read the interface even without Longhaul's runtime marker: the caller vouches that NAME is Longhaul's — the helper
   * for a delivered copy, an IT-installed NAME.conf or a policy site; root acting directly for a profile in its own
   * store. Without it (and without the marker) nothing is run for NAME: `wg show NAME dump` as root would hand another
   * program's WireGuard configuration to whoever asks.
   */
  allowUnmarked?: boolean;
}

export interface TunnelController {
  up(req: UpRequest): Promise<TunnelStatus>;
  /** Refused ("NAME is not a Longhaul tunnel; nothing was changed") for an interface Longhaul did not bring up. */
  down(name: string, text?: string, opts?: DownRequestOptions): Promise<TunnelStatus>;
  /** Refused ("NAME is not a Longhaul tunnel … nothing was read"), with no command run, unless marked or vouched for. */
  status(name: string, opts?: StatusOptions): Promise<TunnelStatus>;
  /** Names of tunnels Longhaul brought up (markers). */
  known(): string[];
  readonly backend: TunnelBackend;
}

export function failureStatus(name: string, iface: string, reason: TunnelReason, message: string): TunnelStatus {
  return { name, interface: iface, state: 'error', reason, message, endpoint: null, latestHandshakeAgeSec: null, rxBytes: 0, txBytes: 0, peers: [] };
}

export function createTunnelController(o: TunnelControllerOptions): TunnelController {
  const now = o.now ?? Date.now;
  const nowSec = () => Math.floor(now() / 1000);
  const trackerFile = path.join(o.runtimeDir, 'stale-baselines.json');
  const tracker = StaleTracker.from(readJson(trackerFile));
  const log = o.logger.child('tunnel');
  const os = osOf(o.platform ?? process.platform);
  const pollMs = o.pollMs ?? 250;

  async function status(name: string, opts: StatusOptions = {}): Promise<TunnelStatus> {
    const iface = o.backend.interfaceOf(name);
    const marker = readMarker(o.runtimeDir, name);
    // Not even the existence check: on Windows it is `wg.exe show NAME dump`.
    if (!marker && !opts.allowUnmarked) return failureStatus(name, iface, 'permission-denied', notLonghaulStatusMessage(name));
    const exists = await o.backend.interfaceExists(iface);
    let dump = null;
    let dumpError: TunnelReason | undefined;
    if (exists) {
      const r = await o.backend.dump(iface);
      if (r.ok) dump = r.dump;
      else dumpError = r.reason === 'absent' ? 'interface-vanished' : r.reason;
    }
    const s = deriveStatus({ name, interface: iface, interfaceExists: exists, dump, dumpError, marker, nowSec: nowSec() }, tracker, { staleAfterSec: o.staleAfterSec });
    if (tracker.takeDirty()) {
      try {
        writeFileAtomic(trackerFile, JSON.stringify(tracker) + '\n', 0o600);
      } catch {} // best effort: the runtime dir may not exist yet (nothing up)
    }
    if (s.reason) s.message = reasonMessage(s.reason, { name, interface: iface, endpoint: s.endpoint, waitSec: marker?.waitSec });
    return s;
  }

  async function up(req: UpRequest): Promise<TunnelStatus> {
    const { name } = req;
    const iface = o.backend.interfaceOf(name);
    let marker: TunnelMarker;
    try {
      const profile = validateProfileText(name, req.text, { hooksApproved: req.hooksApproved, backend: o.backend });
      checkTools(o.backend, profile, os);
      const current = readMarker(o.runtimeDir, name);
      if (current && (await o.backend.interfaceExists(iface))) {
        log.info('up: already up', { name });
        return await status(name);
      }
      await checkInterfaceFree(o.backend, name);
      if (o.routeInputs) {
        const forced = checkRoutes(name, profile, await o.routeInputs(name, profile, iface), req.force === true);
        if (forced.length > 0) log.warn('up: route conflict overridden with --force', { name, conflicts: forced.map((f) => f.evidence) });
      }
      await checkEndpoints(profile, o.resolver ?? systemResolver);
      marker = await bringUp(name, profile, req);
    } catch (e) {
      if (e instanceof TunnelFailure) {
        log.warn('up refused', { name, reason: e.reason, details: e.details });
        return failureStatus(name, iface, e.reason, e.message);
      }
      throw e;
    }
    return req.noWait ? await status(name) : await waitForHandshake(req, marker);
  }

  async function bringUp(name: string, profile: WgProfile, req: UpRequest): Promise<TunnelMarker> {
    const confPath = writeConf(o.runtimeDir, name, serializeProfile(profile));
    const marker: TunnelMarker = { name, interface: o.backend.interfaceOf(name), startedAt: nowSec(), waitSec: req.waitSec };
    writeMarker(o.runtimeDir, marker);
    req.onProgress?.({ ...failureStatus(name, marker.interface, 'up-failed', ''), state: 'connecting', reason: null, message: null });
    log.info('up', { name, backend: o.backend.kind, force: req.force === true, hooks: hasHooks(profile) });
    try {
      await o.backend.up(name, confPath);
    } catch (e) {
      removeMarker(o.runtimeDir, name);
      removeConf(o.runtimeDir, name);
      if (e instanceof ProcessError) {
        const stderr = e.result?.stderr ?? e.message;
        const reason = e.kind === 'not-found' ? 'tools-missing' : classifyUpError(stderr);
        const tail = stderr.trim().split('\n').filter((l) => !/^\[#\]|^[│┌└ ]/.test(l)).slice(-3).join(' ');
        throw new TunnelFailure(reason, reason === 'up-failed' ? reasonMessage('up-failed', { name, detail: tail }) : reasonMessage(reason, { name, detail: tail, interface: name }), { stderr: tail });
      }
      throw e;
    }
    const target = kickTarget({ allowedIps: profile.peers.flatMap((p) => p.allowedIps), candidates: profile.interface.dns });
    if (target) await kick(target);
    return marker;
  }

  async function waitForHandshake(req: UpRequest, marker: TunnelMarker): Promise<TunnelStatus> {
    // The same clock as the status rule (marker seconds), so `status` right after agrees with `up`.
    const deadline = (marker.startedAt + marker.waitSec) * 1000;
    for (;;) {
      const s = await status(req.name);
      req.onProgress?.(s);
      if (s.state === 'connected' || (s.state === 'error' && s.reason !== 'no-handshake')) return s;
      if (now() >= deadline || req.signal?.aborted) {
        const endpoint = s.endpoint ?? null;
        log.warn('up: no handshake', { name: req.name, waitSec: req.waitSec });
        return { ...s, state: 'error', reason: 'no-handshake', message: reasonMessage('no-handshake', { name: req.name, endpoint, waitSec: req.waitSec }) };
      }
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }

  async function down(name: string, text?: string, opts: DownRequestOptions = {}): Promise<TunnelStatus> {
    const iface = o.backend.interfaceOf(name);
    const marked = readMarker(o.runtimeDir, name) !== null;
    if (!marked && !opts.allowUnmarked && (await o.backend.interfaceExists(iface))) {
      // An interface of that name that Longhaul did not bring up (eth0, wlan0, another program's tunnel): untouched,
      // even when a stored profile happens to have the same name.
      log.warn('down refused: not a Longhaul tunnel', { name });
      return failureStatus(name, iface, 'permission-denied', notLonghaulMessage(name));
    }
    try {
      if (await o.backend.interfaceExists(iface)) {
        let confPath = confPathOf(o.runtimeDir, name);
        if (text !== undefined) confPath = writeConf(o.runtimeDir, name, serializeProfile(validateProfileText(name, text, { hooksApproved: opts.hooksApproved, backend: o.backend })));
        log.info('down', { name, backend: o.backend.kind, marked });
        await o.backend.down(name, confPath, { marked });
      }
    } catch (e) {
      if (e instanceof NotLonghaulTunnel) return failureStatus(name, iface, 'permission-denied', e.message);
      if (e instanceof TunnelFailure) return failureStatus(name, iface, e.reason, e.message);
      if (e instanceof ProcessError) return failureStatus(name, iface, 'up-failed', `Taking "${name}" down failed: ${e.message}`);
      throw e;
    } finally {
      removeConf(o.runtimeDir, name);
    }
    removeMarker(o.runtimeDir, name);
    // Ours (marked or vouched for), or found absent by the check above: reading its state now exposes nothing.
    return await status(name, { allowUnmarked: true });
  }

  return { up, down, status, known: () => listMarkers(o.runtimeDir).map((m) => m.name), backend: o.backend };
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  } catch {
    return null;
  }
}
