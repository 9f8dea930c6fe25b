/**
 * Connect → connected against the lab gateway (real wireguard-go, real wg-quick) → disconnect, from the Connect page,
 * with the browser and the harness host inside the artist namespace (e2e/lab-session.ts).
 */
import { expect, test } from './fixtures';
import { checkState } from './a11y';
import { dropBundle, isRoot, openLabSession, type LabSession } from './lab-session';

test.describe('connect against the lab', () => {
  test.skip(!isRoot, 'needs root: network namespaces and wireguard-go (CI runs as root)');
  let s: LabSession;
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
  test.beforeAll(async ({}, testInfo) => {
    test.skip(testInfo.project.name === 'electron', 'lab sessions drive Debian Chromium inside the namespace');
    s = await openLabSession({ id: 52 });
  });
  test.afterAll(async () => s?.close());

  test('connect shows a live handshake, runs the checks, and disconnect removes the tunnel', async () => {
    const page = s.page;
    await dropBundle(page, s.bundle());
    await expect(page.getByRole('alert', { name: 'Import result' })).toContainText(`Stored as “${s.lab.names.profileName}”`);
    await page.locator('nav button[data-page="connect"]').click();
    const control = page.getByRole('region', { name: 'Connection' });
    await control.getByRole('button', { name: 'Connect' }).click();
    await expect(control.getByRole('status', { name: 'Connection state' })).toHaveText('Connected', { timeout: 30_000 });
    await expect(control.getByTestId('handshake-age')).toHaveText(/\d+ s ago/);
    await expect(control).toContainText(s.lab.names.endpoint);
    await checkState(page, 'connect-connected');
    // The checks ran on their own after connecting.
    await page.locator('nav button[data-page="checks"]').click();
    await expect(page.getByRole('status', { name: 'Verdict' })).toBeVisible({ timeout: 30_000 });
    await page.locator('nav button[data-page="connect"]').click();
    await control.getByRole('button', { name: 'Disconnect' }).click();
    await expect(control.getByRole('status', { name: 'Connection state' })).toHaveText('Not connected', { timeout: 20_000 });
    await checkState(page, 'connect-disconnected');
  });
});
