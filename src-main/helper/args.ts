/**
 * The privileged helper's whole command language: `up NAME`, `down NAME`, `status [NAME]`. Nothing that carries a
 * file, a path, an option or a command is accepted. NAME is a stored profile name (an interface name: 1–15 of
 * letters, digits, _ = + . -, not starting with '-' or '.', not ending in .conf). Environment: any.
 */
import { isValidInterfaceName } from '../core/profiles';

export type HelperRequest = { verb: 'up'; name: string } | { verb: 'down'; name: string } | { verb: 'status'; name: string | null };

export type HelperParse = { ok: true; request: HelperRequest } | { ok: false; error: string };

export const HELPER_USAGE = 'usage: longhaul-helper up NAME | down NAME | status [NAME]';

export function isHelperName(name: string): boolean {
  return isValidInterfaceName(name) && !name.startsWith('-') && !name.startsWith('.') && name.length <= 15;
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
 * Windows: the Longhaul service's named pipe (`\\.\pipe\longhaul-tunnel`, ACL: interactive users read/write, SYSTEM
 * full) carries one JSON line per request, `{"verb":"up","name":"farm"}`, and answers with the helper's JSON document.
 * The same language as the Linux/macOS helper: validated here with the same rules. UNVERIFIED: the service side is
 * designed, not built (docs/tunnel.md).
 */
export const PIPE_NAME = '\\\\.\\pipe\\longhaul-tunnel';

export function parsePipeRequest(line: string): HelperParse {
  if (line.length > 200) return { ok: false, error: 'request too long' };
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return { ok: false, error: 'request is not JSON' };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { ok: false, error: 'request must be a JSON object' };
  const o = v as Record<string, unknown>;
  const extra = Object.keys(o).filter((k) => k !== 'verb' && k !== 'name');
  if (extra.length > 0) return { ok: false, error: `unknown field(s): ${extra.join(', ')}` };
  if (typeof o.verb !== 'string' || (o.name !== undefined && typeof o.name !== 'string')) return { ok: false, error: 'verb and name must be strings' };
  return parseHelperArgs(o.name === undefined ? [o.verb] : [o.verb, o.name]);
}
