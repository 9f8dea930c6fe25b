/**
 * The one error of profile resolution (`resolve.ts`), its stable codes, the one "no profile named X" message and the
 * one "is this argument a path?" rule. No dependencies, so the store, the CLI and the handlers can all use it.
 * Environment: plain Node (neutral code).
 */
import { quote } from '../log/quote';

export const PROFILE_RESOLVE_CODES = [
  /** A name that is not stored (or the connected tunnel is not a stored profile). */
  'profile.not-found',
  /** Several tunnels are connected and none was named. */
  'profile.ambiguous',
  /** A profile file that does not parse (the message names file and line). */
  'profile.invalid',
  /** A profile file that cannot be read. */
  'profile.unreadable',
  /** No profile was named and no tunnel is connected. */
  'profile.none-connected',
  /** No profile was named and the connected tunnels cannot be listed here (another OS, no `wg`, an error). */
  'profile.connected-unknown',
  /** The app named something that is not a stored profile's name (a path, or an impossible name). */
  'profile.not-a-name',
  'site.unreadable',
  'site.invalid',
] as const;
export type ProfileResolveCode = (typeof PROFILE_RESOLVE_CODES)[number];

export class ProfileResolveError extends Error {
  constructor(
    readonly code: ProfileResolveCode,
    message: string,
  ) {
    super(message);
    this.name = 'ProfileResolveError';
  }
}

/** The profiles issue's rule: an argument is a path exactly when it contains a path separator or ends in .conf/.zip. */
export function isPathLike(arg: string): boolean {
  return arg.includes('/') || arg.includes('\\') || /\.(conf|zip)$/i.test(arg);
}

const MAX_LISTED = 10;

/**
 * "no profile named X": which profiles are stored (when known) and how to get X in. `audience` picks the hint:
 * `cli` names the commands (and, where a file is accepted, the path form); `app` the Profiles page.
 */
export function noProfileNamed(name: string, opts: { stored?: readonly string[]; audience?: 'cli' | 'app'; filesAccepted?: boolean } = {}): string {
  const { stored, audience = 'cli' } = opts;
  let known = '';
  if (stored) {
    const shown = stored.slice(0, MAX_LISTED).join(', ');
    known = stored.length === 0 ? ' (no profiles are stored yet)' : ` (stored: ${shown}${stored.length > MAX_LISTED ? `, … ${stored.length - MAX_LISTED} more` : ''})`;
  }
  if (audience === 'app') return `no profile named ${quote(name, 32)}${known}; import it on the Profiles page`;
  const file = opts.filesAccepted ? ', or give the path of its .conf file' : '';
  return `no profile named ${quote(name, 32)}${known}; see \`longhaul profile list\`, import it with \`longhaul profile import FILE\`${file}`;
}
