/**
 * The CLI's house rules, in one place. Environment: plain Node.
 *  - `--json` prints exactly one JSON document on stdout carrying `"schemaVersion": 1`; progress and logs go to stderr;
 *    no colour codes when stderr is not a TTY. JSON documents change only by adding fields.
 *  - Everything written goes through `sanitizeTerminalText` (terminal.ts, applied in `runCli`): control characters
 *    from input are shown escaped; the CLI's own sequences are built with `terminalControl` (as `paint` does).
 *  - Exit codes: 0 ok, 1 unhealthy or invalid, 2 could not run.
 */
import type { CoreServices } from '../core/app/services';
import { ProfileResolveError } from '../core/profiles/resolve-error';
import { terminalControl } from './terminal';

export const EXIT = { ok: 0, unhealthy: 1, couldNotRun: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * Stable `error.code` strings of a failure in `--json` mode (docs/cli.md). A command's own CliError may carry a
 * more specific code; these are the ones runCli itself uses.
 */
export const CLI_ERROR_CODES = {
  /** No such command. */
  unknownCommand: 'unknown-command',
  /** Unknown option, missing option value, wrong number of arguments. */
  usage: 'usage',
  /** The command could not do its work (unreadable file, bad site file, no tunnel, …): the message says why. */
  cliError: 'cli-error',
  /** A profile argument that cannot be used (`up`, `down`). */
  profile: 'profile',
  /** Interrupted (SIGINT/SIGTERM). */
  cancelled: 'cancelled',
  /** An unexpected exception: a bug, reported with the command's name. */
  internal: 'internal',
} as const;
export type CliErrorCode = (typeof CLI_ERROR_CODES)[keyof typeof CLI_ERROR_CODES];

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** True when stderr is a terminal (colour and live redraw allowed). */
  isTTY: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
}

export type OptionSpec = Record<string, { type: 'boolean' | 'string'; short?: string; multiple?: boolean; description: string }>;

export interface ParsedArgs {
  positionals: string[];
  values: Record<string, string | boolean | string[] | undefined>;
}

export interface CommandContext {
  /** Lazily created so `--version`/`--help` never touch the data directory. */
  core(): CoreServices;
  io: CliIO;
  args: ParsedArgs;
  json: boolean;
  /** Cancelled on SIGINT/SIGTERM. */
  signal: AbortSignal;
}

export interface Command {
  /** Words after `longhaul`, e.g. `profile check`. */
  name: string;
  summary: string;
  /** Usage line after the name, e.g. `FILE [--json]`. */
  usage: string;
  options: OptionSpec;
  /** Bounds on positional arguments. */
  positionals: { min: number; max: number };
  run(ctx: CommandContext): Promise<ExitCode>;
}

/**
 * A failure the user can act on: printed as `longhaul: <message>` (then the fix, if any, on the next line), or with
 * --json as the one document `{schemaVersion: 1, error: {code, message, fix?}}` (docs/schemas/error.schema.json).
 * Exit 2 unless given.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.couldNotRun,
    readonly code: CliErrorCode = CLI_ERROR_CODES.cliError,
    readonly fix?: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export function printJson(io: CliIO, doc: Record<string, unknown>): void {
  io.stdout(JSON.stringify({ schemaVersion: 1, ...doc }, null, 2) + '\n');
}

/** A failure as the user sees it: one JSON document on stdout with --json, else `longhaul: …` on stderr. */
export function printFailure(io: CliIO, json: boolean, err: CliError): ExitCode {
  if (json) printJson(io, { error: { code: err.code, message: err.message, ...(err.fix ? { fix: err.fix } : {}) } });
  io.stderr(`longhaul: ${err.message}${err.fix ? `\n${err.fix}` : ''}\n`);
  return err.exitCode;
}

export function useColour(io: CliIO): boolean {
  return io.isTTY && !io.env.NO_COLOR;
}

export function paint(io: CliIO, colour: 'red' | 'green' | 'yellow' | 'dim' | 'bold', text: string): string {
  if (!useColour(io)) return text;
  const codes = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 } as const;
  return `${terminalControl(`\u001b[${codes[colour]}m`)}${text}${terminalControl('\u001b[0m')}`;
}

/**
 * Run `fn`; the profile resolver's one error becomes a `CliError` with its message as is: exit 2 (could not run), or 1
 * for an invalid profile where the command says so (`up` refuses it: docs/cli.md). The JSON `error.code` is `cli-error`
 * unless the command passes its own (`up`/`down`: `profile`; what fleet scripts and test/fixtures/cli know).
 */
export async function resolvingProfile<T>(fn: () => Promise<T>, opts: { code?: CliErrorCode; invalidIsRefusal?: boolean } = {}): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ProfileResolveError) {
      const exit = opts.invalidIsRefusal && err.code === 'profile.invalid' ? EXIT.unhealthy : EXIT.couldNotRun;
      throw new CliError(err.message, exit, opts.code ?? CLI_ERROR_CODES.cliError);
    }
    throw err;
  }
}
