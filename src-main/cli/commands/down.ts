/** `longhaul down PROFILE [--json]`: take a tunnel down (its interface and routes go). Exit 0 down, 2 could not run. */
import { downTunnel, ProfileArgError, resolveProfileArg } from '../../core/tunnel/cli-support';
import { formatStatus } from '../../core/tunnel/format';
import { isHelperName } from '../../helper/args';
import { CliError, EXIT, isPathArgument, printJson, type Command } from '../command';

export const downCommand: Command = {
  name: 'down',
  summary: 'Disconnect a tunnel',
  usage: 'PROFILE [--json]',
  options: {},
  positionals: { min: 1, max: 1 },
  async run({ io, json, args, core }) {
    const arg = args.positionals[0]!;
    let name: string;
    if (isPathArgument(arg)) {
      try {
        name = await resolveProfileArg(core(), arg, io.cwd, true, (t) => io.stderr(`longhaul: ${t}\n`));
      } catch (e) {
        if (e instanceof ProfileArgError) throw new CliError(e.message, e.exitCode, 'profile');
        throw e;
      }
    } else {
      if (!isHelperName(arg)) throw new CliError(`"${arg}" is not a profile name`);
      name = arg; // a tunnel can be taken down even if its profile was removed meanwhile
    }
    const s = await downTunnel(core(), name);
    if (json) printJson(io, { tunnels: [s] });
    else io.stdout(formatStatus(s));
    return s.state === 'disconnected' ? EXIT.ok : EXIT.couldNotRun;
  },
};
