/**
 * Reading a policy file only when nobody but root could have written it. Environment: plain Node.
 *
 * Rule (Linux `/etc/longhaul/policy.json`, macOS `/Library/Managed Preferences/<appId>.plist`, the test override):
 *  - the file (after resolving symlinks) is a regular file owned by uid 0 and not group- or world-writable;
 *  - every directory from its parent up to `/` is owned by uid 0 and not group/world-writable, unless it has the
 *    sticky bit (like `/tmp`: others cannot rename or replace a root-owned entry in it) — otherwise a non-root user
 *    could swap the file or a directory on the way;
 *  - the checks are made on the open descriptor (`fstat`), so the bytes read are those of the file that was checked.
 * A refusal names the file, what is wrong and how to fix it.
 *
 * Windows (site bundles the service reads under %ProgramData%\Longhaul\Sites): Node's stat has no owner and no real
 * mode bits there, so only "regular file, size" is checked and the ACL the installer sets on that folder (SYSTEM and
 * Administrators only, inheritance removed) is the boundary. UNVERIFIED (no Windows here); the registry policy itself
 * is read from HKLM/HKCU, not through this function.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

export const MAX_POLICY_BYTES = 1024 * 1024;

export type TrustedRead =
  | { status: 'absent' }
  | { status: 'refused'; reason: string }
  | { status: 'ok'; content: Buffer; realPath: string };

function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

async function checkAncestors(realFile: string, ownerUid: number): Promise<string | null> {
  let dir = path.dirname(realFile);
  for (;;) {
    const st = await fs.stat(dir);
    const sticky = (st.mode & 0o1000) !== 0;
    if (st.uid !== ownerUid) {
      return `its directory ${dir} is owned by uid ${st.uid}, not root; fix: chown root ${dir}`;
    }
    if ((st.mode & 0o022) !== 0 && !sticky) {
      return `its directory ${dir} is writable by group or others (mode ${octal(st.mode)}); fix: chmod go-w ${dir}`;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/**
 * @param opts.secret the file carries a private key (a site bundle's .conf or .zip): it must also be readable only by
 *   root or the service (no group/other read bits), per the policy rules.
 */
export async function readRootOwnedFile(file: string, opts: { secret?: boolean; platform?: NodeJS.Platform } = {}): Promise<TrustedRead> {
  const ownerUid = 0;
  const posix = (opts.platform ?? process.platform) !== 'win32';
  let realPath: string;
  try {
    realPath = await fs.realpath(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'absent' };
    return { status: 'refused', reason: `${file}: cannot be resolved (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` };
  }
  const where = realPath === file ? file : `${file} (→ ${realPath})`;
  const ancestorProblem = posix ? await checkAncestors(realPath, ownerUid) : null;
  if (ancestorProblem) return { status: 'refused', reason: `${where}: ${ancestorProblem}` };
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(realPath, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { status: 'absent' };
    return { status: 'refused', reason: `${where}: cannot be opened (${code ?? (err as Error).message})` };
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) return { status: 'refused', reason: `${where}: is not a regular file` };
    if (posix && st.uid !== ownerUid) {
      return { status: 'refused', reason: `${where}: owned by uid ${st.uid}, not root; fix: chown root ${realPath}` };
    }
    if (posix && (st.mode & 0o022) !== 0) {
      return {
        status: 'refused',
        reason: `${where}: writable by group or others (mode ${octal(st.mode)}); fix: chmod 0644 ${realPath}`,
      };
    }
    if (posix && opts.secret && (st.mode & 0o044) !== 0) {
      return {
        status: 'refused',
        reason: `${where}: holds a private key but is readable by group or others (mode ${octal(st.mode)}); fix: chmod 0600 ${realPath}`,
      };
    }
    if (st.size > MAX_POLICY_BYTES) {
      return { status: 'refused', reason: `${where}: ${st.size} bytes is larger than the ${MAX_POLICY_BYTES}-byte limit for a policy` };
    }
    const content = await handle.readFile();
    return { status: 'ok', content, realPath };
  } finally {
    await handle.close();
  }
}
