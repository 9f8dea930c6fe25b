/**
 * The report's HTML check itself: the Chromium net-log probe used by every lab scenario's report assertion
 * (test/lab/checks-scenarios.test.ts, via report-lab-helpers.ts) must see a page that does fetch something.
 * Root only (Chromium runs in a fresh network namespace); skips loudly otherwise.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isRoot } from './checks-helpers';
import { ART, renderInChromium } from './report-lab-helpers';

if (!isRoot) console.warn('\n*** report-lab tests SKIPPED: they need root (network namespaces) ***\n');

describe.skipIf(!isRoot)('report HTML offline check', () => {
  it('control: the Chromium net-log check does see a page that fetches something', async () => {
    fs.mkdirSync(ART, { recursive: true });
    const urls = await renderInChromium('<!doctype html><p>control</p><img src="http://127.0.0.1:9/planted.png">', path.join(ART, 'control.png'));
    expect(urls).toContain('http://127.0.0.1:9/planted.png');
  }, 120_000);
});
