import { APP_ID, APP_VERSION } from '../../core/app/identity';
import { EXIT, printJson, type Command } from '../command';

export const versionCommand: Command = {
  name: 'version',
  summary: 'Print the version',
  usage: '[--json]',
  options: {},
  positionals: { min: 0, max: 0 },
  async run({ io, json }) {
    if (json) printJson(io, { version: APP_VERSION, appId: APP_ID, node: process.versions.node });
    else io.stdout(`longhaul ${APP_VERSION}\n`);
    return EXIT.ok;
  },
};
