/**
 * The one profile resolver: what the user or the page named — a profile FILE, a stored NAME, or nothing (the one
 * connected tunnel) — to the profile, its site, its secrets (for redaction) and the checks' target. Used by the CLI
 * commands, the contract handlers, the report and the stream gate; every failure is one `ProfileResolveError` with a
 * stable code (`resolve-error.ts`), which the CLI turns into exit 2 and the handlers into `contractFailureOf(err)`.
 * Environment: plain Node.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ContractFailure, type ErrorCode } from '../../contract/define';
import type { ProfileView, Site } from '../../contract/profiles';
import { targetFromProfile, targetFromView } from './check-target';
import type { CheckTarget } from '../checks/types';
import type { Redactor } from '../log/redact';
import { isValidInterfaceName } from './names';
import { parseProfile } from './parse';
import { isPathLike, noProfileNamed, ProfileResolveError, type ProfileResolveCode } from './resolve-error';
import { parseSiteFile } from './site';
import type { ProfileStore } from './store';
import type { ParseResult, WgProfile } from './types';

export { isPathLike, noProfileNamed, ProfileResolveError, type ProfileResolveCode } from './resolve-error';

export interface ResolveInput {
  /** A profile file's path or a stored profile's name; absent/null: the one connected tunnel. */
  profile?: string | null;
  /**
   * `cli`: a path-like argument (`isPathLike`) is a file relative to `cwd`. `app`: the page names stored profiles only;
   * nothing is ever read as a file, however it looks (the contract refuses paths already; this holds for direct calls).
   */
  from: 'cli' | 'app';
  cwd?: string;
  /** What a file becomes: `read` (parsed in place, not stored: diagnose, report, stream) or `import` (stored first: up). */
  file?: 'read' | 'import';
  /** A file that does not parse is returned with its issues instead of throwing (the report describes it). */
  keepInvalid?: boolean;
  /** The tunnel interface when it differs from the profile name; also names the connected tunnel to use. */
  interfaceName?: string | null;
  /** A site given explicitly (wins over `siteFile` and the stored profile's site). */
  site?: Site | null;
  /** A site file to load (relative to `cwd`). */
  siteFile?: string | null;
  /** Also collect the key values (registered with the redactor when deps has one). */
  secrets?: boolean;
}

export interface ResolvedProfile {
  name: string;
  /** How it was found: a file read in place, a file imported, a stored name, or the one connected tunnel. */
  how: 'file' | 'imported' | 'stored' | 'connected';
  /** Absolute path of the profile file (file, imported), else null. */
  file: string | null;
  /** The file's bytes when read in place (the report scans them for keys even when they do not parse). */
  bytes: Uint8Array | null;
  /** The stored profile (stored, connected, imported). */
  view: ProfileView | null;
  /** The parse of a file read in place. */
  parsed: ParseResult | null;
  site: Site | null;
  /** Where the site came from. */
  siteFrom: { kind: 'file'; path: string } | { kind: 'profile' } | null;
  /** Key values (only with `secrets: true`; empty when the key store is locked). */
  secrets: string[];
  /** Null only for an invalid file kept with `keepInvalid`. */
  target: CheckTarget | null;
  /** Things worth telling the user (a file imported, a stored profile used instead). */
  notes: string[];
  warnings: string[];
}

export interface ResolveDeps {
  profiles: Pick<ProfileStore, 'get' | 'list' | 'load' | 'import'>;
  /** WireGuard interfaces up here; may throw a `ProfileResolveError` (`profile.connected-unknown`). */
  connectedTunnels(): Promise<string[]>;
  redactor?: Pick<Redactor, 'addSecret'>;
}

function readBytes(file: string, what: 'profile' | 'site file'): Uint8Array {
  try {
    return new Uint8Array(fs.readFileSync(file));
  } catch (err) {
    throw new ProfileResolveError(what === 'profile' ? 'profile.unreadable' : 'site.unreadable', `cannot read ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** A site file, parsed (warnings to `onWarning`); `site.unreadable` / `site.invalid` naming file and line. */
export function loadSiteFile(file: string, onWarning?: (message: string) => void): Site {
  const r = parseSiteFile(readBytes(file, 'site file'), path.basename(file));
  if (!r.site) throw new ProfileResolveError('site.invalid', `${file}: ${r.errors.map((e) => (e.line ? `line ${e.line}: ${e.message}` : e.message)).join('; ')}`);
  for (const w of r.warnings) onWarning?.(w.message);
  return r.site;
}

const MAX_ISSUES = 5;

/** "ARG is not a usable profile", naming file and line of each problem (the first few). */
function invalidFile(arg: string, where: string, issues: readonly { line: number | null; message: string }[]): ProfileResolveError {
  const lines = issues.slice(0, MAX_ISSUES).map((e) => `  ${where}${e.line ? `:${e.line}` : ''}: ${e.message}`);
  const more = issues.length > MAX_ISSUES ? `\n  … ${issues.length - MAX_ISSUES} more` : '';
  return new ProfileResolveError('profile.invalid', `${arg} is not a usable profile:\n${lines.join('\n')}${more}\n(run \`longhaul profile check ${arg}\` for every problem)`);
}

function keysOf(p: WgProfile): string[] {
  return [p.interface.privateKey, ...p.peers.map((x) => x.presharedKey ?? '')].filter(Boolean);
}

export async function resolveProfile(input: ResolveInput, deps: ResolveDeps): Promise<ResolvedProfile> {
  const cwd = input.cwd ?? process.cwd();
  const iface = input.interfaceName ?? null;
  const siteFile = input.site ? null : input.siteFile ? path.resolve(cwd, input.siteFile) : null;
  const explicitSite = input.site ?? (siteFile ? loadSiteFile(siteFile) : null);
  const arg = input.profile ?? null;
  const warnings: string[] = [];
  const register = (keys: string[]) => {
    for (const k of keys) deps.redactor?.addSecret(k);
    return keys;
  };
  const base = { bytes: null, parsed: null, notes: [] as string[], warnings };
  const siteFrom = siteFile ? ({ kind: 'file', path: siteFile } as const) : null;

  if (input.from === 'app' && arg !== null && (isPathLike(arg) || !isValidInterfaceName(arg))) {
    throw new ProfileResolveError('profile.not-a-name', 'the profile given is not a stored profile name (the app never reads a file the page names); choose one on the Profiles page');
  }

  if (arg !== null && input.from === 'cli' && isPathLike(arg)) {
    const file = path.resolve(cwd, arg);
    const bytes = readBytes(file, 'profile');
    if (input.file === 'import') return importFile(arg, file, bytes, input, deps, { explicitSite, siteFrom, register, warnings });
    const parsed = parseProfile(bytes, { fileName: path.basename(file), origin: 'user' });
    if (!parsed.profile && !input.keepInvalid) throw invalidFile(arg, arg, parsed.errors);
    const name = path.basename(file).replace(/\.conf$/i, '');
    warnings.push(...[...parsed.errors, ...parsed.warnings].map((w) => (w.line === null ? w.message : `line ${w.line}: ${w.message}`)));
    return {
      ...base,
      name,
      how: 'file',
      file,
      bytes,
      view: null,
      parsed,
      site: explicitSite,
      siteFrom,
      secrets: input.secrets && parsed.profile ? register(keysOf(parsed.profile)) : [],
      target: parsed.profile ? targetFromProfile(parsed.profile, name, iface, explicitSite) : null,
    };
  }

  let name = arg;
  if (name === null) {
    const up = iface ? [iface] : await deps.connectedTunnels();
    if (up.length !== 1) {
      const stored = (await deps.profiles.list()).map((p) => p.name);
      const how = input.from === 'app' ? 'choose a profile' : 'pass --profile FILE|NAME';
      if (up.length === 0) throw new ProfileResolveError('profile.none-connected', `no tunnel is connected: connect first, or ${how}${stored.length ? ` (stored: ${stored.join(', ')})` : ''}`);
      throw new ProfileResolveError('profile.ambiguous', `several tunnels are connected (${up.join(', ')}); ${input.from === 'app' ? 'choose a profile' : 'pass --profile NAME or --interface NAME'}`);
    }
    name = up[0]!;
  }
  const view = await deps.profiles.get(name);
  if (!view) {
    if (arg === null) throw new ProfileResolveError('profile.not-found', `the connected tunnel ${name} is not a stored profile; ${input.from === 'app' ? 'import it on the Profiles page' : 'pass --profile FILE'}`);
    const stored = (await deps.profiles.list()).map((p) => p.name);
    throw new ProfileResolveError('profile.not-found', noProfileNamed(name, { stored, audience: input.from, filesAccepted: input.from === 'cli' }));
  }
  return stored(view, arg === null ? 'connected' : 'stored', null, input, deps, { explicitSite, siteFrom, register, warnings });
}

interface Ctx {
  explicitSite: Site | null;
  siteFrom: ResolvedProfile['siteFrom'];
  register(keys: string[]): string[];
  warnings: string[];
}

async function stored(view: ProfileView, how: ResolvedProfile['how'], file: string | null, input: ResolveInput, deps: ResolveDeps, ctx: Ctx): Promise<ResolvedProfile> {
  let secrets: string[] = [];
  if (input.secrets) {
    try {
      secrets = ctx.register(keysOf(await deps.profiles.load(view.name)));
    } catch {
      // The key store is locked, the secret is missing or the helper holds it: the view carries no key.
    }
  }
  ctx.warnings.push(...view.warnings.map((w) => w.message));
  const site = ctx.explicitSite ?? view.site ?? null;
  return {
    name: view.name,
    how,
    file,
    bytes: null,
    view,
    parsed: null,
    site,
    siteFrom: ctx.explicitSite ? ctx.siteFrom : view.site ? { kind: 'profile' } : null,
    secrets,
    target: targetFromView(view, input.interfaceName ?? null, ctx.explicitSite),
    notes: [],
    warnings: ctx.warnings,
  };
}

/** `up FILE`: import first; a profile of the same name stored before is used as stored (with a note). */
async function importFile(arg: string, file: string, bytes: Uint8Array, input: ResolveInput, deps: ResolveDeps, ctx: Ctx): Promise<ResolvedProfile> {
  const batch = await deps.profiles.import({ fileName: path.basename(file), bytes });
  const entry = batch.entries[0];
  if (!entry) throw new ProfileResolveError('profile.invalid', `${arg} is not a usable profile: no profile found in it`);
  const where = entry.fileName === path.basename(file) ? arg : `${arg}: ${entry.fileName}`;
  let note: string;
  let view: ProfileView | null;
  if (entry.profile) {
    view = entry.profile;
    note = `imported ${entry.name} from ${path.basename(file)}`;
  } else if (entry.errors.length === 1 && entry.errors[0]!.code === 'name.exists' && (view = await deps.profiles.get(entry.name))) {
    note = `using the stored profile "${view.name}" (a profile with this name was imported before; \`longhaul profile remove ${view.name}\` to replace it)`;
  } else throw invalidFile(arg, where, entry.errors);
  const r = await stored(view, 'imported', file, input, deps, ctx);
  r.notes.push(note);
  return r;
}

/** The checks' target of a resolved profile (null only for an invalid file kept with `keepInvalid`). */
export function checkTargetOf(r: ResolvedProfile): CheckTarget {
  if (!r.target) throw new ProfileResolveError('profile.invalid', `${r.file ?? r.name} is not a usable profile`);
  return r.target;
}

const CONTRACT_CODE: Record<ProfileResolveCode, ErrorCode> = {
  'profile.not-found': 'not-found',
  'profile.ambiguous': 'conflict',
  'profile.invalid': 'invalid-input',
  'profile.unreadable': 'not-found',
  'profile.none-connected': 'unavailable',
  'profile.connected-unknown': 'unavailable',
  'profile.not-a-name': 'invalid-input',
  'site.unreadable': 'not-found',
  'site.invalid': 'invalid-input',
};

/** The contract's typed failure for a resolve error: its code mapped, the stable code in `details.reason`. */
export function contractFailureOf(err: ProfileResolveError): ContractFailure {
  return new ContractFailure(CONTRACT_CODE[err.code], err.message, { reason: err.code });
}

/** Run `fn`; a `ProfileResolveError` becomes its `ContractFailure` (for handlers). */
export async function asContract<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ProfileResolveError) throw contractFailureOf(err);
    throw err;
  }
}
