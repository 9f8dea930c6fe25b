/**
 * Every `longhaul` command. Adding a command: write `commands/<name>.ts` exporting a `Command` and list it here.
 */
import type { Command } from '../command';
import { versionCommand } from './version';

export const COMMANDS: readonly Command[] = [versionCommand];
