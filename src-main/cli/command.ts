/**
 * The CLI's house rules, in one place. Environment: plain Node.
 *  - `--json` prints exactly one JSON document on stdout carrying `"schemaVersion": 1`; progress and logs go to stderr;
 *    no colour codes when stderr is not a TTY. JSON documents change only by adding fields.
 *  - Everything written goes through `sanitizeTerminalText` (terminal.ts, applied in `runCli`): control characters
 *    from input are shown escaped; the CLI's own sequences are built with `terminalControl` (as `paint` does).
 *  - Exit codes: 0 ok, 1 unhealthy or invalid, 2 could not run.
 */
import type { CoreServices } from '../core/app/services';
import { terminalControl } from './terminal';

export const EXIT = { ok: 0, unhealthy: 1, couldNotRun: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

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

/** A failure the user can act on: printed as `longhaul: <message>` (or as JSON with --json), exit 2 unless given. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.couldNotRun,
    readonly code = 'cli-error',
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export function printJson(io: CliIO, doc: Record<string, unknown>): void {
  io.stdout(JSON.stringify({ schemaVersion: 1, ...doc }, null, 2) + '\n');
}

export function useColour(io: CliIO): boolean {
  return io.isTTY && !io.env.NO_COLOR;
}

export function paint(io: CliIO, colour: 'red' | 'green' | 'yellow' | 'dim' | 'bold', text: string): string {
  if (!useColour(io)) return text;
  const codes = { red: 31, green: 32, yellow: 33, dim: 2, bold: 1 } as const;
  return `${terminalControl(`\u001b[${codes[colour]}m`)}${text}${terminalControl('\u001b[0m')}`;
}

/** The profiles issue's rule: an argument is a path exactly when it contains a path separator or ends in .conf/.zip. */
export function isPathArgument(arg: string): boolean {
  return arg.includes('/') || arg.includes('\\') || /\.(conf|zip)$/i.test(arg);
}
