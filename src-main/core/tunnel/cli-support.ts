/**
 * What the `up`/`down`/`status` commands share: act directly as root (the same controller the helper runs), else
 * through the helper; resolve PROFILE (a stored name, or a path that is imported first). Environment: plain Node.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TunnelStatus } from '../../contract/tunnel';
import type { CoreServices } from '../app/services';
import { profileStoreOf } from '../profiles';
import { ProfileStoreError } from '../profiles';
import { isHelperHeld } from '../profiles/store';
import { failureStatus } from './controller';
import { callHelper, callHelperDoc, HELPER_PATH } from './helper-client';
import { serviceEndpointOf } from './service-client';
import { upThroughHelper } from './helper-up';
import { tunnelControllerOf } from './service';

/**
 * Root on Linux/macOS drives the backend itself (CI, the lab, IT scripts). Everyone else — and everyone on Windows,
 * where there is no uid and the tunnel service does the privileged work — goes through the helper (pkexec on Linux,
 * the helper service on macOS/Windows: `helper-client.ts`).
 */
export function actsDirectly(platform: NodeJS.Platform = process.platform): boolean {
  if (platform === 'win32') return false;
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Whether a helper is there to ask for status without acting (report): pkexec's helper on Linux, the service elsewhere. */
export function helperReachable(platform: NodeJS.Platform = process.platform): boolean {
  return serviceEndpointOf(platform) !== null || fs.existsSync(HELPER_PATH);
}

export class ProfileArgError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
  }
}

/** A path is imported first (an existing profile with the same name is used as stored, with a note). */
export async function resolveProfileArg(core: CoreServices, arg: string, cwd: string, isPath: boolean, note: (t: string) => void): Promise<string> {
  const store = profileStoreOf(core);
  if (!isPath) {
    const v = await store.get(arg);
    if (!v) throw new ProfileArgError(`no profile named "${arg}"; see \`longhaul profile list\` (or give the path of a .conf file)`, 2);
    return v.name;
  }
  const file = path.resolve(cwd, arg);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(fs.readFileSync(file));
  } catch (e) {
    throw new ProfileArgError(`cannot read ${arg}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 2);
  }
  const batch = await store.import({ fileName: path.basename(file), bytes });
  const entry = batch.entries[0];
  if (!entry) throw new ProfileArgError(`${arg}: no profile found in it`, 1);
  if (entry.profile) {
    note(`imported ${entry.name} from ${path.basename(file)}`);
    return entry.name;
  }
  if (entry.errors.length === 1 && entry.errors[0]!.code === 'name.exists') {
    const existing = await store.get(entry.name);
    if (existing) {
      note(`using the stored profile "${existing.name}" (a profile with this name was imported before; \`longhaul profile remove ${existing.name}\` to replace it)`);
      return existing.name;
    }
  }
  const lines = entry.errors.map((e) => `  ${entry.fileName}${e.line ? `:${e.line}` : ''}: ${e.message}`);
  throw new ProfileArgError(`${arg} is not a usable profile:\n${lines.join('\n')}`, 1);
}

export async function canonicalTextOf(core: CoreServices, name: string): Promise<string> {
  try {
    return await profileStoreOf(core).canonicalText(name);
  } catch (e) {
    if (e instanceof ProfileStoreError) throw new ProfileArgError(e.message, e.code === 'not-found' ? 2 : 1);
    throw e;
  }
}

/** A site provisioned by policy whose keys only the helper can read (metadata-only record). */
export async function isHelperHeldName(core: CoreServices, name: string): Promise<boolean> {
  const lower = name.toLowerCase();
  const rec = (await profileStoreOf(core).records()).find((r) => r.name.toLowerCase() === lower);
  return rec !== undefined && isHelperHeld(rec);
}

/**
 * Root acting directly on its own store: keep a profile's hooks only when it was provisioned by managed policy with
 * `allowScripts` and the policy read now still allows scripts (a policy that withdrew the permission wins at once).
 * The root store is written only by root, from IT's bundles. Any other record keeps the refusal.
 */
export async function hooksApprovedFor(core: CoreServices, name: string): Promise<boolean> {
  const lower = name.toLowerCase();
  const rec = (await profileStoreOf(core).records()).find((r) => r.name.toLowerCase() === lower);
  if (!rec || rec.origin !== 'policy' || !rec.allowScripts) return false;
  return (await core.policy.read()).policy.allowScripts === true;
}

export async function upTunnel(
  core: CoreServices,
  name: string,
  opts: { waitSec: number; force: boolean; signal?: AbortSignal; onProgress?: (s: TunnelStatus) => void },
): Promise<TunnelStatus> {
  if (actsDirectly()) {
    const c = await tunnelControllerOf(core);
    return c.up({ name, text: await canonicalTextOf(core, name), ...opts, hooksApproved: await hooksApprovedFor(core, name) });
  }
  return upThroughHelper(core, name, (await isHelperHeldName(core, name)) ? null : await canonicalTextOf(core, name), opts);
}

export async function downTunnel(core: CoreServices, name: string): Promise<TunnelStatus> {
  if (actsDirectly()) {
    const c = await tunnelControllerOf(core);
    let text: string | undefined;
    try {
      text = await canonicalTextOf(core, name);
    } catch {}
    // Root acting on its own stored profile (e.g. a tunnel brought up with wg-quick before Longhaul ran): allowed
    // through the canonical file only — wg-quick refuses any interface that is not WireGuard, and nothing is deleted
    // by name without Longhaul's marker.
    return c.down(name, text, { allowUnmarked: text !== undefined, hooksApproved: text !== undefined && (await hooksApprovedFor(core, name)) });
  }
  return (await callHelper(core.runner, 'down', name))[0]!;
}

/**
 * Live status. The helper reads only Longhaul's own tunnels (it refuses any other NAME with `notLonghaul`, running
 * nothing); for a profile of this user's own store that refusal only means Longhaul has not brought it up:
 * `disconnected`. Root acting directly vouches for its own store's names and Longhaul's markers, nothing else.
 */
export async function tunnelStatuses(core: CoreServices, name: string | null): Promise<TunnelStatus[]> {
  if (!actsDirectly()) {
    if (name === null) return callHelper(core.runner, 'status', null);
    const r = await callHelperDoc(core.runner, 'status', name);
    if (!r.ok) return [r.failure];
    const tunnels = r.doc.tunnels ?? [];
    if (!r.doc.notLonghaul?.includes(name) || !(await profileStoreOf(core).get(name))) return tunnels;
    return tunnels.map((t) => (t.name === name ? { ...failureStatus(name, t.interface, 'up-failed', ''), state: 'disconnected' as const, reason: null, message: null } : t));
  }
  const c = await tunnelControllerOf(core);
  const stored = new Set((await profileStoreOf(core).list()).map((p) => p.name));
  const names = name ? [(await profileStoreOf(core).get(name))?.name ?? name] : [...new Set([...stored, ...c.known()])].sort();
  return Promise.all(names.map((n) => c.status(n, { allowUnmarked: stored.has(n) })));
}
