/**
 * Sites pre-provisioned by managed policy, read by the helper (root). IT installs each `sites` bundle (the `.conf`
 * with its private key, 0600 root, plus `site.json`) readable only by root, so a non-root app cannot read it: the
 * helper reads the managed policy with the app's own reader (`createManagedPolicyReader`), each bundle under the same
 * trust rule (`readSiteBundle`: root-owned, keys not readable by others) and parses it with the profile code (origin
 * `policy`, the policy's `allowScripts`). It hands out only the PUBLIC part (`publicOf`: no private or preshared key,
 * the public key derived) on `status`, and the canonical text to its own controller on `up NAME` with empty stdin.
 *
 * The test-only policy override (`LONGHAUL_TEST_POLICY_PATH`, test builds only) is honoured only when root started the
 * helper directly (no PKEXEC_UID), like the helper's directory overrides (`config.ts`). Environment: plain Node, root.
 */
import type { Site } from '../contract/profiles';
import type { Logger } from '../core/log/logger';
import { globalRedactor } from '../core/log/redact';
import type { ProcessRunner } from '../core/platform/runner';
import { createManagedPolicyReader } from '../core/policy/reader';
import { readSiteBundle } from '../core/policy/provision';
import { checkInput, isValidInterfaceName, publicKeyOf, type ProfileIssue, type WgProfile } from '../core/profiles';
import { splitSecrets, type StoredRecord } from '../core/profiles/store-record';

/** What `status` reports per provisioned profile: public data only (never a key). */
export interface ProvisionedProfile {
  name: string;
  origin: 'policy';
  allowScripts: boolean;
  sourceFileName: string;
  publicKey: string;
  profile: StoredRecord['profile'];
  warnings: ProfileIssue[];
  site: Site | null;
}

export interface PolicySite {
  pub: ProvisionedProfile;
  /** The validated profile with its keys — for the helper's own controller only. */
  profile: WgProfile;
}

export interface PolicySites {
  sites: PolicySite[];
  /** Bundles or profiles that could not be used, with the reason (no key material). */
  refused: { bundle: string; reason: string; name?: string; hooks?: boolean }[];
}

export function policyEnvOf(env: Record<string, string | undefined>): Record<string, string | undefined> {
  if (env.PKEXEC_UID === undefined) return env;
  const rest = { ...env };
  delete rest.LONGHAUL_TEST_POLICY_PATH;
  return rest;
}

/** Read the managed policy and every `sites` bundle it lists; the first bundle to define a name wins. */
export async function readPolicySites(runner: ProcessRunner, env: Record<string, string | undefined>, logger?: Logger): Promise<PolicySites> {
  const reader = createManagedPolicyReader(process.platform, runner, { env: policyEnvOf(env), logger });
  const eff = await reader.read();
  const allowScripts = eff.policy.allowScripts;
  const out: PolicySites = { sites: [], refused: [] };
  const taken = new Set<string>();
  for (const bundle of eff.policy.sites) {
    const read = await readSiteBundle(bundle);
    if (!read.ok) {
      out.refused.push({ bundle, reason: read.reason });
      continue;
    }
    const batch = checkInput({ fileName: read.fileName, bytes: read.bytes, origin: 'policy', allowScripts });
    const blocking = batch.bundleErrors.filter((b) => b.code !== 'zip.duplicate');
    if (blocking.length > 0) {
      out.refused.push({ bundle, reason: `${read.fileName}: ${blocking.map((b) => b.message).join(' ')}` });
      continue;
    }
    for (const e of batch.entries) {
      const lower = e.name.toLowerCase();
      const p = e.parse.profile;
      if (!p || e.parse.errors.length > 0) {
        const hooks = e.parse.errors.some((x) => x.code.startsWith('hook'));
        out.refused.push({ bundle, name: e.name, hooks, reason: e.parse.errors.map((x) => `${e.fileName}${x.line ? `:${x.line}` : ''}: ${x.message}`).join('; ') || `${e.fileName}: not a usable profile` });
        continue;
      }
      if (!isValidInterfaceName(e.name) || taken.has(lower)) {
        out.refused.push({ bundle, reason: `${e.fileName}: "${e.name}" is not a usable profile name here (invalid, or already defined by an earlier bundle)` });
        continue;
      }
      taken.add(lower);
      out.sites.push({ profile: p, pub: publicOf(e.name, e.fileName, p, e.parse.warnings, batch.site, allowScripts) });
    }
  }
  for (const r of out.refused) r.reason = globalRedactor.redact(r.reason);
  for (const r of out.refused) logger?.warn('helper: policy site refused', { bundle: r.bundle, reason: r.reason });
  return out;
}

export function publicOf(name: string, fileName: string, p: WgProfile, warnings: ProfileIssue[], site: Site | null, allowScripts: boolean): ProvisionedProfile {
  return { name, origin: 'policy', allowScripts, sourceFileName: fileName, publicKey: publicKeyOf(p.interface.privateKey), profile: splitSecrets(p).pub, warnings, site };
}

/** Why the policy site `name` was refused, if a bundle defined it but could not be used. */
export function refusalOf(sites: PolicySites, name: string): { reason: string; hooks: boolean } | null {
  const r = sites.refused.find((x) => x.name === name);
  return r ? { reason: r.reason, hooks: r.hooks === true } : null;
}

/** The policy site named exactly `name` (the name `status` reported), or null. */
export function findPolicySite(sites: PolicySites, name: string): PolicySite | null {
  return sites.sites.find((s) => s.pub.name === name) ?? null;
}
