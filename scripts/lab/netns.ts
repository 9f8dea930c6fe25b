/**
 * Thin helpers over `ip netns` for the lab, through the shared process runner. Environment: plain Node (root).
 */
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRunner, type ProcessRunner, type RunOptions, type RunResult } from '../../src-main/core/platform/runner';
import { writeFileAtomic as writeAtomic } from '../../src-main/core/platform/atomic';

let shared: ProcessRunner | null = null;
export function labRunner(): ProcessRunner {
  return (shared ??= createRunner());
}

/** Run `program args` inside namespace `ns` (`ip netns exec ns program args`). */
export function nsRun(ns: string, program: string, args: readonly string[], opts?: RunOptions): Promise<RunResult> {
  const r = labRunner();
  const file = r.which(program);
  if (!file) throw new Error(`${program}: not installed (needed by the lab)`);
  return r.run('ip', ['netns', 'exec', ns, file, ...args], opts);
}

/** Start a long-running `program` inside `ns`, detached, its output appended to `logFile`. Returns the child. */
export function nsStartDetached(ns: string, program: string, args: readonly string[], logFile: string, env?: Record<string, string>): ChildProcess {
  const r = labRunner();
  const file = r.which(program);
  if (!file) throw new Error(`${program}: not installed (needed by the lab)`);
  const fd = fs.openSync(logFile, 'a', 0o600);
  try {
    const child = r.start('ip', ['netns', 'exec', ns, file, ...args], { stdio: ['ignore', fd, fd], env });
    child.unref();
    return child;
  } finally {
    fs.closeSync(fd);
  }
}

export async function ip(args: readonly string[], opts?: RunOptions): Promise<RunResult> {
  return labRunner().run('ip', args, opts);
}

export async function nsExists(ns: string): Promise<boolean> {
  const r = await ip(['netns', 'list'], { okCodes: 'any' });
  return r.stdout.split('\n').some((line) => line.split(' ')[0] === ns);
}

/** Pids of every process whose network namespace is `ns` (empty when the namespace does not exist). */
export async function nsPids(ns: string): Promise<number[]> {
  const r = await ip(['netns', 'pids', ns], { okCodes: 'any' });
  if (r.code !== 0) return [];
  return r.stdout
    .split('\n')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
}

/** Ask every process in `ns` to exit (SIGTERM, then SIGKILL for stragglers). These are the lab's own processes. */
export async function killNamespaceProcesses(ns: string): Promise<void> {
  for (const sig of ['SIGTERM', 'SIGKILL'] as const) {
    const pids = await nsPids(ns);
    if (pids.length === 0) return;
    for (const pid of pids) {
      try {
        process.kill(pid, sig);
      } catch {}
    }
    for (let i = 0; i < 40 && (await nsPids(ns)).length > 0; i++) await sleep(50);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Write a file atomically with the given mode (the project's one atomic writer), creating its directory. */
export function writeFileAtomic(file: string, text: string, mode = 0o600): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeAtomic(file, text, mode);
}
