/**
 * Provisioning the sites a policy lists (`sites`): each path is a site bundle — a `.zip`, or a directory holding the
 * `.conf` file(s) and an optional `site.json`. This module reads a bundle under the same trust rule as the policy
 * itself (root-owned, nothing writable by others, see `file-trust.ts`) and hands it to the profile store as one zip
 * with `origin: 'policy'` and the policy's `allowScripts`. A directory is packed in memory (fflate), so the store sees
 * one bundle either way. Unchanged bundles are not re-imported. Environment: plain Node.
 *
 * The importer is structural (`SiteImporter`): the profile store's `import` fits it; this module does not import the
 * profiles code, so either side can change without breaking the other's build.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { zipSync } from 'fflate';
import type { Logger } from '../log/logger';
import { nullLogger } from '../log/logger';
import { readRootOwnedFile } from './file-trust';

export interface SiteImportInput {
  fileName: string;
  bytes: Uint8Array;
  origin: 'policy';
  allowScripts: boolean;
}

export interface SiteImporter {
  import(input: SiteImportInput): Promise<unknown>;
}

export type SiteBundleRead = { ok: true; fileName: string; bytes: Uint8Array } | { ok: false; reason: string };

export interface ProvisionResult {
  path: string;
  status: 'imported' | 'unchanged' | 'refused' | 'failed' | 'removed';
  reason?: string;
  /** What the importer returned (the store's batch result). */
  result?: unknown;
}

/** Read one site bundle path: a zip file, or a directory of `.conf` + `site.json` packed into a zip. */
export async function readSiteBundle(bundlePath: string): Promise<SiteBundleRead> {
  let st;
  try {
    st = await fs.stat(bundlePath);
  } catch (err) {
    return { ok: false, reason: `${bundlePath}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : (err as Error).message}` };
  }
  if (st.isFile()) {
    const got = await readRootOwnedFile(bundlePath, { secret: true });
    if (got.status === 'absent') return { ok: false, reason: `${bundlePath}: does not exist` };
    if (got.status === 'refused') return { ok: false, reason: got.reason };
    return { ok: true, fileName: path.basename(bundlePath), bytes: new Uint8Array(got.content) };
  }
  if (!st.isDirectory()) return { ok: false, reason: `${bundlePath}: is neither a .zip file nor a directory` };
  const names = (await fs.readdir(bundlePath)).filter((n) => /\.conf$/i.test(n) || n.toLowerCase() === 'site.json').sort();
  if (!names.some((n) => /\.conf$/i.test(n))) {
    return { ok: false, reason: `${bundlePath}: the directory holds no .conf file; a site bundle needs one .conf and optionally site.json` };
  }
  const files: Record<string, Uint8Array> = {};
  for (const n of names) {
    const got = await readRootOwnedFile(path.join(bundlePath, n), { secret: /\.conf$/i.test(n) });
    if (got.status === 'absent') return { ok: false, reason: `${path.join(bundlePath, n)}: disappeared while reading` };
    if (got.status === 'refused') return { ok: false, reason: got.reason };
    files[n] = new Uint8Array(got.content);
  }
  return { ok: true, fileName: `${path.basename(bundlePath)}.zip`, bytes: zipSync(files, { level: 0, mtime: new Date('1980-01-01T00:00:00Z') }) };
}

export interface SiteProvisioner {
  /** The watcher's `onSites` hook: provision every listed path (serially), skipping unchanged bundles. */
  onSites(paths: readonly string[]): Promise<ProvisionResult[]>;
}

export function createSiteProvisioner(importer: SiteImporter, opts: { allowScripts: () => boolean; logger?: Logger }): SiteProvisioner {
  const logger = opts.logger ?? nullLogger;
  const imported = new Map<string, string>(); // path → sha256 of what was imported
  return {
    async onSites(paths) {
      const results: ProvisionResult[] = [];
      for (const p of paths) {
        const read = await readSiteBundle(p);
        if (!read.ok) {
          logger.warn('policy: site bundle refused', { reason: read.reason });
          results.push({ path: p, status: 'refused', reason: read.reason });
          continue;
        }
        const allowScripts = opts.allowScripts();
        const digest = createHash('sha256').update(read.bytes).update(allowScripts ? '\u0001' : '\u0000').digest('hex');
        if (imported.get(p) === digest) {
          results.push({ path: p, status: 'unchanged' });
          continue;
        }
        try {
          const result = await importer.import({ fileName: read.fileName, bytes: read.bytes, origin: 'policy', allowScripts });
          imported.set(p, digest);
          results.push({ path: p, status: 'imported', result });
        } catch (err) {
          logger.warn('policy: site bundle import failed', { error: (err as Error).message });
          results.push({ path: p, status: 'failed', reason: (err as Error).message });
        }
      }
      return results;
    },
  };
}
