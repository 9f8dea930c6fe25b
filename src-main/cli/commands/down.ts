/** `longhaul down PROFILE [--json]`: take a tunnel down (its interface and routes go). Exit 0 down, 2 could not run. */
import { formatStatus } from '../../core/tunnel/format';
import { isHelperName } from '../../helper/args';
import { isPathLike } from '../../core/profiles/resolve-error';
import { CliError, EXIT, printJson, resolvingProfile, type Command } from '../command';

export const downCommand: Command = {
  name: 'down',
  summary: 'Disconnect a tunnel',
  usage: 'PROFILE [--json]',
  options: {},
  positionals: { min: 1, max: 1 },
  async run({ io, json, args, core }) {
    const arg = args.positionals[0]!;
    let name: string;
    if (isPathLike(arg)) {
      const resolved = await resolvingProfile(() => core().resolveProfile({ profile: arg, from: 'cli', cwd: io.cwd, file: 'import' }), { code: 'profile' });
      for (const n of resolved.notes) io.stderr(`longhaul: ${n}\n`);
      name = resolved.name;
    } else {
      if (!isHelperName(arg)) throw new CliError(`"${arg}" is not a profile name`);
      name = arg; // a tunnel can be taken down even if its profile was removed meanwhile
    }
    const s = await core().tunnels.down(name);
    if (json) printJson(io, { tunnels: [s] });
    else io.stdout(formatStatus(s));
    return s.state === 'disconnected' ? EXIT.ok : EXIT.couldNotRun;
  },
};
