/**
 * Zip bundles: one or more `.conf` files plus an optional `site.json`. Entries are read in memory by base name only
 * (no path from the archive is ever used to write), with caps on entry count, entry size and total size; a base name
 * seen twice is reported and the later copy skipped. Environment: plain Node (fflate).
 */
import * as zlib from 'node:zlib';
import { unzipSync, type UnzipFileInfo } from 'fflate';
import { echo, quote } from '../log/quote';
import type { ProfileIssue } from './types';

export const ZIP_LIMITS = {
  maxZipBytes: 4 * 1024 * 1024,
  maxEntries: 64,
  maxEntryBytes: 256 * 1024,
  maxTotalBytes: 2 * 1024 * 1024,
} as const;

export interface BundleEntry {
  /** Base name inside the archive (`farm.conf`). */
  fileName: string;
  bytes: Uint8Array;
}

export interface BundleContents {
  confs: BundleEntry[];
  site: BundleEntry | null;
  errors: ProfileIssue[];
  warnings: ProfileIssue[];
}

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 0x03 || bytes[2] === 0x05);
}

export function readBundle(zip: Uint8Array, zipName: string, limits = ZIP_LIMITS): BundleContents {
  const out: BundleContents = { confs: [], site: null, errors: [], warnings: [] };
  const fail = (code: string, message: string) => out.errors.push({ line: null, code, message });
  if (zip.length > limits.maxZipBytes) {
    fail('zip.too-large', `${echo(zipName)} is ${zip.length} bytes; a profile bundle is a few kilobytes (limit ${limits.maxZipBytes}).`);
    return out;
  }
  let count = 0;
  let declared = 0;
  let capHit = false;
  const wanted = (f: UnzipFileInfo): boolean => {
    const base = baseName(f.name);
    if (f.name.endsWith('/') || base === '' || base.startsWith('.') || f.name.startsWith('__MACOSX/')) return false;
    if (!/\.conf$/i.test(base) && base.toLowerCase() !== 'site.json') {
      out.warnings.push({ line: null, code: 'zip.ignored-entry', message: `${echo(zipName)}: ${quote(base)} is neither a .conf nor site.json and was ignored.` });
      return false;
    }
    count++;
    declared += f.originalSize;
    if (count > limits.maxEntries || f.originalSize > limits.maxEntryBytes || declared > limits.maxTotalBytes) {
      capHit = true;
      return false;
    }
    return true;
  };
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(zip, { filter: wanted });
  } catch (e) {
    fail('zip.invalid', `${echo(zipName)} is not a readable zip archive (${echo((e as Error).message, 120)}). Ask IT to send the bundle again.`);
    return out;
  }
  if (capHit) {
    fail('zip.too-large', `${echo(zipName)} has too many or too large entries (limits: ${limits.maxEntries} entries, ${limits.maxEntryBytes} bytes each, ${limits.maxTotalBytes} in total). A profile bundle holds a .conf and a site.json.`);
    return out;
  }
  const seen = new Map<string, string>();
  const crcs = centralDirectoryCrcs(zip);
  let total = 0;
  for (const [name, bytes] of Object.entries(files)) {
    total += bytes.length;
    if (bytes.length > limits.maxEntryBytes || total > limits.maxTotalBytes) {
      fail('zip.too-large', `${echo(zipName)}: entry ${quote(baseName(name))} is larger than declared or over the size limit.`);
      return out;
    }
    // fflate inflates into a buffer of the declared size: an entry that lies about its size comes out truncated.
    // The CRC-32 of what came out must match the archive's, or the file is not what IT sent.
    if (crcs.get(name) !== zlib.crc32(bytes)) {
      fail('zip.corrupt', `${echo(zipName)}: entry ${quote(baseName(name))} does not match its checksum (damaged or altered archive). Ask IT to send the bundle again.`);
      return out;
    }
    const base = baseName(name);
    const key = base.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      fail('zip.duplicate', `${echo(zipName)} contains ${quote(base)} twice (${quote(first)} and ${quote(name)}): the second copy was not imported. Ask IT for a bundle with distinct file names.`);
      continue;
    }
    seen.set(key, name);
    if (key === 'site.json') out.site = { fileName: displayName(base), bytes };
    else out.confs.push({ fileName: displayName(base), bytes });
  }
  if (out.confs.length === 0) fail('zip.no-profile', `${echo(zipName)} contains no .conf file: no configuration files were found.`);
  return out;
}

/** CRC-32 of each entry as the central directory records it (APPNOTE 4.3.12: signature 0x02014b50). */
function centralDirectoryCrcs(zip: Uint8Array): Map<string, number> {
  const out = new Map<string, number>();
  const dv = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  // End of central directory (0x06054b50): the last 22 bytes plus up to 64 KiB of comment.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (dv.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return out;
  const entries = dv.getUint16(eocd + 10, true);
  let at = dv.getUint32(eocd + 16, true);
  for (let n = 0; n < entries && at + 46 <= zip.length && dv.getUint32(at, true) === 0x02014b50; n++) {
    const nameLen = dv.getUint16(at + 28, true);
    const extraLen = dv.getUint16(at + 30, true);
    const commentLen = dv.getUint16(at + 32, true);
    // Names decoded as fflate does: UTF-8 when general-purpose flag bit 11 is set, else byte = char.
    const raw = zip.subarray(at + 46, at + 46 + nameLen);
    const name = dv.getUint16(at + 8, true) & 0x800 ? new TextDecoder().decode(raw) : String.fromCharCode(...raw);
    out.set(name, dv.getUint32(at + 16, true));
    at += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/**
 * An entry's name as Longhaul shows and uses it (messages, the CLI, the UI, the suggested profile name): the archive's
 * bytes may hold control characters, escape sequences or a key, so the stem goes through `echo` (escaped, key-shaped
 * text removed, at most 100 characters); the extension is kept.
 */
function displayName(base: string): string {
  const m = /^(.*?)(\.conf|\.json)?$/is.exec(base)!;
  return echo(m[1]!, 100) + (m[2] ?? '');
}

function baseName(entry: string): string {
  return entry.split(/[\\/]/).pop() ?? '';
}
