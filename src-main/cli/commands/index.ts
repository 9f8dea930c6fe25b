/**
 * Every `longhaul` command. Adding a command: write `commands/<name>.ts` exporting a `Command` and list it here.
 */
import type { Command } from '../command';
import { profileCheckCommand, profileImportCommand, profileListCommand, profileRemoveCommand } from './profiles';
import { versionCommand } from './version';
import { policyListCommand } from './policy';
import { diagnoseCommand } from './diagnose';
import { reportCommand } from './report';
import { sunshineProbeCommand } from './sunshine';
import { streamCommand } from './stream';
import { upCommand } from './up'; import { downCommand } from './down'; import { statusCommand } from './status';

export const COMMANDS: readonly Command[] = [profileCheckCommand, profileImportCommand, profileListCommand, profileRemoveCommand, versionCommand, policyListCommand, diagnoseCommand, reportCommand, sunshineProbeCommand, streamCommand, upCommand, downCommand, statusCommand];
