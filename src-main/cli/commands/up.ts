/**
 * `longhaul up PROFILE [--wait S] [--force] [--json]`: bring a tunnel up and wait for its first handshake.
 * PROFILE is a stored name or a path (imported first). Exit 0 connected, 1 no handshake or refused, 2 could not run
 * (including a PROFILE that is not stored, cannot be read or is not a usable profile).
 */
import type { TunnelStatus } from '../../contract/tunnel';
import { exitCodeOf } from '../../core/tunnel/exit-codes';
import { formatStatus } from '../../core/tunnel/format';
import { CliError, EXIT, paint, printJson, resolvingProfile, type Command } from '../command';

export function parseWait(v: unknown, def = 10): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (typeof v !== 'string' || !/^\d+$/.test(v) || n > 600) throw new CliError(`--wait must be a whole number of seconds from 0 to 600, got "${String(v)}"`);
  return n;
}

export const upCommand: Command = {
  name: 'up',
  summary: 'Connect a tunnel (a stored profile, or a .conf path imported first)',
  usage: 'PROFILE [--wait S] [--force] [--json]',
  options: {
    wait: { type: 'string', description: 'seconds to wait for the first handshake (default 10)' },
    force: { type: 'boolean', description: 'connect despite a route conflict (logged)' },
  },
  positionals: { min: 1, max: 1 },
  async run({ io, json, args, core, signal }) {
    const waitSec = parseWait(args.values.wait);
    const force = args.values.force === true;
    const resolved = await resolvingProfile(() => core().resolveProfile({ profile: args.positionals[0]!, from: 'cli', cwd: io.cwd, file: 'import' }), { code: 'profile', invalidIsRefusal: true });
    for (const n of resolved.notes) io.stderr(`longhaul: ${n}\n`);
    const name = resolved.name;
    let last = '';
    const onProgress = (s: TunnelStatus) => {
      if (s.state === last || json) return;
      last = s.state;
      io.stderr(`longhaul: ${name}: ${s.state}…\n`);
    };
    if (force) core().logger.child('tunnel').warn('up --force requested', { name });
    const s = await core().tunnels.up(name, { waitSec, force, signal, onProgress });
    const code = exitCodeOf(s);
    if (json) printJson(io, { tunnels: [s] });
    else io.stdout(code === EXIT.ok ? paint(io, 'green', formatStatus(s)) : formatStatus(s));
    return code;
  },
};
