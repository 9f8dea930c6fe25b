/**
 * The bundle: one zip (fflate) with report.json, summary.txt, report.html and README.txt, written atomically
 * (temp file in the target dir, mode 0600, fsync, rename, dir fsync). Environment: plain Node.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
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

/** Write `data` to `dir/name` atomically with mode 0600; returns the final path. */
export function writeAtomic(dir: string, name: string, data: Uint8Array): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const final = path.join(dir, name);
  const tmp = path.join(dir, `.${name}.${process.pid}.${Date.now()}.tmp`);
  const fd = fs.openSync(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600);
  try {
    fs.writeSync(fd, data);
    fs.fchmodSync(fd, 0o600); // the umask cannot widen it, but a pre-set ACL default could: be explicit
    fs.fsyncSync(fd);
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  try {
    fs.renameSync(tmp, final);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  if (process.platform !== 'win32') {
    try {
      const dfd = fs.openSync(dir, 'r');
      fs.fsyncSync(dfd);
      fs.closeSync(dfd);
    } catch {
      // directory fsync is best effort
    }
  }
  return final;
}
