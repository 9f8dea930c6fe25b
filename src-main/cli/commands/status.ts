/**
 * `longhaul status [PROFILE] [--json]`: live tunnel status. JSON: `{"schemaVersion":1,"tunnels":[{"name",
 * "interface","state","reason","endpoint","latestHandshakeAgeSec","rxBytes","txBytes","peers":[…]}]}`.
 * Exit 0 when every listed tunnel is connected or disconnected, 1 otherwise, 2 could not run.
 */
import { formatStatus } from '../../core/tunnel/format';
import { isHelperName } from '../../helper/args';
import { CliError, EXIT, printJson, type Command } from '../command';

export const statusCommand: Command = {
  name: 'status',
  summary: 'Show tunnel status (state, handshake age, traffic, endpoint)',
  usage: '[PROFILE] [--json]',
  options: {},
  positionals: { min: 0, max: 1 },
  async run({ io, json, args, core }) {
    const name = args.positionals[0] ?? null;
    if (name !== null && !isHelperName(name)) throw new CliError(`"${name}" is not a profile name`);
    const tunnels = await core().tunnels.statuses(name);
    if (json) printJson(io, { tunnels });
    else io.stdout(tunnels.length === 0 ? 'No tunnels. Import a profile with `longhaul profile import FILE`.\n' : tunnels.map(formatStatus).join(''));
    const healthy = tunnels.every((t) => (t.state === 'connected' && t.reason === null) || t.state === 'disconnected');
    return healthy ? EXIT.ok : EXIT.unhealthy;
  },
};
