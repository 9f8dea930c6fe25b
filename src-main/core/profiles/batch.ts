/**
 * Checking an input (a `.conf` as text/bytes, or a `.zip` bundle) without storing it: the shared first half of
 * `profiles.check`, `profiles.import` and the CLI. Environment: plain Node.
 */
import type { ProfileBatch, Site } from '../../contract/profiles';
import { isZip, readBundle } from './bundle';
import { parseProfile } from './parse';
import { parseSiteFile } from './site';
import type { ParseResult } from './types';

export interface BatchInput {
  fileName: string;
  bytes: Uint8Array | string;
  /** Store under this name (single `.conf` only). */
  name?: string;
  origin?: 'user' | 'policy';
  allowScripts?: boolean;
}

export interface CheckedEntry {
  fileName: string;
  name: string;
  nameSuggested: boolean;
  parse: ParseResult;
}

export interface CheckedBatch {
  entries: CheckedEntry[];
  bundleErrors: ProfileBatch['bundleErrors'];
  bundleWarnings: ProfileBatch['bundleWarnings'];
  site: Site | null;
}

export function checkInput(input: BatchInput): CheckedBatch {
  const origin = input.origin ?? 'user';
  const opts = { origin, allowScripts: input.allowScripts };
  const bytes = input.bytes;
  if (typeof bytes !== 'string' && isZip(bytes)) {
    const bundle = readBundle(bytes, input.fileName);
    const batch: CheckedBatch = { entries: [], bundleErrors: [...bundle.errors], bundleWarnings: [...bundle.warnings], site: null };
    if (bundle.site) {
      const s = parseSiteFile(bundle.site.bytes, bundle.site.fileName);
      batch.bundleErrors.push(...s.errors);
      batch.bundleWarnings.push(...s.warnings);
      batch.site = s.site;
    }
    for (const c of bundle.confs) {
      const parse = parseProfile(c.bytes, { ...opts, fileName: c.fileName });
      batch.entries.push({ fileName: c.fileName, name: parse.suggestedName, nameSuggested: parse.nameSuggested, parse });
    }
    return batch;
  }
  const parse = parseProfile(bytes, { ...opts, fileName: input.fileName });
  const name = input.name ?? parse.suggestedName;
  return {
    entries: [{ fileName: input.fileName, name, nameSuggested: input.name === undefined ? parse.nameSuggested : false, parse }],
    bundleErrors: [],
    bundleWarnings: [],
    site: null,
  };
}
