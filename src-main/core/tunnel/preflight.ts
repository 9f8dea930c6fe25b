/**
 * Everything `up` checks before touching the system, each failure with its own reason and plain-words fix:
 * profile valid and hook-free (the same parser as import), tools installed, interface name free, no route conflict
 * (unless forced), endpoint host names resolvable. Environment: plain Node.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import type { TunnelReason } from '../../contract/tunnel';
import type { Finding } from '../findings/finding';
import { globalRedactor } from '../log/redact';
import { lookupHost } from '../platform/net-client';
import { findRouteConflicts, isValidInterfaceName, parseProfile, type LocalNetwork, type ConnectedTunnel, type WgProfile } from '../profiles';
import type { TunnelBackend } from './backends/types';
import { installInstruction, MAC_WIREGUARD_APP, type Os } from './install-hints';
import { reasonMessage } from './messages';

export class TunnelFailure extends Error {
  constructor(
    readonly reason: TunnelReason,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'TunnelFailure';
  }
}

export interface ValidateOptions {
  /**
   * The text comes from a profile that managed policy delivered with `allowScripts` and that root read from IT's own
   * copy at this moment (the helper's policy sites; root's provisioned record re-checked against the policy): its
   * PreUp/PostUp/PreDown/PostDown are kept. Never set for a profile sent by the app or imported by a user.
   */
  hooksApproved?: boolean;
  /** The backend that will bring it up: approved hooks on a backend that cannot run them are refused (`runsHooks`). */
  backend?: Pick<TunnelBackend, 'kind' | 'runsHooks'>;
}

/** Parse and validate canonical text exactly as import does; refuse hooks unless approved. Registers the keys with the redactor. */
export function validateProfileText(name: string, text: string, o: ValidateOptions = {}): WgProfile {
  if (!isValidInterfaceName(name)) throw new TunnelFailure('profile-invalid', `"${name}" is not a valid profile name (1–15 of letters, digits, _ = + . -).`);
  const approved = o.hooksApproved === true;
  const r = parseProfile(text, { fileName: `${name}.conf`, origin: approved ? 'policy' : 'user', allowScripts: approved });
  if (r.errors.some((e) => e.code.startsWith('hook'))) throw new TunnelFailure('hooks-refused', reasonMessage('hooks-refused', { name }));
  if (approved && r.profile && hasHooks(r.profile) && o.backend && !o.backend.runsHooks) {
    throw new TunnelFailure('hooks-refused', reasonMessage('hooks-refused', { name, detail: hooksUnsupportedDetail(o.backend.kind) }));
  }
  if (!r.profile) {
    const detail = r.errors.map((e) => `${name}.conf${e.line ? `:${e.line}` : ''}: ${e.message}`).join('; ');
    throw new TunnelFailure('profile-invalid', reasonMessage('profile-invalid', { name, detail }), { errors: r.errors });
  }
  globalRedactor.addSecret(r.profile.interface.privateKey);
  for (const p of r.profile.peers) if (p.presharedKey) globalRedactor.addSecret(p.presharedKey);
  return r.profile;
}

export function hasHooks(p: WgProfile): boolean {
  return Object.values(p.interface.hooks).some((h) => h.length > 0);
}

/** Why a backend cannot honour policy-approved hooks (the profile is refused rather than run without them). */
export function hooksUnsupportedDetail(kind: TunnelBackend['kind']): string {
  const which = kind === 'networkmanager' ? 'NetworkManager, which manages this computer\'s connections, has no PreUp/PostUp/PreDown/PostDown' : 'WireGuard for Windows runs PreUp/PostUp/PreDown/PostDown only when an administrator enables its DangerousScriptExecution setting, which Longhaul never does';
  return `IT allowed this managed profile to run scripts, but ${which}; running it without them could leave the farm's routes or firewall half set up. Ask IT for a profile without scripts for this computer`;
}

export function checkTools(backend: TunnelBackend, profile: WgProfile, os: Os): void {
  const missing = backend.missingTools({ hasDns: profile.interface.dns.length > 0 });
  if (missing.length === 0) return;
  const onlyResolvconf = missing.every((m) => m.tool === 'resolvconf');
  const reason: TunnelReason = onlyResolvconf ? 'resolvconf-missing' : 'tools-missing';
  const officialMacAppInstalled = os === 'darwin' && fs.existsSync(MAC_WIREGUARD_APP);
  throw new TunnelFailure(reason, installInstruction(os, missing, { officialMacAppInstalled }), { missing: missing.map((m) => m.tool) });
}

export async function checkInterfaceFree(backend: TunnelBackend, name: string): Promise<void> {
  const iface = backend.interfaceOf(name);
  if (await backend.interfaceExists(iface)) throw new TunnelFailure('interface-exists', reasonMessage('interface-exists', { name, interface: iface }), { interface: iface });
}

export interface RouteInputs {
  localNetworks: readonly LocalNetwork[];
  otherTunnels: readonly ConnectedTunnel[];
}

/** Route conflicts that are errors; thrown unless `force` (then returned so the caller logs them). */
export function checkRoutes(name: string, profile: WgProfile, inputs: RouteInputs, force: boolean): Finding[] {
  const conflicts = findRouteConflicts(profile, inputs.localNetworks, inputs.otherTunnels, [], name).filter((f) => f.code === 'route.conflict');
  if (conflicts.length > 0 && !force) {
    const detail = conflicts.map((f) => f.detail).join(' ');
    throw new TunnelFailure('route-conflict', reasonMessage('route-conflict', { name, detail }), { conflicts: conflicts.map((f) => f.evidence) });
  }
  return conflicts;
}

export type Resolver = (host: string) => Promise<boolean>;

export const systemResolver: Resolver = async (host) => {
  try {
    await lookupHost(host, { timeoutMs: 10_000 });
    return true;
  } catch {
    return false;
  }
};

export async function checkEndpoints(profile: WgProfile, resolve: Resolver): Promise<void> {
  for (const p of profile.peers) {
    const host = p.endpoint?.host;
    if (!host || net.isIP(host)) continue;
    if (!(await resolve(host))) {
      const endpoint = `${host}:${p.endpoint?.port}`;
      throw new TunnelFailure('endpoint-unresolvable', reasonMessage('endpoint-unresolvable', { endpoint: host }), { endpoint });
    }
  }
}

/** Map a failed `wg-quick up` (stderr) to a reason; recorded stderr: linux-wg-quick-up-full-tunnel-userspace-stderr.txt. */
export function classifyUpError(stderr: string): TunnelReason {
  if (/already exists/.test(stderr)) return 'interface-exists';
  if (/resolvconf: (command )?not found/.test(stderr)) return 'resolvconf-missing';
  if (/Name or service not known|Temporary failure in name resolution/.test(stderr)) return 'endpoint-unresolvable';
  if (/Operation not permitted|must be run as root|Permission denied/.test(stderr)) return 'permission-denied';
  return 'up-failed';
}
