/**
 * macOS managed preferences: `/Library/Managed Preferences/<appId>.plist` only (never `~/Library/Preferences`, which the
 * user can write). Refused unless root-owned and not writable by anyone else (`file-trust.ts`), as NetBird does.
 *
 * Both plist encodings MDM tools write are parsed in-process with the `plist` package: XML (`parse`) and binary
 * `bplist00` (`parseBinary`) — no `plutil` process needed. (`plutilCommand` documents the external fallback,
 * `plutil -convert xml1 -o - FILE`, UNVERIFIED: no macOS here; unused while the in-process parser works.)
 * An XML plist is first checked for well-formedness with fast-xml-parser's validator (one pass): the `plist` package's
 * XML parser (xmldom) is super-linear on malformed input (16 s on 1 MiB of `<`) and prints a console line per error.
 * Environment: plain Node.
 */
import * as path from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { parse, parseBinary } from 'plist';
import { readRootOwnedFile } from './file-trust';
import { findInlineSecret } from './inline-secrets';
import { validatePolicyDocument, type PolicySource, type PolicySourceResult } from './policy';

export const MANAGED_PREFERENCES_DIR = '/Library/Managed Preferences';

export function managedPreferencesPath(appId: string): string {
  return path.posix.join(MANAGED_PREFERENCES_DIR, `${appId}.plist`);
}

/** The external conversion (binary → XML on stdout), kept for diagnostics on a Mac. UNVERIFIED. */
export function plutilCommand(file: string): { program: string; args: string[] } {
  return { program: '/usr/bin/plutil', args: ['-convert', 'xml1', '-o', '-', file] };
}

export function isBinaryPlist(content: Uint8Array): boolean {
  return Buffer.from(content.subarray(0, 8)).toString('latin1') === 'bplist00';
}

/** Parse an XML or binary plist as a policy document; any problem refuses the whole file. */
export function parsePolicyPlist(name: string, content: Uint8Array | string): PolicySourceResult {
  let doc: unknown;
  try {
    if (typeof content !== 'string' && isBinaryPlist(content)) doc = parseBinary(content);
    else {
      const text = typeof content === 'string' ? content : Buffer.from(content).toString('utf8');
      const wellFormed = XMLValidator.validate(text);
      if (wellFormed !== true) throw new Error(`${wellFormed.err.msg} (line ${wellFormed.err.line})`);
      doc = parse(text);
    }
  } catch (err) {
    return {
      status: 'refused',
      reason: `${name}: not a valid property list: ${(err as Error).message}; fix the profile (the whole file is ignored until then)`,
    };
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc) || doc instanceof Date || ArrayBuffer.isView(doc)) {
    return { status: 'refused', reason: `${name}: the top level must be a <dict> of policy keys` };
  }
  // Configuration-profile bookkeeping (PayloadUUID, PayloadType, …) may be carried into the managed-preferences file:
  // not policy and not worth an "unknown key" report. Still scanned for inline keys by the validator's first step.
  const settings = Object.fromEntries(Object.entries(doc).filter(([k]) => !/^Payload[A-Z]/.test(k)));
  const secretAt = findInlineSecret(doc);
  if (secretAt) return { status: 'refused', reason: `${name}: an inline WireGuard key (${secretAt}) is not allowed in a policy` };
  const result = validatePolicyDocument(settings);
  return result.status === 'refused' ? { status: 'refused', reason: `${name}: ${result.reason}` } : result;
}

export function createPlistFileSource(file: string): PolicySource {
  return {
    name: file,
    async read() {
      const got = await readRootOwnedFile(file);
      if (got.status !== 'ok') return got;
      return parsePolicyPlist(file, got.content);
    },
  };
}
