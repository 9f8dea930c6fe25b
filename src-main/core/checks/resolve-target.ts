/**
 * Which tunnel a diagnosis is about — shared by `longhaul diagnose`, `longhaul stream`'s gate and the report:
 * `--profile FILE|NAME` (a .conf file, or a stored profile), else the single connected WireGuard interface (Linux
 * `wg show interfaces`, keeping only interfaces that exist in this network namespace), with the site from
 * `--site FILE` or the stored profile. Environment: plain Node.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Site } from '../../contract/profiles';
import type { CoreServices } from '../app/services';
import { readLink } from './probes/interface-linux';
import { targetFromProfile, targetFromView } from './target';
import type { CheckTarget } from './types';
import { isValidInterfaceName, parseProfile } from '../profiles';
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

export function loadSiteFile(file: string, onWarning?: (message: string) => void): Site {
  const r = parseSiteFile(read(file, 'site file'), path.basename(file));
  if (!r.site) throw new TargetError(`${file}: ${r.errors.map((e) => e.message).join('; ')}`);
  for (const w of r.warnings) onWarning?.(w.message);
  return r.site;
}

/**
 * WireGuard interfaces that are up in this network namespace. wireguard-go's sockets in /var/run/wireguard are shared
 * by every namespace, so `wg show interfaces` alone would also list other namespaces' tunnels.
 */
export async function connectedTunnels(core: CoreServices): Promise<string[]> {
  if (process.platform !== 'linux') throw new TargetError('pass --profile NAME: finding the connected tunnel by itself works on Linux only so far');
  const r = await core.runner.run('wg', ['show', 'interfaces'], { timeoutMs: 5000, okCodes: 'any' }).catch((err: Error) => {
    throw new TargetError(`cannot list WireGuard interfaces: ${err.message}`);
  });
  if (r.code !== 0) throw new TargetError(`cannot list WireGuard interfaces (wg show interfaces): ${r.stderr.trim() || `exit ${r.code}`}`);
  const names = r.stdout.split(/\s+/).filter(Boolean);
  const here = await Promise.all(names.map(async (n) => ((await readLink(core.runner, n)) ? n : null)));
  return here.filter((n): n is string => n !== null);
}

export interface TargetRequest {
  profile?: string;
  site?: Site | null;
  interfaceName?: string | null;
  cwd?: string;
  /**
   * The request came from the renderer: `profile` is a stored profile's name and is never read as a file, however it
   * looks (the contract refuses paths already; this holds even if a handler is called directly).
   */
  storedOnly?: boolean;
}

export async function resolveCheckTarget(core: CoreServices, req: TargetRequest): Promise<CheckTarget> {
  const iface = req.interfaceName ?? null;
  const site = req.site ?? null;
  if (req.storedOnly && req.profile !== undefined && (isPath(req.profile) || !isValidInterfaceName(req.profile))) {
    throw new TargetError('the profile given is not a stored profile name (the app never reads a file the page names); choose one on the Profiles page');
  }
  if (req.profile && isPath(req.profile)) {
    const file = path.resolve(req.cwd ?? process.cwd(), req.profile);
    const parsed = parseProfile(read(file, 'profile'), { fileName: path.basename(file), origin: 'user' });
    if (!parsed.profile) {
      const first = parsed.errors.slice(0, 3).map((e) => `${req.profile}${e.line ? `:${e.line}` : ''}: ${e.message}`);
      throw new TargetError(`the profile is not valid:\n${first.join('\n')}\n(run \`longhaul profile check ${req.profile}\` for every problem)`);
    }
    return targetFromProfile(parsed.profile, path.basename(file).replace(/\.conf$/i, ''), iface, site);
  }
  const store = profileStoreOf(core);
  let name = req.profile;
  if (!name) {
    const up = iface ? [iface] : await connectedTunnels(core);
    if (up.length !== 1) {
      const stored = (await store.list()).map((p) => p.name);
      throw new TargetError(
        up.length === 0
          ? `no tunnel is connected: connect first, or pass --profile FILE|NAME${stored.length ? ` (stored: ${stored.join(', ')})` : ''}`
          : `several tunnels are connected (${up.join(', ')}); pass --profile NAME or --interface NAME`,
      );
    }
    name = up[0]!;
  }
  const view = await store.get(name);
  if (!view) throw new TargetError(`no stored profile named "${name}"; see \`longhaul profile list\`, or pass --profile FILE`);
  return targetFromView(view, iface, site);
}
