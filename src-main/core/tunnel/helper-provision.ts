/**
 * Pre-provisioned sites for a NON-root app. IT installs the policy's site bundles readable only by root, so the app
 * cannot read them; the privileged helper can. On each provisioning pass this asks the helper's `status` (no
 * password: polkit action `…helper.status`) for the profiles it can read — public data only — and keeps the
 * artist's ProfileStore in step: each becomes a metadata-only record (`keyHolder: 'helper'`, no secret stored), and a
 * helper-held policy record whose bundle is no longer listed is removed. User profiles are never touched. `up` of such
 * a profile goes through the helper with nothing on stdin (`helper-up.ts`). Environment: plain Node.
 *
 * When the helper cannot be asked (no pkexec, not installed, an older helper that does not report `provisioned`),
 * nothing is removed: records stay until a pass that got an answer.
 */
import { createHash } from 'node:crypto';
import type { CoreServices } from '../app/services';
import type { ProvisionResult, SiteProvisioner } from '../policy/provision';
import { isHelperHeld, type ProfileStore } from '../profiles/store';
import { helperProvisioned, type ProvisionedProfile } from './helper-client';

export type ProvisionedSource = () => Promise<
  { ok: true; profiles: ProvisionedProfile[] | null; refused: { bundle: string; reason: string }[] } | { ok: false; reason: string }
>;

/** Apply what the helper reported to the store; returns one result per profile stored, removed or refused. */
export async function syncHelperHeld(store: ProfileStore, profiles: readonly ProvisionedProfile[], seen: Map<string, string>): Promise<ProvisionResult[]> {
  const results: ProvisionResult[] = [];
  const keep = new Set<string>();
  for (const p of profiles) {
    keep.add(p.name.toLowerCase());
    const digest = createHash('sha256').update(JSON.stringify(p)).digest('hex');
    const existing = await store.get(p.name);
    if (seen.get(p.name) === digest && existing) {
      results.push({ path: `helper:${p.name}`, status: 'unchanged' });
      continue;
    }
    try {
      const view = await store.putHelperHeld({ ...p, sourceFileName: p.sourceFileName });
      seen.set(p.name, digest);
      results.push({ path: `helper:${p.name}`, status: 'imported', result: view });
    } catch (e) {
      results.push({ path: `helper:${p.name}`, status: 'refused', reason: (e as Error).message });
    }
  }
  for (const r of await store.records()) {
    if (r.origin !== 'policy' || !isHelperHeld(r) || keep.has(r.name.toLowerCase())) continue;
    await store.remove(r.name);
    seen.delete(r.name);
    results.push({ path: `helper:${r.name}`, status: 'removed', reason: 'its bundle is no longer listed by policy' });
  }
  return results;
}

export function createHelperProvisioner(core: CoreServices, source: ProvisionedSource = () => helperProvisioned(core.runner)): SiteProvisioner {
  const store = core.profiles;
  const logger = core.logger.child('provision');
  const seen = new Map<string, string>();
  return {
    async onSites(paths) {
      // No sites listed: nothing to ask the helper; every helper-held policy record goes.
      if (paths.length === 0) return syncHelperHeld(store, [], seen);
      const got = await source();
      if (!got.ok) {
        logger.warn('policy: the helper could not list provisioned sites', { reason: got.reason });
        return [{ path: 'helper', status: 'failed', reason: got.reason }];
      }
      if (got.profiles === null) {
        logger.warn('policy: the installed helper does not report provisioned sites; update Longhaul');
        return [{ path: 'helper', status: 'failed', reason: 'the installed helper does not report provisioned sites (older version)' }];
      }
      const results = await syncHelperHeld(store, got.profiles, seen);
      for (const r of got.refused) results.push({ path: r.bundle, status: 'refused', reason: r.reason });
      return results;
    },
  };
}
