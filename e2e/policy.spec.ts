/**
 * Managed policy in the UI: a harness started with a policy file (the test-only override path, honoured only in
 * test/harness builds and only for a root-owned file) shows "Managed by", locks what policy fixes with the reason.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkState } from './a11y';
import { expect, test } from './fixtures';
import { startHarnessProcess, type HarnessProcess } from './harness-process';
import { profileText } from './wg-keys';

const isRoot = process.getuid?.() === 0;

test.describe('managed policy', () => {
  test.skip(!isRoot, 'the policy override file must be root-owned: run as root (CI does)');
  let h: HarnessProcess;
  let policyFile: string;

  test.beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-policy-'));
    policyFile = path.join(dir, 'policy.json');
    fs.writeFileSync(policyFile, JSON.stringify({ managedByName: 'Northlight VFX IT', allowUserProfiles: false, requireGate: true, supportUrl: 'https://help.northlight.example/vpn' }), { mode: 0o644 });
    h = await startHarnessProcess({ env: { LONGHAUL_TEST_POLICY_PATH: policyFile } });
  });
  test.afterAll(async () => h?.close());

  test('shows who manages the app and locks profile import with the reason', async ({ page }, testInfo) => {
    test.skip(testInfo.project.name === 'electron', 'policy override path exists only in the harness build');
    await page.goto(h.url);
    await expect(page.getByRole('navigation')).toContainText('Managed by Northlight VFX IT');
    const importButton = page.getByRole('button', { name: 'Import profile…' });
    await expect(importButton).toBeDisabled();
    await expect(importButton).toHaveAttribute('title', /Set by Northlight VFX IT \(managed policy: .*policy\.json\)/);
    await expect(page.getByRole('note').filter({ hasText: 'only profiles provided by your organisation can be used' })).toBeVisible();
    await page.locator('nav button[data-page="settings"]').click();
    await expect(page.getByRole('region', { name: 'Managed policy' })).toContainText('requireGate');
  });

  test('a policy change reaches the open window without a restart', async ({ page }, testInfo) => {
    test.skip(testInfo.project.name === 'electron', 'policy override path exists only in the harness build');
    await page.goto(h.url);
    await expect(page.getByRole('button', { name: 'Import profile…' })).toBeDisabled();
    const tmp = `${policyFile}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ managedByName: 'Northlight VFX IT', allowUserProfiles: true }), { mode: 0o644 });
    fs.renameSync(tmp, policyFile);
    await expect(page.getByRole('button', { name: 'Import profile…' })).toBeEnabled({ timeout: 10_000 });
  });

  test('a pre-provisioned site appears on first launch, marked as managed', async ({ page }, testInfo) => {
    test.skip(testInfo.project.name === 'electron', 'policy override path exists only in the harness build');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-site-'));
    const bundle = path.join(dir, 'northlight');
    fs.mkdirSync(bundle, { mode: 0o755 });
    const { text, me } = profileText({ address: '10.77.9.2/32' });
    fs.writeFileSync(path.join(bundle, 'northlight.conf'), text, { mode: 0o600 });
    fs.writeFileSync(path.join(bundle, 'site.json'), JSON.stringify({ name: 'Northlight Paris', dnsNames: ['render01.farm.internal'], streamHosts: [{ name: 'WS-12', host: 'ws12.farm.internal', app: 'Desktop' }] }), { mode: 0o644 });
    const file = path.join(dir, 'policy.json');
    fs.writeFileSync(file, JSON.stringify({ managedByName: 'Northlight VFX IT', sites: [bundle] }), { mode: 0o644 });
    const own = await startHarnessProcess({ env: { LONGHAUL_TEST_POLICY_PATH: file } });
    try {
      await page.goto(own.url);
      // Home: no first run to go through, the site is there by itself, one click from connecting.
      await expect(page.locator('section.first-run')).toHaveCount(0);
      const home = page.locator('section.hero[data-step="disconnected"]');
      await expect(home).toContainText('Connect to Northlight Paris');
      await expect(home.getByRole('button', { name: 'Connect', exact: true })).toBeEnabled();
      await checkState(page, 'home-policy-site');
      await page.locator('nav button[data-page="connect"]').click();
      const row = page.getByRole('table', { name: 'Profiles' }).getByRole('row', { name: /northlight/ });
      await expect(row).toContainText('managed');
      await row.getByRole('button', { name: 'northlight' }).click();
      const detail = page.getByRole('region', { name: 'Profile northlight' });
      await expect(detail).toContainText('Northlight Paris (1 stream host)');
      await expect(detail).toContainText('Provided by your organisation');
      await expect(detail.getByRole('button', { name: 'Delete…' })).toHaveCount(0);
      expect(await page.content()).not.toContain(me.privateKey);
    } finally {
      await own.close();
    }
  });
});
