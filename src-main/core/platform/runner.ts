/**
 * The one place Longhaul starts other programs. Environment: plain Node.
 *
 * Rules: never a shell (`execFile`/`spawn` with argument arrays); the program is resolved to an absolute path before it
 * runs (PATH lookup here, not by the OS, so the log names exactly what ran); a timeout on every call; `LC_ALL=C` so
 * parsed output is not localised; stderr captured into errors; what ran is logged with secrets redacted. Secrets go to
 * a child through `input` (stdin), never through argv.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../log/logger';
import { nullLogger } from '../log/logger';
import { globalRedactor, type Redactor } from '../log/redact';

export type ProcessErrorKind = 'not-found' | 'timeout' | 'exit' | 'signal' | 'spawn' | 'aborted' | 'output-limit';

export class ProcessError extends Error {
  constructor(
    readonly kind: ProcessErrorKind,
    readonly file: string,
    readonly args: readonly string[],
    message: string,
    readonly result?: RunResult,
  ) {
    super(message);
    this.name = 'ProcessError';
  }
}

export interface RunOptions {
  /** Milliseconds before the child is killed (SIGTERM, then SIGKILL 2 s later). Default 15 000. */
  timeoutMs?: number;
  /** Extra environment; merged over the parent's with LC_ALL=C (pass `LC_ALL: undefined` to keep the user's locale). */
  env?: Record<string, string | undefined>;
  /** Bytes written to stdin, then stdin is closed. The only way to hand a secret to a child. */
  input?: string | Buffer;
  cwd?: string;
  signal?: AbortSignal;
  /** Exit codes that are not errors (default: only 0). Pass 'any' to get every exit back as a result. */
  okCodes?: readonly number[] | 'any';
  /** Cap on captured stdout/stderr each (default 8 MiB). */
  maxOutputBytes?: number;
}

export interface RunResult {
  file: string;
  args: readonly string[];
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface ProcessRunner {
  /** Resolve a program name to an absolute path (or null). */
  which(program: string): string | null;
  run(program: string, args: readonly string[], opts?: RunOptions): Promise<RunResult>;
  /** A long-running child (Moonlight, wireguard-go in the lab). The caller owns its lifetime. */
  start(program: string, args: readonly string[], opts?: Omit<RunOptions, 'input' | 'okCodes' | 'maxOutputBytes' | 'timeoutMs'> & { stdio?: SpawnOptions['stdio'] }): ChildProcess;
}

export interface RunnerOptions {
  logger?: Logger;
  redactor?: Redactor;
  /** PATH used to resolve bare program names (default: process.env.PATH). */
  searchPath?: string;
  /** Extra directories searched after PATH (sbin dirs where tools like `ip` and `wg` live). */
  extraDirs?: readonly string[];
  platform?: NodeJS.Platform;
}

const DEFAULT_EXTRA_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

export function createRunner(options: RunnerOptions = {}): ProcessRunner {
  const logger = options.logger ?? nullLogger;
  const redactor = options.redactor ?? globalRedactor;
  const platform = options.platform ?? process.platform;

  function which(program: string): string | null {
    if (program.includes('/') || (platform === 'win32' && program.includes('\\'))) {
      return path.isAbsolute(program) && isExecutable(program) ? program : null;
    }
    const searchPath = options.searchPath ?? process.env.PATH ?? '';
    const dirs = [...searchPath.split(path.delimiter), ...(options.extraDirs ?? (platform === 'win32' ? [] : DEFAULT_EXTRA_DIRS))];
    // Windows: executables only; Node refuses to start .cmd/.bat without a shell, and we never use one.
    const exts = platform === 'win32' ? ['.exe', '.com'] : [''];
    for (const dir of dirs) {
      if (!dir || !path.isAbsolute(dir)) continue; // a relative PATH entry would resolve against cwd: never
      for (const ext of exts) {
        const candidate = path.join(dir, program + ext);
        if (isExecutable(candidate)) return candidate;
      }
    }
    return null;
  }

  function childEnv(extra: Record<string, string | undefined> | undefined): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C', LANG: 'C' };
    for (const [k, v] of Object.entries(extra ?? {})) {
      if (v === undefined) delete env[k];
      else env[k] = v;
    }
    return env;
  }

  function describe(file: string, args: readonly string[]): string {
    return redactor.redact([file, ...args].join(' '));
  }

  async function run(program: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
    const file = which(program);
    if (!file) {
      logger.warn('exec: program not found', { program });
      throw new ProcessError('not-found', program, args, `${program}: not found in PATH`);
    }
    const timeoutMs = opts.timeoutMs ?? 15_000;
    const maxBytes = opts.maxOutputBytes ?? 8 * 1024 * 1024;
    const started = Date.now();
    return await new Promise<RunResult>((resolve, reject) => {
      let child: ChildProcess;
      try {
        child = spawn(file, [...args], {
          shell: false,
          windowsHide: true,
          cwd: opts.cwd,
          env: childEnv(opts.env),
          stdio: ['pipe', 'pipe', 'pipe'],
        });
      } catch (err) {
        reject(new ProcessError('spawn', file, args, `${file}: ${(err as Error).message}`));
        return;
      }
      const out: Buffer[] = [];
      const errb: Buffer[] = [];
      let outLen = 0;
      let errLen = 0;
      let failure: ProcessErrorKind | null = null;
      let killTimer: NodeJS.Timeout | undefined;
      const kill = (why: ProcessErrorKind) => {
        if (failure) return;
        failure = why;
        child.kill('SIGTERM');
        killTimer = setTimeout(() => child.kill('SIGKILL'), 2000);
        killTimer.unref();
      };
      const timer = setTimeout(() => kill('timeout'), timeoutMs);
      const onAbort = () => kill('aborted');
      if (opts.signal) {
        if (opts.signal.aborted) onAbort();
        else opts.signal.addEventListener('abort', onAbort, { once: true });
      }
      child.stdout?.on('data', (d: Buffer) => {
        outLen += d.length;
        if (outLen > maxBytes) kill('output-limit');
        else out.push(d);
      });
      child.stderr?.on('data', (d: Buffer) => {
        errLen += d.length;
        if (errLen <= maxBytes) errb.push(d);
      });
      child.stdin?.on('error', () => {}); // the child may exit before reading stdin
      if (opts.input !== undefined) child.stdin?.end(opts.input);
      else child.stdin?.end();

      child.on('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        const kind: ProcessErrorKind = err.code === 'ENOENT' ? 'not-found' : 'spawn';
        logger.warn('exec failed to start', { cmd: describe(file, args), error: err.message });
        reject(new ProcessError(kind, file, args, `${file}: ${err.message}`));
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (killTimer) clearTimeout(killTimer);
        opts.signal?.removeEventListener('abort', onAbort);
        const result: RunResult = {
          file,
          args,
          code,
          signal,
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(errb).toString('utf8'),
          durationMs: Date.now() - started,
        };
        const okCodes = opts.okCodes ?? [0];
        const cmd = describe(file, args);
        logger.debug('exec', { cmd, code, signal, ms: result.durationMs });
        if (failure) {
          const what = failure === 'timeout' ? `timed out after ${timeoutMs} ms` : failure === 'aborted' ? 'was cancelled' : 'produced too much output';
          reject(new ProcessError(failure, file, args, `${cmd} ${what}`, result));
          return;
        }
        if (code === null) {
          reject(new ProcessError('signal', file, args, `${cmd} was killed by ${signal}`, result));
          return;
        }
        if (okCodes !== 'any' && !okCodes.includes(code)) {
          const tail = redactor.redact(result.stderr.trim().split('\n').slice(-5).join('\n'));
          reject(new ProcessError('exit', file, args, `${cmd} exited with ${code}${tail ? `: ${tail}` : ''}`, result));
          return;
        }
        resolve(result);
      });
    });
  }

  function start(program: string, args: readonly string[], opts: Parameters<ProcessRunner['start']>[2] = {}): ChildProcess {
    const file = which(program);
    if (!file) throw new ProcessError('not-found', program, args, `${program}: not found in PATH`);
    logger.info('exec start', { cmd: describe(file, args) });
    return spawn(file, [...args], {
      shell: false,
      windowsHide: true,
      cwd: opts.cwd,
      env: childEnv(opts.env),
      stdio: opts.stdio ?? ['ignore', 'pipe', 'pipe'],
      signal: opts.signal,
    });
  }

  return { which, run, start };
}

function isExecutable(file: string): boolean {
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return false;
    if (process.platform === 'win32') return true;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
