/**
 * Re-reading managed policy when it changes: `fs.watch` on the directory of each policy file (files are usually
 * replaced by rename, which a watch on the file itself would miss) plus a poll every minute (the registry cannot be
 * watched without native code, and fs.watch is best-effort on network and some container filesystems).
 * Emits only real changes (compared on values, sources, refusals and unknown keys). `onSites` receives the resolved
 * site-bundle paths at start and whenever they change: the profiles store provisions them.
 * Environment: plain Node.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EffectivePolicy } from './policy';

export interface PolicyWatcherOptions {
  read(): Promise<EffectivePolicy>;
  /** Policy files to watch (their directories are watched). */
  watchPaths?: readonly string[];
  /** Poll interval; default 60 000 ms. */
  intervalMs?: number;
  /** Coalesces bursts of fs events; default 250 ms. */
  debounceMs?: number;
  onChange(next: EffectivePolicy, previous: EffectivePolicy): void;
  onSites?(paths: string[]): void;
  onError?(err: Error): void;
}

export interface PolicyWatcher {
  /** First read; starts watching. */
  start(): Promise<EffectivePolicy>;
  /** Re-read now (what a poll tick or fs event does); resolves to the current policy. */
  check(): Promise<EffectivePolicy>;
  current(): EffectivePolicy | null;
  close(): void;
}

function fingerprint(eff: EffectivePolicy): string {
  return JSON.stringify({ values: eff.values, refused: eff.refused, unknownKeys: eff.unknownKeys });
}

/** The site-bundle paths a policy provisions (absolute, as validated by the `sites` schema). */
export function sitePaths(eff: EffectivePolicy): string[] {
  return [...eff.policy.sites];
}

export function createPolicyWatcher(opts: PolicyWatcherOptions): PolicyWatcher {
  let current: EffectivePolicy | null = null;
  let running: Promise<EffectivePolicy> | null = null;
  let again = false;
  let closed = false;
  let debounce: NodeJS.Timeout | null = null;
  let poll: NodeJS.Timeout | null = null;
  const watchers: fs.FSWatcher[] = [];

  async function readOnce(): Promise<EffectivePolicy> {
    const next = await opts.read();
    const prev = current;
    current = next;
    if (prev && fingerprint(prev) !== fingerprint(next)) {
      opts.onChange(next, prev);
      if (JSON.stringify(prev.policy.sites) !== JSON.stringify(next.policy.sites)) opts.onSites?.(sitePaths(next));
    }
    return next;
  }

  function check(): Promise<EffectivePolicy> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        let eff = await readOnce();
        while (again && !closed) {
          again = false;
          eff = await readOnce();
        }
        return eff;
      } finally {
        running = null;
      }
    })();
    return running;
  }

  function schedule(): void {
    if (closed) return;
    if (debounce) clearTimeout(debounce);
    debounce = setTimeout(() => {
      debounce = null;
      check().catch((err: Error) => opts.onError?.(err));
    }, opts.debounceMs ?? 250);
  }

  function watchDir(file: string): void {
    const dir = path.dirname(file);
    const base = path.basename(file);
    try {
      const w = fs.watch(dir, { persistent: false }, (_event, name) => {
        if (name === null || name.toString() === base) schedule();
      });
      w.on('error', (err) => {
        opts.onError?.(err);
        w.close();
      });
      watchers.push(w);
    } catch (err) {
      // Directory missing or not watchable: the poll still notices changes.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') opts.onError?.(err as Error);
    }
  }

  return {
    async start() {
      const eff = await check();
      opts.onSites?.(sitePaths(eff));
      if (closed) return eff;
      for (const p of opts.watchPaths ?? []) watchDir(p);
      poll = setInterval(() => {
        check().catch((err: Error) => opts.onError?.(err));
      }, opts.intervalMs ?? 60_000);
      poll.unref();
      return eff;
    },
    check,
    current: () => current,
    close() {
      closed = true;
      if (debounce) clearTimeout(debounce);
      if (poll) clearInterval(poll);
      for (const w of watchers) w.close();
      watchers.length = 0;
    },
  };
}
