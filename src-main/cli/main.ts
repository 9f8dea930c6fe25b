/**
 * `longhaul`: the CLI entry. Thin over the core; every command lives in `commands/`. Environment: plain Node.
 */
import { parseArgs } from 'node:util';
import type { CoreServices } from '../core/app/services';
import { APP_VERSION } from '../core/app/identity';
import { CLI_ERROR_CODES, CliError, EXIT, printFailure, type CliIO, type Command, type ExitCode } from './command';
import { COMMANDS, loadAllCommands, type CommandEntry } from './commands';
import { echoPath, quote } from '../core/log/quote';
import { sanitizeTerminalText } from './terminal';

const GLOBAL_OPTIONS = {
  json: { type: 'boolean' as const, description: 'print exactly one JSON document on stdout' },
  help: { type: 'boolean' as const, short: 'h', description: 'show help' },
  verbose: { type: 'boolean' as const, short: 'v', description: 'mirror log lines to stderr' },
};

function findCommand(argv: readonly string[]): { entry: CommandEntry; rest: string[] } | null {
  // Longest match of leading words (`profile check` before `profile`).
  const sorted = [...COMMANDS].sort((a, b) => b.name.split(' ').length - a.name.split(' ').length);
  for (const entry of sorted) {
    const words = entry.name.split(' ');
    if (words.every((w, i) => argv[i] === w)) return { entry, rest: argv.slice(words.length) };
  }
  return null;
}

export async function helpText(): Promise<string> {
  const lines = [`longhaul ${APP_VERSION} — connect to the render farm, prove the tunnel, launch the stream`, '', 'Usage:'];
  for (const c of await loadAllCommands()) lines.push(`  longhaul ${c.name} ${c.usage}`, `      ${c.summary}`);
  lines.push('', 'Global options: --json (one JSON document on stdout), --verbose, --help, --version');
  lines.push('Exit codes: 0 ok, 1 unhealthy or invalid, 2 could not run.');
  return lines.join('\n') + '\n';
}

/** `--json` anywhere in the arguments: even a failure before option parsing answers with a JSON document. */
function wantsJson(argv: readonly string[]): boolean {
  return argv.includes('--json');
}

const usageLine = (c: Command) => `Usage: longhaul ${c.name} ${c.usage}`;

function commandHelp(c: Command): string {
  const lines = [`Usage: longhaul ${c.name} ${c.usage}`, '', c.summary, ''];
  for (const [name, spec] of Object.entries({ ...c.options, ...GLOBAL_OPTIONS })) {
    lines.push(`  --${name}${(spec.type as string) === 'string' ? ' VALUE' : ''}`.padEnd(28) + spec.description);
  }
  return lines.join('\n') + '\n';
}

export async function runCli(argv: readonly string[], rawIo: CliIO, signal: AbortSignal = new AbortController().signal): Promise<ExitCode> {
  // The one place the CLI writes: nothing from input acts on the terminal (terminal.ts).
  const io: CliIO = { ...rawIo, stdout: (t) => rawIo.stdout(sanitizeTerminalText(t)), stderr: (t) => rawIo.stderr(sanitizeTerminalText(t)) };
  const fail = (err: CliError): ExitCode => printFailure(io, wantsJson(argv), err);
  if (argv[0] === '--version' || argv[0] === '-V') argv = ['version', ...argv.slice(1)];
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.stdout(await helpText());
    return argv.length === 0 ? EXIT.couldNotRun : EXIT.ok;
  }
  const found = findCommand(argv);
  if (!found) {
    const words = argv.filter((a) => !a.startsWith('-')).slice(0, 2).join(' ');
    const message = words ? `unknown command ${quote(words)}; see longhaul --help` : 'no command given; see longhaul --help';
    return fail(new CliError(message, EXIT.couldNotRun, CLI_ERROR_CODES.unknownCommand));
  }
  const { rest } = found;
  const command: Command = await found.entry.load();
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { ...command.options, ...GLOBAL_OPTIONS }, allowPositionals: true, strict: true });
  } catch (err) {
    return fail(new CliError(echoPath((err as Error).message.replace(/\. To specify.*$/s, ''), 200), EXIT.couldNotRun, CLI_ERROR_CODES.usage, usageLine(command)));
  }
  if (parsed.values.help) {
    io.stdout(commandHelp(command));
    return EXIT.ok;
  }
  const { min, max } = command.positionals;
  if (parsed.positionals.length < min || parsed.positionals.length > max) {
    return fail(new CliError('wrong number of arguments', EXIT.couldNotRun, CLI_ERROR_CODES.usage, usageLine(command)));
  }
  let core: CoreServices | undefined;
  const verbose = parsed.values.verbose === true;
  // Loaded here, not at start-up: `--version` and `--help` never need it.
  const services = found.entry.usesCore === false ? null : await import('../core/app/services');
  try {
    return await command.run({
      io,
      json: parsed.values.json === true,
      args: { positionals: parsed.positionals, values: parsed.values as ParsedValues },
      signal,
      core: () => {
        if (!services) throw new Error(`${command.name} is listed as not using the core services`);
        return (core ??= services.createCoreServices({
          face: 'cli',
          mirror: verbose ? (rec) => io.stderr(`${rec.level} ${rec.src}: ${rec.msg}\n`) : undefined,
          logLevel: verbose ? 'debug' : 'info',
        }));
      },
    });
  } catch (err) {
    if (err instanceof CliError) return fail(err);
    core?.logger.error('cli: command failed', { command: command.name, error: (err as Error).message });
    return fail(new CliError(`${command.name} failed: ${echoPath((err as Error).message, 500)}`, EXIT.couldNotRun, CLI_ERROR_CODES.internal));
  }
}
type ParsedValues = Record<string, string | boolean | string[] | undefined>;

/** Process entry (bundled to dist/cli/longhaul.cjs). */
export function main(): void {
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const io: CliIO = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTTY: Boolean(process.stderr.isTTY),
    env: process.env,
    cwd: process.cwd(),
  };
  // Exit as soon as the command is done and its output flushed: work that cannot be cancelled (a system-resolver
  // lookup stuck in getaddrinfo) must not keep the CLI alive after it has answered.
  const exit = (code: number) => process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
  const argv = process.argv.slice(2);
  runCli(argv, io, controller.signal).then(exit, (err) => {
    exit(printFailure(io, wantsJson(argv), new CliError(`internal error: ${echoPath((err as Error).message, 500)}`, EXIT.couldNotRun, CLI_ERROR_CODES.internal)));
  });
}
