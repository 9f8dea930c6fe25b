/**
 * `longhaul profile remove NAME [--json]`: delete a stored profile and its keys. Exit 0 removed, 1 no such profile.
 */
import { noProfileNamed } from '../../core/profiles/resolve-error';
import { EXIT, printJson, type Command } from '../command';

export const profileRemoveCommand: Command = {
  name: 'profile remove',
  summary: 'Remove an imported WireGuard profile and its keys',
  usage: 'NAME [--json]',
  options: {},
  positionals: { min: 1, max: 1 },
  async run({ io, json, args, core }) {
    const name = args.positionals[0];
    const removed = await core().profiles.remove(name);
    core().logger.child('profiles').info('profile remove', { name, removed });
    if (json) printJson(io, { name, removed });
    else if (removed) io.stdout(`removed ${name}\n`);
    else io.stderr(`longhaul: ${noProfileNamed(name, { stored: (await core().profiles.list()).map((p) => p.name) })}\n`);
    return removed ? EXIT.ok : EXIT.unhealthy;
  },
};
