/**
 * The real report sources, built from the core services and the user's selection. Environment: plain Node.
 * Profile selection as in `diagnose`: a file path, a stored profile's name, or (Linux) the one connected tunnel.
 * Read-only: nothing here changes tunnel state. Tunnel status and stream history plug in when their modules exist.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Site } from '../../contract/profiles';
import type { CoreServices } from '../app/services';
import { createCheckSystem, runDiagnosis } from '../checks/run';
import { targetFromProfile, targetFromView } from '../checks/target';
import type { CheckTarget } from '../checks/types';
import { parseProfile } from '../profiles';
import { profileStoreOf } from '../profiles/service';
import { parseSiteFile } from '../profiles/site';
import { LastCapacityStore } from '../capacity/last-result';
import { SessionHistory } from '../stream/history';
import { locateMoonlight } from '../stream/locate';
import { actsDirectly, helperReachable, tunnelStatuses } from '../tunnel/cli-support';
import { formatVersion } from '../stream/version';
import type { DiagnosisData } from './model';
import type { ProfileInEffect, ReportSources, SiteInEffect } from './sources';
import { connectedTunnels } from '../checks/resolve-target';

export interface ReportSelection {
  /** A profile file path, or a stored profile's name; null = the connected tunnel (Linux), if exactly one. */
  profile?: string | null;
  site?: string | null;
  cwd?: string;
  /** Override the tunnel status source (tests); default: the tunnel module, read directly when root. */
  tunnelStatus?: () => Promise<unknown>;
  /** Override the stream history source (tests); default: `<data dir>/state/stream-sessions.jsonl`. */
  streamHistory?: () => Promise<unknown[]>;
}

/** The selection, resolved: what the report describes and what diagnose runs against. */
export interface ResolvedSelection {
  profile: ProfileInEffect | null;
  /** Why there is no profile (no selection, no single connected tunnel). */
  profileMissing: string;
  target: CheckTarget | null;
  site: SiteInEffect | null;
}

/** A failure of the user's selection (bad path, unknown name): the CLI turns it into exit 2 with this text. */
export class SelectionError extends Error {}

// `[^\S\n]*` (blanks, not newlines) after `^`: a leading `\s*` ran from every line start across all the blank lines
// below it (quadratic in a file of blank lines).
const KEY_LINE = /^[^\S\n]*(?:PrivateKey|PresharedKey)\s*=\s*(\S+)/gim;

/** Every private/preshared key value in a profile's raw text, parsed or not (so a broken file still leaks nothing). */
export function keysInProfileText(text: string): string[] {
  return [...text.matchAll(KEY_LINE)].map((m) => m[1]!);
}

export function isPathArg(arg: string): boolean {
  return arg.includes('/') || arg.includes('\\') || /\.(conf|zip)$/i.test(arg);
}

function readText(file: string, what: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new SelectionError(`cannot read ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

const HOSTLIKE = /^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}\.?$/;
/** Hostname-looking strings anywhere in a value (endpoints, site hosts): pseudonymised in strict mode. */
export function hostnamesIn(v: unknown, into = new Set<string>()): string[] {
  if (typeof v === 'string') {
    for (const w of v.split(/[\s,]+/)) {
      const h = w.replace(/^[a-z]+:\/\//i, '').replace(/^\[.*\]/, '').replace(/[:/].*$/, '');
      if (HOSTLIKE.test(h)) into.add(h);
    }
  } else if (Array.isArray(v)) v.forEach((x) => hostnamesIn(x, into));
  else if (v && typeof v === 'object') Object.values(v).forEach((x) => hostnamesIn(x, into));
  return [...into];
}

function loadSiteFile(file: string): { info: SiteInEffect; site: Site | null } {
  const text = readText(file, 'site file');
  const r = parseSiteFile(text, path.basename(file));
  if (!r.site) throw new SelectionError(`${file}: ${r.errors.map((e) => (e.line ? `line ${e.line}: ${e.message}` : e.message)).join('; ')}`);
  return { info: { path: file, data: r.site, hostnames: hostnamesIn(r.site) }, site: r.site };
}

/** The report never fails for want of a tunnel list: no tools, another OS or an error means "none found". */
async function connectedTunnelsOrNone(core: CoreServices): Promise<string[]> {
  if (!core.runner.which('wg')) return [];
  return connectedTunnels(core).catch(() => []);
}

export async function resolveSelection(core: CoreServices, sel: ReportSelection): Promise<ResolvedSelection> {
  const cwd = sel.cwd ?? process.cwd();
  const siteLoaded = sel.site ? loadSiteFile(path.resolve(cwd, sel.site)) : null;
  const siteObj = siteLoaded?.site ?? null;
  const arg = sel.profile ?? null;
  if (arg && isPathArg(arg)) {
    const file = path.resolve(cwd, arg);
    const text = readText(file, 'profile');
    const secrets = keysInProfileText(text);
    for (const s of secrets) core.redactor.addSecret(s);
    const parsed = parseProfile(text, { fileName: path.basename(file), origin: 'user' });
    const name = path.basename(file).replace(/\.conf$/i, '');
    let hostnames: string[] = [];
    if (parsed.profile) {
      secrets.push(parsed.profile.interface.privateKey, ...parsed.profile.peers.map((p) => p.presharedKey ?? '').filter(Boolean));
      hostnames = parsed.profile.peers.flatMap((p) => (p.endpoint ? [p.endpoint.host] : []));
    }
    return {
      profile: {
        name,
        source: 'file',
        profile: parsed.profile ?? { errors: parsed.errors },
        secrets,
        hostnames,
        warnings: [...parsed.errors, ...parsed.warnings].map((w) => (w.line === null ? w.message : `line ${w.line}: ${w.message}`)),
      },
      profileMissing: '',
      target: parsed.profile ? targetFromProfile(parsed.profile, name, null, siteObj) : null,
      site: siteLoaded?.info ?? null,
    };
  }
  let name = arg;
  if (!name) {
    const up = await connectedTunnelsOrNone(core);
    if (up.length !== 1) {
      const why = up.length === 0 ? 'no profile selected and no tunnel is connected' : `no profile selected and several tunnels are connected (${up.join(', ')})`;
      return { profile: null, profileMissing: why, target: null, site: siteLoaded?.info ?? null };
    }
    name = up[0]!;
  }
  const store = profileStoreOf(core);
  const view = await store.get(name);
  if (!view) {
    if (!arg) return { profile: null, profileMissing: `the connected tunnel ${name} is not a stored profile`, target: null, site: siteLoaded?.info ?? null };
    throw new SelectionError(`no stored profile named "${name}"; see \`longhaul profile list\`, or pass --profile FILE`);
  }
  const secrets: string[] = [];
  try {
    const full = await store.load(name);
    secrets.push(full.interface.privateKey, ...full.peers.map((p) => p.presharedKey ?? '').filter(Boolean));
    for (const s of secrets) core.redactor.addSecret(s);
  } catch {
    // The key store is locked or the secret is missing: the view carries no key, and the global redactor keeps any
    // key this process has seen.
  }
  const site = siteLoaded?.info ?? (view.site ? { path: null, data: view.site, hostnames: hostnamesIn(view.site) } : null);
  return {
    profile: { name: view.name, source: view.origin === 'policy' ? 'policy' : 'store', profile: view, secrets, hostnames: hostnamesIn(view.endpoint), warnings: view.warnings.map((w) => w.message) },
    profileMissing: '',
    target: targetFromView(view, null, siteObj),
    site,
  };
}

export function reportSourcesFromCore(core: CoreServices, resolved: ResolvedSelection, sel: ReportSelection = {}): ReportSources {
  const { target } = resolved;
  return {
    diagnose: target
      ? async (signal): Promise<DiagnosisData> => {
          const d = await runDiagnosis(target, createCheckSystem(core.runner), { signal });
          if (d.cancelled) throw new Error('the checks were cancelled');
          return { verdict: d.verdict, findings: d.findings, checks: d.checks.map((c) => ({ ...c })), pathMtu: d.pathMtu, rttMs: d.rttMs, durationMs: d.durationMs, profile: target.profileName, interface: target.interfaceName };
        }
      : async () => {
          throw new Error(`the checks did not run: ${resolved.profileMissing || 'no profile'}`);
        },
    // Read-only: status only. Without root it goes through the helper's `status` verb, which the polkit policy allows
    // for active sessions without a password (resources/linux/…helper.policy) — or the helper service on macOS/Windows;
    // where the helper is not installed the
    // report says the status is unavailable rather than failing.
    tunnelStatus: sel.tunnelStatus ?? (actsDirectly() || helperReachable() ? () => tunnelStatuses(core, resolved.profile?.name ?? null) : undefined),
    streamHistory: sel.streamHistory ?? (async () => new SessionHistory(core.paths.state).list(100)),
    capacity: resolved.profile ? async () => new LastCapacityStore(core.paths.state).get(resolved.profile!.name) : undefined,
    profile: async () => resolved.profile,
    site: async () => resolved.site,
    policy: () => core.policy.read(),
    logFiles: () => core.logFiles(),
    missing: {
      profile: resolved.profileMissing || undefined,
      capacity: resolved.profile ? `the line has not been measured for ${resolved.profile.name} (longhaul capacity)` : 'no profile selected',
      tunnel: 'tunnel status needs the privileged helper; the report does not ask for it (run `longhaul status`)',
    },
    env: {
      runner: core.runner,
      moonlight: async () => {
        const r = await locateMoonlight({ runner: core.runner });
        if (!r.found) return { path: null, version: null, error: r.hint };
        const i = r.install;
        return { path: i.executable, version: i.version ? formatVersion(i.version) : i.versionText, error: i.versionError ?? null };
      },
    },
  };
}
