/**
 * Keep the renderer's view of managed policy current: re-read on change (fs.watch) or every minute, push
 * `policy.changed`; provision the policy's site bundles into the profile store. Shared by the Electron shell and the
 * harness. Environment: plain Node.
 */
import { createPolicyWatcher, type PolicyWatcher } from '../policy/watcher';
import { createProvisioning } from './provisioning';
import type { EffectivePolicy } from '../policy/policy';
import { policyView } from './handlers';
import type { HostDelegate } from './host';
import type { CoreServices } from './services';

export async function startPolicyWatch(
  core: CoreServices,
  host: HostDelegate,
  opts: { onChange?: (eff: EffectivePolicy) => void } = {},
): Promise<PolicyWatcher> {
  let watcher: PolicyWatcher | null = null;
  const provisioning = createProvisioning(core, () => watcher?.current() ?? null);
  watcher = createPolicyWatcher({
    read: () => core.policy.read(),
    watchPaths: core.policyWatchPaths,
    onChange: (next) => {
      core.logger.info('policy: changed', { sources: [...new Set(next.values.filter((v) => v.locked).map((v) => v.source))] });
      host.emit('policy.changed', policyView(next));
      opts.onChange?.(next);
    },
    onSites: (paths) => {
      void provisioning.onSites(paths).then((results) => {
        for (const r of results) if (r.status !== 'unchanged') core.logger.info('policy: site bundle', { path: r.path, status: r.status, reason: r.reason });
      });
    },
    onError: (err) => core.logger.warn('policy: re-read failed', { error: err.message }),
  });
  await watcher.start(); // calls onSites with the first read
  return watcher;
}
