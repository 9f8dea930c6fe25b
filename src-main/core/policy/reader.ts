/**
 * The policy reader the app, harness and CLI use: the OS sources of this platform, merged by `readPolicy`, with every
 * refusal and unknown key logged once per distinct reason (the minute poll would otherwise repeat them).
 * Environment: plain Node.
 */
import type { Logger } from '../log/logger';
import type { ProcessRunner } from '../platform/runner';
import { readPolicy, type PolicyReader } from './policy';
import { createOsPolicySources, policyWatchPaths, type OsPolicyOptions } from './sources';

export interface ManagedPolicyReader extends PolicyReader {
  /** Names of the sources consulted, highest precedence first. */
  readonly sourceNames: readonly string[];
  /** Files a watcher should observe (see `createPolicyWatcher`). */
  readonly watchPaths: readonly string[];
}

export function createManagedPolicyReader(
  platform: NodeJS.Platform,
  runner: ProcessRunner,
  opts: OsPolicyOptions & { logger?: Logger } = {},
): ManagedPolicyReader {
  const sources = createOsPolicySources(platform, runner, opts);
  const seen = new Set<string>();
  const once = (id: string, log: () => void) => {
    if (seen.has(id)) return;
    seen.add(id);
    log();
  };
  return {
    sourceNames: sources.map((s) => s.name),
    watchPaths: policyWatchPaths(platform, opts.env),
    async read() {
      const eff = await readPolicy(sources);
      for (const r of eff.refused) {
        once(`r:${r.source}:${r.reason}`, () => opts.logger?.warn('policy: source refused', { source: r.source, reason: r.reason }));
      }
      for (const u of eff.unknownKeys) {
        once(`u:${u.source}:${u.key}`, () => opts.logger?.info('policy: unknown key ignored', { source: u.source, key: u.key }));
      }
      return eff;
    },
  };
}
