/**
 * The helper (root) reads the managed policy's site bundles that a non-root app cannot: `status` (all) reports their
 * public data only (never a key), `up NAME` with empty stdin finds NAME among them, re-validated with the profile
 * parser (hooks refused unless the policy allows scripts). The policy is the test override
 * (LONGHAUL_TEST_POLICY_PATH, test build), root-owned like the real one; the bundle's .conf is 0600 root.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { publicKeyOf } from '../../../src-main/core/profiles';
import { createRunner } from '../../../src-main/core/platform/runner';
import { parseHelperDoc } from '../../../src-main/core/tunnel/helper-client';
import { runHelper, type HelperConfig } from '../../../src-main/helper/main';
import { findPolicySite, policyEnvOf, readPolicySites } from '../../../src-main/helper/policy-sites';
import { isRoot, warnSkippedUnlessRoot } from '../../support/lab';
import { buildProfile } from '../../support/profile';

warnSkippedUnlessRoot('test/unit/tunnel/helper-policy-sites.test.ts: its root-only tests are skipped (run as root)');

function siteConf(extra = ''): { text: string; key: string } {
  return buildProfile({ address: '10.77.0.2/32', dns: '10.77.0.1', extra, endpoint: '192.0.2.7:51820', allowedIPs: '10.77.0.0/24' });
}

describe.skipIf(!isRoot)('policy sites read by the helper', () => {
  let saved: string | undefined;
  let root: string;
  let cfg: HelperConfig;
  let env: Record<string, string | undefined>;
  let key: string;

  /** A policy listing one bundle directory per entry of `bundles` (name → conf text). */
  function provision(bundles: Record<string, string>, policy: Record<string, unknown> = {}): void {
    const sites: string[] = [];
    for (const [name, text] of Object.entries(bundles)) {
      const dir = path.join(root, 'sites', name);
      fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
      fs.writeFileSync(path.join(dir, `${name}.conf`), text, { mode: 0o600 });
      fs.writeFileSync(path.join(dir, 'site.json'), JSON.stringify({ name: `Studio ${name}` }), { mode: 0o644 });
      sites.push(dir);
    }
    fs.writeFileSync(path.join(root, 'policy.json'), JSON.stringify({ sites, ...policy }), { mode: 0o644 });
  }

  beforeEach(() => {
    saved = process.env.LONGHAUL_TEST_BUILD;
    process.env.LONGHAUL_TEST_BUILD = '1';
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-helper-sites-'));
    fs.chmodSync(root, 0o755);
    cfg = { profilesDir: path.join(root, 'profiles'), runtimeDir: path.join(root, 'run'), logDir: null, ownerUid: 0 };
    fs.mkdirSync(cfg.runtimeDir, { mode: 0o700 });
    env = { LONGHAUL_TEST_POLICY_PATH: path.join(root, 'policy.json') };
    const c = siteConf();
    key = c.key;
    provision({ farm: c.text, hooked: siteConf('PostUp = echo hi').text });
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.LONGHAUL_TEST_BUILD;
    else process.env.LONGHAUL_TEST_BUILD = saved;
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('status (all) reports the readable sites as public data only, and the client parses it', async () => {
    const out = await runHelper(['status'], env, 0, { config: cfg });
    expect(out.code).toBe(0);
    const line = JSON.stringify({ schemaVersion: 1, ...out.doc });
    expect(line).not.toContain(key);
    expect(line).not.toMatch(/"privateKey"|"presharedKey"/i);
    const doc = parseHelperDoc(line + '\n');
    expect(doc?.tunnels).toEqual([]);
    expect(doc?.provisioned?.map((p) => p.name)).toEqual(['farm']);
    const farm = doc!.provisioned![0]!;
    expect(farm).toMatchObject({ origin: 'policy', allowScripts: false, publicKey: publicKeyOf(key), site: { name: 'Studio farm' } });
    expect(farm.profile.interface).toMatchObject({ addresses: ['10.77.0.2/32'], dns: ['10.77.0.1'] });
    expect(farm.profile.peers[0]).toMatchObject({ allowedIps: ['10.77.0.0/24'], endpoint: { host: '192.0.2.7', port: 51820 } });
    // The bundle with hooks is refused (allowScripts is false), with the file and line named.
    expect(doc?.provisionRefused).toEqual([expect.objectContaining({ bundle: path.join(root, 'sites', 'hooked'), reason: expect.stringMatching(/hooked\.conf:\d+/) })]);
  });

  it('status NAME stays as before (no provisioned field)', async () => {
    const out = await runHelper(['status', 'farm'], env, 0, { config: cfg });
    expect(out.doc.provisioned).toBeUndefined();
    expect(out.doc.tunnels).toHaveLength(1);
  });

  it('finds a site by its exact name with its keys, for the helper only', async () => {
    const sites = await readPolicySites(createRunner(), env);
    expect(findPolicySite(sites, 'farm')?.profile.interface.privateKey).toBe(key);
    expect(findPolicySite(sites, 'FARM')).toBeNull();
    expect(findPolicySite(sites, 'hooked')).toBeNull();
  });

  it('up NAME with empty stdin looks NAME up among the policy sites (hooks refused as for the app)', async () => {
    const hooked = await runHelper(['up', 'hooked'], { ...env }, 0, { config: cfg, stdin: null });
    const s = (hooked.doc.tunnels as { reason: string; message: string }[])[0]!;
    expect(hooked.code).toBe(1);
    expect(s.reason).toBe('hooks-refused');
    expect(s.message).toMatch(/The site "hooked" provisioned by IT cannot be used: .*hooked\.conf/);
    // A name neither installed in the helper's directory nor listed by policy: as before.
    const none = await runHelper(['up', 'nosuch'], env, 0, { config: cfg, stdin: null });
    expect(none).toMatchObject({ code: 2, doc: { error: { code: 'profile-unavailable' } } });
  });

  it('ignores the test policy override when started through pkexec', async () => {
    expect(policyEnvOf({ PKEXEC_UID: '1000', LONGHAUL_TEST_POLICY_PATH: '/x' }).LONGHAUL_TEST_POLICY_PATH).toBeUndefined();
    expect(policyEnvOf(env)).toBe(env);
    const sites = await readPolicySites(createRunner(), { ...env, PKEXEC_UID: '1000' });
    expect(findPolicySite(sites, 'farm')).toBeNull();
  });

  it('refuses a bundle whose key is readable by others, without leaking the key', async () => {
    fs.chmodSync(path.join(root, 'sites', 'farm', 'farm.conf'), 0o644);
    const out = await runHelper(['status'], env, 0, { config: cfg });
    const line = JSON.stringify(out.doc);
    expect(line).not.toContain(key);
    expect(out.doc.provisioned).toEqual([]);
    expect(line).toMatch(/readable by group or others/);
  });
});
