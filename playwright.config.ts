import { defineConfig } from '@playwright/test';

/**
 * e2e: the renderer's production build in Debian Chromium against the browser-harness host running the real main
 * handlers. The `electron` project runs the same specs in the desktop app when an Electron binary is provided
 * (ELECTRON_OVERRIDE_DIST_PATH); otherwise it is skipped loudly (see e2e/fixtures.ts).
 */
export default defineConfig({
  testDir: './e2e',
  outputDir: './test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [['list']],
  use: {
    headless: true,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'harness',
      use: {
        browserName: 'chromium',
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      },
    },
    {
      // Same specs in the desktop app; without ELECTRON_OVERRIDE_DIST_PATH every test is skipped with a loud notice.
      name: 'electron',
      use: { browserName: 'chromium', launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--headless'] } },
    },
  ],
});
