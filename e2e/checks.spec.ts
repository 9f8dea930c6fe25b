/**
 * The Checks page against real faults in the lab (browser and host inside the artist namespace, e2e/lab-session.ts):
 * a healthy farm, and a large-packet blackhole that "Apply fix" turns healthy (local MTU override, reconnect, re-run).
 */
import { expect, test } from './fixtures';
import { checkState } from './a11y';
import { dropBundle, isRoot, openLabSession, type LabSession } from './lab-session';

async function importAndRun(s: LabSession) {
  const page = s.page;
  await dropBundle(page, s.bundle());
  await expect(page.getByRole('alert', { name: 'Import result' })).toContainText(`Stored as “${s.lab.names.profileName}”`);
  await page.locator('nav button[data-page="checks"]').click();
  await page.getByLabel('Profile').selectOption(s.lab.names.profileName);
  await page.getByRole('button', { name: /^(Run checks|Run again)$/ }).click();
  const verdict = page.getByRole('status', { name: 'Verdict' });
  await expect(verdict).toBeVisible({ timeout: 60_000 });
  return verdict;
}

test.describe('checks against the lab', () => {
  test.skip(!isRoot, 'needs root: network namespaces, wireguard-go, dnsmasq, iptables (CI runs as root)');
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
  test.beforeEach(({}, testInfo) => {
    test.skip(testInfo.project.name === 'electron', 'lab sessions drive Debian Chromium inside the namespace');
  });

  test('a healthy farm: every check passes and the verdict says ready', async () => {
    const s = await openLabSession({ id: 53, scenario: 'farm-healthy' });
    try {
      const verdict = await importAndRun(s);
      await expect(verdict).toContainText('Healthy');
      await expect(verdict).toContainText(/path MTU \d+/);
      await expect(s.page.getByRole('list', { name: 'Findings' }).locator('.finding-error')).toHaveCount(0);
      await checkState(s.page, 'checks-healthy');
    } finally {
      await s.close();
    }
  });

  test('a large-packet blackhole is named with its MTU, and Apply fix makes the tunnel healthy', async () => {
    const s = await openLabSession({ id: 54, scenario: 'farm-blackhole' });
    try {
      const verdict = await importAndRun(s);
      await expect(verdict).toContainText('Broken');
      const finding = s.page.locator('[data-code="mtu.blackhole"]');
      await expect(finding).toBeVisible();
      await expect(finding).toContainText(/Packets up to \d+ bytes cross/);
      await checkState(s.page, 'checks-blackhole');
      await finding.getByRole('button', { name: /Apply fix/ }).click();
      await expect(s.page.getByRole('status', { name: 'Verdict' })).toContainText('Healthy', { timeout: 90_000 });
      await checkState(s.page, 'checks-blackhole-fixed');
      await s.page.locator('nav button[data-page="connect"]').click();
      await expect(s.page.getByRole('region', { name: `Profile ${s.lab.names.profileName}` })).toContainText(/set on this computer/);
    } finally {
      await s.close();
    }
  });
});
