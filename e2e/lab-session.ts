/**
 * A browser session "on the artist's machine": the lab's artist namespace runs the harness host (root, so Longhaul
 * drives wg-quick directly) and Debian Chromium itself (through a tiny `ip netns exec` wrapper), so the page reaches the
 * host on the namespace's loopback and the host reaches the farm only through the tunnel. Linux, root only.
 */
import { chromium, type Browser, type Page } from '@playwright/test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { labDown, labUp, type Lab, type LabOptions } from '../scripts/lab';
import { startHarnessProcess, type HarnessProcess } from './harness-process';

export const isRoot = process.getuid?.() === 0;

export interface LabSession {
  lab: Lab;
  harness: HarnessProcess;
  browser: Browser;
  page: Page;
  /** The lab profile (+ site.json when the scenario wrote one) as a bundle zip, for drag-and-drop import. */
  bundle(): { name: string; bytes: Uint8Array };
  close(): Promise<void>;
}

export async function openLabSession(opts: LabOptions & { harnessEnv?: Record<string, string>; siteKey?: string }): Promise<LabSession> {
  // siteKey: which site file of lab.extra the bundle carries (default `sitePath`; `capacitySitePath` names iperf3).
  const { harnessEnv, siteKey = 'sitePath', ...labOpts } = opts;
  const lab = await labUp(labOpts);
  const ns = lab.names.ns.artist;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-e2e-lab-'));
  const wrapper = path.join(tmp, 'chromium-in-netns');
  fs.writeFileSync(wrapper, `#!/bin/sh\nexec /usr/sbin/ip netns exec ${ns} ${process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'} "$@"\n`, { mode: 0o700 });
  let harness: HarnessProcess | null = null;
  let browser: Browser | null = null;
  try {
    harness = await startHarnessProcess({ wrap: ['/usr/sbin/ip', 'netns', 'exec', ns], ...(harnessEnv ? { env: harnessEnv } : {}) });
    browser = await chromium.launch({
      executablePath: wrapper,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    // A context of our own (axe-core's Playwright runner needs one, not newPage's implicit context).
    const page = await (await browser.newContext()).newPage();
    await page.goto(harness.url);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('status').filter({ hasText: 'Ready' }).waitFor();
    const h = harness;
    const b = browser;
    return {
      lab,
      harness: h,
      browser: b,
      page,
      bundle() {
        const files: Record<string, Uint8Array> = { [`${lab.names.profileName}.conf`]: fs.readFileSync(lab.profilePath) };
        const site = (lab.extra as Record<string, unknown> | undefined)?.[siteKey];
        if (typeof site === 'string' && fs.existsSync(site)) files['site.json'] = strToU8(fs.readFileSync(site, 'utf8'));
        return { name: `${lab.names.profileName}.zip`, bytes: zipSync(files) };
      },
      async close() {
        await b.close();
        await h.close();
        await labDown(lab);
      },
    };
  } catch (err) {
    await browser?.close();
    await harness?.close();
    await labDown(lab);
    throw err;
  }
}

/** Import a bundle by dropping it on the window, as an artist would. */
export async function dropBundle(page: Page, bundle: { name: string; bytes: Uint8Array }): Promise<void> {
  const dt = await page.evaluateHandle(({ name, b64 }) => {
    const bin = atob(b64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    const d = new DataTransfer();
    d.items.add(new File([bytes], name, { type: 'application/zip' }));
    return d;
  }, { name: bundle.name, b64: Buffer.from(bundle.bytes).toString('base64') });
  await page.dispatchEvent('main', 'dragenter', { dataTransfer: dt });
  await page.dispatchEvent('main', 'drop', { dataTransfer: dt });
}
