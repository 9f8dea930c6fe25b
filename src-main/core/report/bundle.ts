/**
 * The bundle: one zip (fflate) with report.json, summary.txt, report.html and README.txt, written atomically
 * (temp file in the target dir, O_EXCL, mode 0600, fsync, rename, dir fsync). Environment: plain Node.
 */
import * as path from 'node:path';
import { ensurePrivateDir, writeFileAtomic } from '../platform/atomic';
import { strToU8, zipSync, type Zippable } from 'fflate';
import type { Report } from './model';
import { renderHtml } from './render/html';
import { renderReadme } from './render/readme';
import { renderSummary } from './render/summary';

export const BUNDLE_FILES = ['summary.txt', 'report.html', 'report.json', 'README.txt'] as const;

export interface BundleEntries {
  'report.json': string;
  'summary.txt': string;
  'report.html': string;
  'README.txt': string;
}

export function renderBundle(r: Report): BundleEntries {
  return {
    'report.json': JSON.stringify(r, null, 2) + '\n',
    'summary.txt': renderSummary(r),
    'report.html': renderHtml(r),
    'README.txt': renderReadme(r),
  };
}

export function zipBundle(entries: BundleEntries, createdAt: Date): Uint8Array {
  const files: Zippable = {};
  for (const name of BUNDLE_FILES) files[name] = [strToU8(entries[name]), { mtime: createdAt, level: 6 }];
  return zipSync(files);
}

export function bundleFileName(supportId: string): string {
  return `longhaul-report-${supportId}.zip`;
}

/**
 * Write `data` to `dir/name` atomically with mode 0600; returns the final path. `dir` may be anyone's (`--out /tmp`):
 * created 0700 when missing, never chmod-ed when it exists.
 */
export function writeAtomic(dir: string, name: string, data: Uint8Array): string {
  ensurePrivateDir(dir);
  const final = path.join(dir, name);
  writeFileAtomic(final, data, 0o600);
  return final;
}
