/**
 * `longhaul up PROFILE [--wait S] [--force] [--json]`: bring a tunnel up and wait for its first handshake.
 * PROFILE is a stored name or a path (imported first). Exit 0 connected, 1 no handshake or refused, 2 could not run.
 */
import type { TunnelStatus } from '../../contract/tunnel';
import { exitCodeOf } from '../../core/tunnel/exit-codes';
import { ProfileArgError, resolveProfileArg, upTunnel } from '../../core/tunnel/cli-support';
import { formatStatus } from '../../core/tunnel/format';
import { CliError, EXIT, isPathArgument, paint, printJson, type Command } from '../command';

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
    let name: string;
    try {
      name = await resolveProfileArg(core(), args.positionals[0]!, io.cwd, isPathArgument(args.positionals[0]!), (t) => io.stderr(`longhaul: ${t}\n`));
    } catch (e) {
      if (e instanceof ProfileArgError) throw new CliError(e.message, e.exitCode, 'profile');
      throw e;
    }
    let last = '';
    const onProgress = (s: TunnelStatus) => {
      if (s.state === last || json) return;
      last = s.state;
      io.stderr(`longhaul: ${name}: ${s.state}…\n`);
    };
    if (force) core().logger.child('tunnel').warn('up --force requested', { name });
    const s = await upTunnel(core(), name, { waitSec, force, signal, onProgress });
    const code = exitCodeOf(s);
    if (json) printJson(io, { tunnels: [s] });
    else io.stdout(code === EXIT.ok ? paint(io, 'green', formatStatus(s)) : formatStatus(s));
    return code;
  },
};
