/**
 * The real report sources, built from the core services and the user's selection. Environment: plain Node.
 * Profile selection through the one profile resolver (`core/profiles/resolve.ts`), as in `diagnose`: a file path, a
 * stored profile's name, or (Linux) the one connected tunnel.
 * Read-only: nothing here changes tunnel state. (tunnel status as root or through the helper's `status` verb).
 */
import * as path from 'node:path';
import type { CoreServices } from '../app/services';
import { createCheckSystem, diagnosisDocument, runDiagnosis } from '../checks/run';
import type { CheckTarget } from '../checks/types';
import { loadSiteFile, ProfileResolveError, type ResolveInput } from '../profiles/resolve';
import { LastCapacityStore } from '../capacity/last-result';
import { SessionHistory } from '../stream/history';
import { locateMoonlight } from '../stream/locate';
import { actsDirectly, helperReachable } from '../tunnel/service';
import { formatVersion } from '../stream/version';
import type { Diagnosis } from '../../contract/diagnosis';
import type { ProfileInEffect, ReportSources, SiteInEffect } from './sources';

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

// `[^\S\n]*` (blanks, not newlines) after `^`: a leading `\s*` ran from every line start across all the blank lines
// below it (quadratic in a file of blank lines).
const KEY_LINE = /^[^\S\n]*(?:PrivateKey|PresharedKey)\s*=\s*(\S+)/gim;

/** Every private/preshared key value in a profile's raw text, parsed or not (so a broken file still leaks nothing). */
export function keysInProfileText(text: string): string[] {
  return [...text.matchAll(KEY_LINE)].map((m) => m[1]!);
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

/** The site file alone (the report without a profile still describes it). */
function siteOnly(file: string, cwd: string): SiteInEffect {
  const p = path.resolve(cwd, file);
  const data = loadSiteFile(p);
  return { path: p, data, hostnames: hostnamesIn(data) };
}

/** Why the report has no profile when none was named and no tunnel is connected (or none can be listed here). */
const MISSING: Partial<Record<ProfileResolveError['code'], string>> = {
  'profile.none-connected': 'no profile selected and no tunnel is connected',
  'profile.connected-unknown': 'no profile selected and no tunnel is connected',
};

/**
 * The user's selection through the one profile resolver (`core.resolveProfile`), as the report describes it. A file
 * that does not parse is still described (with its issues, and every key-looking value in it redacted); with no
 * profile named, no single connected stored tunnel is "no profile", not an error. Bad input named by the user throws
 * the resolver's `ProfileResolveError`.
 */
export async function resolveReportSelection(core: Pick<CoreServices, 'resolveProfile' | 'redactor'>, sel: ReportSelection & { from?: ResolveInput['from'] }): Promise<ResolvedSelection> {
  const cwd = sel.cwd ?? process.cwd();
  const input: ResolveInput = { profile: sel.profile ?? null, from: sel.from ?? 'cli', cwd, siteFile: sel.site ?? null, keepInvalid: true, secrets: true };
  let r;
  try {
    r = await core.resolveProfile(input);
  } catch (err) {
    if (!(err instanceof ProfileResolveError) || input.profile !== null || err.code.startsWith('site.')) throw err;
    // The site still goes in (it loaded: a bad site file fails before the profile); the report says why no profile.
    return { profile: null, profileMissing: MISSING[err.code] ?? `no profile selected: ${err.message}`, target: null, site: sel.site ? siteOnly(sel.site, cwd) : null };
  }
  const siteInfo: SiteInEffect | null = r.site ? { path: r.siteFrom?.kind === 'file' ? r.siteFrom.path : null, data: r.site, hostnames: hostnamesIn(r.site) } : null;
  if (r.how === 'file') {
    const secrets = keysInProfileText(Buffer.from(r.bytes!).toString('utf8'));
    for (const k of secrets) core.redactor.addSecret(k);
    const p = r.parsed!.profile;
    return {
      profile: {
        name: r.name,
        source: 'file',
        profile: p ?? { errors: r.parsed!.errors },
        secrets: [...secrets, ...r.secrets],
        hostnames: p ? p.peers.flatMap((x) => (x.endpoint ? [x.endpoint.host] : [])) : [],
        warnings: r.warnings,
      },
      profileMissing: '',
      target: r.target,
      site: siteInfo,
    };
  }
  const view = r.view!;
  return {
    profile: { name: view.name, source: view.origin === 'policy' ? 'policy' : 'store', profile: view, secrets: r.secrets, hostnames: hostnamesIn(view.endpoint), warnings: r.warnings },
    profileMissing: '',
    target: r.target,
    site: siteInfo,
  };
}

export function reportSourcesFromCore(core: CoreServices, resolved: ResolvedSelection, sel: ReportSelection = {}): ReportSources {
  const { target } = resolved;
  return {
    diagnose: target
      ? async (signal): Promise<Diagnosis> => {
          const d = await runDiagnosis(target, createCheckSystem(core.runner), { signal });
          if (d.cancelled) throw new Error('the checks were cancelled');
          return diagnosisDocument(d);
        }
      : async () => {
          throw new Error(`the checks did not run: ${resolved.profileMissing || 'no profile'}`);
        },
    // Read-only: status only. Without root it goes through the helper's `status` verb, which the polkit policy allows
    // for active sessions without a password (resources/linux/…helper.policy) — or the helper service on macOS/Windows;
    // where the helper is not installed the
    // report says the status is unavailable rather than failing.
    tunnelStatus: sel.tunnelStatus ?? (actsDirectly() || helperReachable() ? () => core.tunnels.statuses(resolved.profile?.name ?? null) : undefined),
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
