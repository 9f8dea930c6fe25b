/**
 * The privileged helper's whole command language: `up NAME`, `down NAME`, `status [NAME]`. Nothing that carries a
 * file, a path, an option or a command is accepted. NAME is a stored profile name (an interface name: 1–15 of
 * letters, digits, _ = + . -, not starting with '-' or '.', not ending in .conf, not a keyword of the tools: `all`,
 * `interfaces`). Environment: any.
 */
import { isValidInterfaceName } from '../core/profiles/names';

export type HelperRequest = { verb: 'up'; name: string } | { verb: 'down'; name: string } | { verb: 'status'; name: string | null };

export type HelperParse = { ok: true; request: HelperRequest } | { ok: false; error: string };

export const HELPER_USAGE = 'usage: longhaul-helper up NAME | down NAME | status [NAME]';

/**
 * Words the programs the helper runs as root read as keywords where NAME goes, not as an interface: wg(8)
 * `wg show { <interface> | all | interfaces }` (`all` is already refused by the profile-name rule). With these out,
 * NAME is always one literal argv element naming one interface/connection: it never starts with `-` (an option) or
 * `/` and never contains `/` or ends in `.conf` (wg-quick would read it as a file), and nmcli gets it after `id`.
 */
const TOOL_KEYWORDS = new Set(['all', 'interfaces']);

export function isHelperName(name: string): boolean {
  return isValidInterfaceName(name) && !name.startsWith('-') && !name.startsWith('.') && name.length <= 15 && !TOOL_KEYWORDS.has(name.toLowerCase());
}

export function parseHelperArgs(argv: readonly string[]): HelperParse {
  const [verb, name, ...rest] = argv;
  if (rest.length > 0) return { ok: false, error: `too many arguments. ${HELPER_USAGE}` };
  if (verb !== 'up' && verb !== 'down' && verb !== 'status') return { ok: false, error: `unknown verb ${JSON.stringify(verb ?? '')}. ${HELPER_USAGE}` };
  if (name === undefined) {
    if (verb === 'status') return { ok: true, request: { verb, name: null } };
    return { ok: false, error: `${verb} needs a profile NAME. ${HELPER_USAGE}` };
  }
  if (!isHelperName(name)) return { ok: false, error: `${JSON.stringify(name)} is not a stored profile name (1–15 of letters, digits, _ = + . -). ${HELPER_USAGE}` };
  return { ok: true, request: verb === 'status' ? { verb, name } : { verb, name } };
}

/**
 * The helper service (`daemon.ts`: macOS launchd socket, Windows named pipe `\\.\pipe\longhaul-tunnel`) carries one
 * JSON line per request, `{"verb":"up","name":"farm","token":"<hex>"}` (then, `up` only, the profile bytes), and
 * answers with the helper's JSON document. The same language as the pkexec helper: validated here with the same
 * rules; `token` is returned for the daemon to check (it requires one). UNVERIFIED: the Windows SCM host and pipe
 * ACL are designed, not built (docs/tunnel.md).
 */
export const PIPE_NAME = '\\\\.\\pipe\\longhaul-tunnel';

export type PipeParse = { ok: true; request: HelperRequest; token?: string } | { ok: false; error: string };

export function parsePipeRequest(line: string): PipeParse {
  if (line.length > 400) return { ok: false, error: 'request too long' };
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return { ok: false, error: 'request is not JSON' };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { ok: false, error: 'request must be a JSON object' };
  const o = v as Record<string, unknown>;
  const extra = Object.keys(o).filter((k) => k !== 'verb' && k !== 'name' && k !== 'token');
  if (extra.length > 0) return { ok: false, error: `unknown field(s): ${extra.join(', ')}` };
  if (typeof o.verb !== 'string' || (o.name !== undefined && typeof o.name !== 'string')) return { ok: false, error: 'verb and name must be strings' };
  if (o.token !== undefined && (typeof o.token !== 'string' || o.token.length > 256)) return { ok: false, error: 'token must be a string of at most 256 characters' };
  const parsed = parseHelperArgs(o.name === undefined ? [o.verb] : [o.verb, o.name]);
  return parsed.ok && typeof o.token === 'string' ? { ...parsed, token: o.token } : parsed;
}
