/**
 * Every `longhaul` command, in the order `--help` lists them. Adding a command: write `commands/<name>.ts` exporting a
 * `Command` and list it here.
 */
import type { Command } from '../command';
import { capacityCommand } from './capacity';
import { diagnoseCommand } from './diagnose';
import { downCommand } from './down';
import { policyListCommand } from './policy';
import { profileCheckCommand, profileImportCommand, profileListCommand, profileRemoveCommand } from './profiles';
import { reportCommand } from './report';
import { statusCommand } from './status';
import { streamCommand } from './stream';
import { sunshineProbeCommand } from './sunshine';
import { upCommand } from './up';
import { versionCommand } from './version';

export const COMMANDS: readonly Command[] = [
  // the artist's day
  upCommand,
  downCommand,
  statusCommand,
  diagnoseCommand,
  streamCommand,
  capacityCommand,
  sunshineProbeCommand,
  // support
  reportCommand,
  // profiles and IT
  profileImportCommand,
  profileCheckCommand,
  profileListCommand,
  profileRemoveCommand,
  policyListCommand,
  versionCommand,
];
