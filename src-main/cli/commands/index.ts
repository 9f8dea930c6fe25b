/**
 * Every `longhaul` command, in the order `--help` lists them. Adding a command: write `commands/<name>.ts` exporting a
 * `Command` and list it here with its name and a loader.
 *
 * Commands load lazily (`import()`): a run evaluates only its own command's modules, so `longhaul --version` does not
 * build every schema and reader of the app first (issue 12). esbuild keeps the bundle one file (the single-executable
 * CLI needs one) and turns each `import()` into a deferred module init inside it. `--help` loads them all.
 * test/unit/cli-commands.test.ts checks that each loader's command carries the name listed here.
 */
import type { Command } from '../command';

export interface CommandEntry {
  /** Words after `longhaul`, as the loaded command's `name`. */
  name: string;
  /** False for a command that never calls `ctx.core()`: the core services' modules are then not loaded at all. */
  usesCore?: false;
  load(): Promise<Command>;
}

export const COMMANDS: readonly CommandEntry[] = [
  // the artist's day
  { name: 'up', load: () => import('./up').then((m) => m.upCommand) },
  { name: 'down', load: () => import('./down').then((m) => m.downCommand) },
  { name: 'status', load: () => import('./status').then((m) => m.statusCommand) },
  { name: 'diagnose', load: () => import('./diagnose').then((m) => m.diagnoseCommand) },
  { name: 'stream', load: () => import('./stream').then((m) => m.streamCommand) },
  { name: 'capacity', load: () => import('./capacity').then((m) => m.capacityCommand) },
  { name: 'sunshine probe', load: () => import('./sunshine').then((m) => m.sunshineProbeCommand) },
  // support
  { name: 'report', load: () => import('./report').then((m) => m.reportCommand) },
  // profiles and IT
  { name: 'profile import', load: () => import('./profile-import').then((m) => m.profileImportCommand) },
  { name: 'profile check', load: () => import('./profile-check').then((m) => m.profileCheckCommand) },
  { name: 'profile list', load: () => import('./profile-list').then((m) => m.profileListCommand) },
  { name: 'profile remove', load: () => import('./profile-remove').then((m) => m.profileRemoveCommand) },
  { name: 'policy list', load: () => import('./policy').then((m) => m.policyListCommand) },
  { name: 'version', usesCore: false, load: () => import('./version').then((m) => m.versionCommand) },
];

/** Every command, loaded (for `--help`). */
export function loadAllCommands(): Promise<Command[]> {
  return Promise.all(COMMANDS.map((c) => c.load()));
}
