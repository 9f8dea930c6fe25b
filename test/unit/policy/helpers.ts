/** Shared test helpers: real root-owned files in a private temp dir (the tests run as root, as CI does). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export { isRoot } from '../../support/lab';

/** A fresh private directory (mkdtemp: mode 0700, owned by the current user) under the sticky /tmp. */
export function tempDir(prefix = 'longhaul-policy-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Write a file as the policy tooling would: owner root (the current user), mode 0644 unless given. */
export function writeFile(file: string, content: string | Uint8Array, mode = 0o644): string {
  fs.writeFileSync(file, content);
  fs.chmodSync(file, mode);
  return file;
}

/** A syntactically valid WireGuard key that is not anybody's key (32 zero bytes would be too easy to special-case). */
export const SAMPLE_KEY = Buffer.alloc(32, 7).toString('base64');
