import * as fs from 'node:fs';
import * as path from 'node:path';
import { PAGES_FOR_TESTS } from './pages';
import { expect, saveScreenshot, test } from './fixtures';

test.describe('app frame', () => {
  test('loads with navigation and the Home page', async ({ app }) => {
    await expect(app.getByRole('navigation', { name: 'Main' })).toBeVisible();
    await expect(app.getByRole('heading', { level: 1, name: 'Home' })).toBeAttached();
    await expect(app.getByRole('navigation').getByRole('button')).toHaveCount(PAGES_FOR_TESTS.length);
  });

  test('every nav item is reachable and operable by keyboard alone', async ({ app }) => {
    // Tab from the top of the document reaches the skip link, then the first nav item.
    await app.locator('body').press('Tab');
    await app.keyboard.press('Tab');
    await expect(app.locator('nav button[data-page="home"]')).toBeFocused();
    for (const [i, p] of PAGES_FOR_TESTS.entries()) {
      if (i > 0) await app.keyboard.press('Tab');
      await expect(app.locator(`nav button[data-page="${p.id}"]`)).toBeFocused();
      await app.keyboard.press('Enter');
      await expect(app.getByRole('heading', { level: 1, name: p.label })).toBeAttached();
      await expect(app.locator(`nav button[data-page="${p.id}"]`)).toHaveAttribute('aria-current', 'page');
    }
    // Arrow keys move within the navigation too (wrapping).
    await app.keyboard.press('ArrowDown');
    await expect(app.locator('nav button[data-page="home"]')).toBeFocused();
    await app.keyboard.press('End');
    await expect(app.locator('nav button[data-page="settings"]')).toBeFocused();
  });

  test('a contract round trip reaches the real Node host and back', async ({ app, goto }) => {
    await goto('settings');
    const version = (JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
    await expect(app.getByTestId('app-version')).toHaveText(version);
    await app.getByRole('button', { name: 'Test link to the Longhaul core' }).click();
    await expect(app.getByTestId('ping-result')).toContainText(/Core answered from (harness|electron) at \d{4}-\d\d-\d\dT/);
  });

  test('the CSP is in force: an inline script is refused', async ({ app }) => {
    const violations = app.evaluate(
      () =>
        new Promise<string>((resolve) => {
          document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective), { once: true });
          const s = document.createElement('script');
          s.textContent = 'window.__inlineRan = true;';
          document.head.appendChild(s);
          setTimeout(() => resolve('no violation reported'), 2000);
        }),
    );
    expect(await violations).toMatch(/^script-src/);
    expect(await app.evaluate(() => (window as unknown as { __inlineRan?: boolean }).__inlineRan === true)).toBe(false);
    // A request to any other origin is refused by connect-src.
    const fetched = await app.evaluate(() => fetch('http://127.0.0.1:9/').then(() => 'loaded', () => 'refused'));
    expect(fetched).toBe('refused');
  });

  test('screenshots of every page in light and dark', async ({ app, goto }) => {
    for (const theme of ['light', 'dark'] as const) {
      await goto('settings');
      await app.getByRole('radio', { name: theme === 'light' ? 'Light' : 'Dark' }).check();
      await expect(app.locator('html')).toHaveAttribute('data-theme', theme);
      for (const p of PAGES_FOR_TESTS) {
        await goto(p.id);
        await expect(app.getByRole('heading', { level: 1, name: p.label })).toBeAttached();
        await saveScreenshot(app, `${p.id}-${theme}`);
      }
    }
  });
});
