/**
 * Everything `up` checks before touching the system, each failure with its own reason and plain-words fix:
 * profile valid and hook-free (the same parser as import), tools installed, interface name free, no route conflict
 * (unless forced), endpoint host names resolvable. Environment: plain Node.
 */
import * as fs from 'node:fs';
import * as dns from 'node:dns/promises';
import * as net from 'node:net';
import type { TunnelReason } from '../../contract/tunnel';
import type { Finding } from '../findings/finding';
import { globalRedactor } from '../log/redact';
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

/** Parse and validate canonical text exactly as import does; refuse hooks. Registers the keys with the redactor. */
export function validateProfileText(name: string, text: string): WgProfile {
  if (!isValidInterfaceName(name)) throw new TunnelFailure('profile-invalid', `"${name}" is not a valid profile name (1–15 of letters, digits, _ = + . -).`);
  const r = parseProfile(text, { fileName: `${name}.conf`, origin: 'user', allowScripts: false });
  if (r.errors.some((e) => e.code.startsWith('hook'))) throw new TunnelFailure('hooks-refused', reasonMessage('hooks-refused', { name }));
  if (!r.profile) {
    const detail = r.errors.map((e) => `${name}.conf${e.line ? `:${e.line}` : ''}: ${e.message}`).join('; ');
    throw new TunnelFailure('profile-invalid', reasonMessage('profile-invalid', { name, detail }), { errors: r.errors });
  }
  globalRedactor.addSecret(r.profile.interface.privateKey);
  for (const p of r.profile.peers) if (p.presharedKey) globalRedactor.addSecret(p.presharedKey);
  return r.profile;
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
    await dns.lookup(host);
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
