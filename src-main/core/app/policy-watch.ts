/**
 * Keep the renderer's view of managed policy current: re-read on change (fs.watch) or every minute, push
 * `policy.changed`. Shared by the Electron shell and the harness. Environment: plain Node.
 */
import { createPolicyWatcher, type PolicyWatcher } from '../policy/watcher';
import type { EffectivePolicy } from '../policy/policy';
import { policyView } from './handlers';
import type { HostDelegate } from './host';
import type { CoreServices } from './services';

export async function startPolicyWatch(
  core: CoreServices,
  host: HostDelegate,
  opts: { onSites?: (paths: string[]) => void; onChange?: (eff: EffectivePolicy) => void } = {},
): Promise<PolicyWatcher> {
  const watcher = createPolicyWatcher({
    read: () => core.policy.read(),
    watchPaths: core.policyWatchPaths,
    onChange: (next) => {
      core.logger.info('policy: changed', { sources: [...new Set(next.values.filter((v) => v.locked).map((v) => v.source))] });
      host.emit('policy.changed', policyView(next));
      opts.onChange?.(next);
    },
    onSites: opts.onSites,
    onError: (err) => core.logger.warn('policy: re-read failed', { error: err.message }),
  });
  await watcher.start(); // calls onSites with the first read
  return watcher;
}
