/**
 * Live health reaches the page (lab id 93; browser and host inside the artist namespace, e2e/lab-session.ts): a run
 * that finds the blackhole makes main's health tracker raise `checks.fix-available`, pushed as `health.changed` and
 * shown in the frame's "Live health" banner on every page; Apply fix's clean re-run clears it.
 */
import { expect, test } from './fixtures';
import { checkState } from './a11y';
import { dropBundle, isRoot, openLabSession } from './lab-session';

test.describe('live health in the page', () => {
  test.skip(!isRoot, 'needs root: network namespaces, wireguard-go, dnsmasq, iptables (CI runs as root)');
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
  test.beforeEach(({}, testInfo) => {
    test.skip(testInfo.project.name === 'electron', 'lab sessions drive Debian Chromium inside the namespace');
  });

  test('a fix available shows on every page and clears once the fix made the tunnel healthy', async () => {
    const s = await openLabSession({ id: 93, scenario: 'farm-blackhole' });
    try {
      const page = s.page;
      const health = page.getByRole('list', { name: 'Live health' });
      await expect(health).toHaveCount(0); // healthy: no banner
      await dropBundle(page, s.bundle());
      await expect(page.getByRole('alert', { name: 'Import result' })).toContainText(`Stored as “${s.lab.names.profileName}”`);
      await page.getByRole('button', { name: 'Checks' }).click();
      await page.getByLabel('Profile').selectOption(s.lab.names.profileName);
      await page.getByRole('button', { name: /^(Run checks|Run again)$/ }).click();
      await expect(page.getByRole('status', { name: 'Verdict' })).toContainText('Broken', { timeout: 60_000 });
      // The banner sits in a live region that was there before it appeared (so screen readers announce it).
      await expect(page.getByTestId('health-live').getByRole('list', { name: 'Live health' })).toBeVisible();
      await expect(page.getByTestId('health-live')).toHaveAttribute('aria-live', 'polite');
      await expect(page.locator('main#main')).not.toHaveAttribute('aria-live', /.+/);
      const item = health.locator('[data-code="checks.fix-available"]');
      await expect(item).toContainText('A fix is ready to apply');
      await expect(item).toContainText('Large packets vanish in the tunnel');
      await page.getByRole('button', { name: 'Diagnostics' }).click();
      await expect(item).toBeVisible();
      await checkState(page, 'health-fix-available');
      await page.getByRole('button', { name: 'Checks' }).click();
      await page.locator('[data-code="mtu.blackhole"]').getByRole('button', { name: /Apply fix/ }).click();
      await expect(page.getByRole('status', { name: 'Verdict' })).toContainText('Healthy', { timeout: 90_000 });
      // The banner's own words on failure: which condition is still held.
      // (allInnerTexts does not wait: a banner that goes away between two reads is simply gone.)
      await expect.poll(async () => (await health.allInnerTexts()).join(' | '), { timeout: 10_000 }).toBe('');
    } finally {
      await s.close();
    }
  });
});
