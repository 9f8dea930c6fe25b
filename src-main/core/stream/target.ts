/**
 * Which tunnel the stream gate checks: `--profile FILE|NAME` (a .conf file, or a stored profile), else the single
 * connected WireGuard interface (Linux `wg show interfaces`), with the site from `--site FILE` or the stored profile.
 * The same resolution as `longhaul diagnose`. Environment: plain Node.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Site } from '../../contract/profiles';
import type { CoreServices } from '../app/services';
import { targetFromProfile, targetFromView } from '../checks/target';
import type { CheckTarget } from '../checks/types';
import { parseProfile } from '../profiles';
import { profileStoreOf } from '../profiles/service';
import { parseSiteFile } from '../profiles/site';

export class TargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetError';
  }
}

const isPath = (arg: string) => arg.includes('/') || arg.includes('\\') || /\.(conf|zip)$/i.test(arg);

function read(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new TargetError(`cannot read ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

export function loadSiteFile(file: string): Site {
  const r = parseSiteFile(read(file, 'site file'), path.basename(file));
  if (!r.site) throw new TargetError(`${file}: ${r.errors.map((e) => e.message).join('; ')}`);
  return r.site;
}

async function connectedTunnels(core: CoreServices): Promise<string[]> {
  if (process.platform !== 'linux') throw new TargetError('pass --profile NAME: finding the connected tunnel by itself works on Linux only so far');
  const r = await core.runner.run('wg', ['show', 'interfaces'], { timeoutMs: 5000, okCodes: 'any' }).catch((err: Error) => {
    throw new TargetError(`cannot list WireGuard interfaces: ${err.message}`);
  });
  if (r.code !== 0) throw new TargetError(`cannot list WireGuard interfaces (wg show interfaces): ${r.stderr.trim() || `exit ${r.code}`}`);
  return r.stdout.split(/\s+/).filter(Boolean);
}

export interface TargetRequest {
  profile?: string;
  site?: Site | null;
  interfaceName?: string | null;
  cwd?: string;
}

export async function resolveCheckTarget(core: CoreServices, req: TargetRequest): Promise<CheckTarget> {
  const iface = req.interfaceName ?? null;
  const site = req.site ?? null;
  if (req.profile && isPath(req.profile)) {
    const file = path.resolve(req.cwd ?? process.cwd(), req.profile);
    const parsed = parseProfile(read(file, 'profile'), { fileName: path.basename(file), origin: 'user' });
    if (!parsed.profile) {
      const first = parsed.errors.slice(0, 3).map((e) => `${req.profile}${e.line ? `:${e.line}` : ''}: ${e.message}`);
      throw new TargetError(`the profile is not valid:\n${first.join('\n')}`);
    }
    return targetFromProfile(parsed.profile, path.basename(file).replace(/\.conf$/i, ''), iface, site);
  }
  const store = profileStoreOf(core);
  let name = req.profile;
  if (!name) {
    const up = iface ? [iface] : await connectedTunnels(core);
    if (up.length !== 1) {
      throw new TargetError(up.length === 0 ? 'no WireGuard tunnel is connected: connect first (or pass --profile NAME)' : `several tunnels are connected (${up.join(', ')}); pass --profile NAME`);
    }
    name = up[0]!;
  }
  const view = await store.get(name);
  if (!view) throw new TargetError(`no stored profile named "${name}"; see \`longhaul profile list\`, or pass --profile FILE`);
  return targetFromView(view, iface, site);
}
