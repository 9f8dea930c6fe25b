/**
 * Fixtures shared by every spec: `app` is a Page showing Longhaul — in the browser harness (Debian Chromium + the real
 * Node host) or, in the `electron` project, the desktop app when an Electron binary exists. Specs are written once.
 */
import { _electron, test as base, type Page } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, startHarnessProcess, type HarnessProcess } from './harness-process';

const electronDist = process.env.ELECTRON_OVERRIDE_DIST_PATH;
const hasElectron = !!electronDist && fs.existsSync(electronDist);
let warned = false;

export const test = base.extend<{ app: Page; goto: (page: string) => Promise<void> }, { harness: HarnessProcess }>({
  harness: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
    async ({}, use) => {
      const h = await startHarnessProcess();
      await use(h);
      await h.close();
    },
    { scope: 'worker' },
  ],
  app: async ({ page, harness }, use, testInfo) => {
    if (testInfo.project.name === 'electron') {
      if (!hasElectron) {
        if (!warned) {
          warned = true;
          console.warn('\n*** SKIPPED: no Electron binary — set ELECTRON_OVERRIDE_DIST_PATH to run the e2e specs in the desktop app. ***\n');
        }
        test.skip(true, 'skipped: no Electron binary (ELECTRON_OVERRIDE_DIST_PATH unset)');
        return;
      }
      const app = await _electron.launch({ args: [path.join(ROOT, 'dist', 'main', 'main.cjs')], env: { ...process.env, LONGHAUL_DATA_DIR: harness.dataDir } });
      const win = await app.firstWindow();
      await use(win);
      await app.close();
      return;
    }
    await page.goto(harness.url);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('status').filter({ hasText: 'Ready' }).waitFor();
    await use(page);
  },
  goto: async ({ app }, use) => {
    await use(async (id: string) => {
      await app.locator(`nav button[data-page="${id}"]`).click();
    });
  },
});

export const expect = test.expect;

export async function saveScreenshot(page: Page, name: string): Promise<string> {
  const dir = path.join(ROOT, 'artifacts', 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await test.info().attach(name, { path: file, contentType: 'image/png' });
  return file;
}
