/**
 * The managed-policy sources of each OS, highest precedence first. Environment: plain Node.
 *
 *  - Windows: `HKLM\SOFTWARE\Policies\Longhaul`, then `HKCU\SOFTWARE\Policies\Longhaul` (machine wins, as for Chrome
 *    and VS Code); read through a `RegistryReader` (default: `reg query` via the runner).
 *  - macOS: `/Library/Managed Preferences/studio.longhaul.client.plist` only (XML or binary plist, parsed in-process).
 *  - Linux (and other Unix): `/etc/longhaul/policy.json`.
 *
 * Test-only override: when the process runs a test or harness build (`process.env.LONGHAUL_TEST_BUILD === '1'`) and
 * `LONGHAUL_TEST_POLICY_PATH` names a JSON file, that file is the only source — still root-owned and not group/world-
 * writable, like the real one. Packaged builds replace `process.env.LONGHAUL_TEST_BUILD` with `"0"` at bundle time
 * (esbuild `define`), so the comparison is constant-false there and the override cannot be switched on by anyone.
 */
import { APP_ID } from '../app/identity';
import type { ProcessRunner } from '../platform/runner';
import { createJsonFileSource } from './json-source';
import { createPlistFileSource, managedPreferencesPath } from './plist-source';
import type { PolicySource } from './policy';
import { createRegQueryReader, type RegistryReader } from './registry';
import { createRegistrySource } from './registry-source';

export const LINUX_POLICY_PATH = '/etc/longhaul/policy.json';
export const MAC_POLICY_PATH = managedPreferencesPath(APP_ID);

export interface OsPolicyOptions {
  /** Where LONGHAUL_TEST_POLICY_PATH (and SystemRoot on Windows) is read from; default process.env. */
  env?: Record<string, string | undefined>;
  /** Windows only: another registry reader (tests, or a native one later). */
  registry?: RegistryReader;
}

/** True only in test and harness builds; a literal `process.env.X` read so the bundler can define it away. */
export function isTestBuild(): boolean {
  return process.env.LONGHAUL_TEST_BUILD === '1';
}

/** The test override path, or null when overrides are not allowed in this build or none is set. */
export function testPolicyOverride(env: Record<string, string | undefined> = process.env): string | null {
  if (!isTestBuild()) return null;
  const p = env.LONGHAUL_TEST_POLICY_PATH;
  return p && p.length > 0 ? p : null;
}

export function createOsPolicySources(platform: NodeJS.Platform, runner: ProcessRunner, opts: OsPolicyOptions = {}): PolicySource[] {
  const env = opts.env ?? process.env;
  const override = testPolicyOverride(env);
  if (override) return [createJsonFileSource(override)];
  switch (platform) {
    case 'win32': {
      const reader = opts.registry ?? createRegQueryReader(runner, env);
      return [createRegistrySource('HKLM', reader), createRegistrySource('HKCU', reader)];
    }
    case 'darwin':
      return [createPlistFileSource(MAC_POLICY_PATH)];
    default:
      return [createJsonFileSource(LINUX_POLICY_PATH)];
  }
}

/** Files whose directories a watcher should observe for this platform (none on Windows: the registry is polled). */
export function policyWatchPaths(platform: NodeJS.Platform, env: Record<string, string | undefined> = process.env): string[] {
  const override = testPolicyOverride(env);
  if (override) return [override];
  if (platform === 'win32') return [];
  return [platform === 'darwin' ? MAC_POLICY_PATH : LINUX_POLICY_PATH];
}
