/**
 * Where the helper reads canonical profiles: `<dir>/<NAME>.conf` in a root-only directory (default
 * /var/lib/longhaul/profiles) — written there by the helper from a profile the app delivered on stdin
 * (`delivery.ts`), or provisioned by IT. The directory and the file must be owned by root and not writable by group or others,
 * and the file must be a regular file (no symlink): otherwise an unprivileged user could swap what root runs.
 * Environment: plain Node.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const DEFAULT_PROFILES_DIR = '/var/lib/longhaul/profiles';
export const DEFAULT_RUNTIME_DIR = '/run/longhaul/tunnels';
/** macOS has no /run (the system volume is read-only); /var/run is the boot-cleared runtime directory there. */
export const DARWIN_RUNTIME_DIR = '/var/run/longhaul/tunnels';
export const DEFAULT_LOG_DIR = '/var/log/longhaul';

export interface HelperDirs {
  profilesDir: string;
  runtimeDir: string;
  logDir: string;
}

/**
 * The helper's built-in directories per OS. Windows: under %ProgramData%\Longhaul\service, which the installer makes
 * SYSTEM/Administrators-only (inheritance removed: resources/windows/installer.nsh) — UNVERIFIED, no Windows here.
 */
export function helperDirs(platform: NodeJS.Platform = process.platform, env: Record<string, string | undefined> = process.env): HelperDirs {
  if (platform === 'win32') {
    const base = `${env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData'}\\Longhaul\\service`;
    return { profilesDir: `${base}\\profiles`, runtimeDir: `${base}\\run`, logDir: `${base}\\logs` };
  }
  return { profilesDir: DEFAULT_PROFILES_DIR, runtimeDir: platform === 'darwin' ? DARWIN_RUNTIME_DIR : DEFAULT_RUNTIME_DIR, logDir: DEFAULT_LOG_DIR };
}

export class ProfileSourceError extends Error {}

/**
 * Root-owned and not writable by group/others (POSIX). On Windows Node's stat carries no owner and no real mode bits
 * (files read 0666 or 0444): there the directory's ACL, set by the installer, is the boundary, and this check is
 * skipped (UNVERIFIED).
 */
export function checkOwner(st: fs.Stats, what: string, uid: number, platform: NodeJS.Platform = process.platform): void {
  if (platform === 'win32') return;
  if (st.uid !== uid) throw new ProfileSourceError(`${what} must be owned by root (uid ${uid}), not uid ${st.uid}`);
  if ((st.mode & 0o022) !== 0) throw new ProfileSourceError(`${what} must not be writable by group or others (mode ${(st.mode & 0o777).toString(8)})`);
}

export function readCanonicalProfile(dir: string, name: string, uid = 0): string {
  let dst: fs.Stats;
  try {
    dst = fs.lstatSync(dir);
  } catch {
    throw new ProfileSourceError(`no profile directory ${dir}: Longhaul has not installed any profile for the helper`);
  }
  if (!dst.isDirectory()) throw new ProfileSourceError(`${dir} is not a directory`);
  checkOwner(dst, dir, uid);
  const file = path.join(dir, `${name}.conf`);
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch {
    throw new ProfileSourceError(`no installed profile "${name}" (${file})`);
  }
  if (!st.isFile()) throw new ProfileSourceError(`${file} is not a regular file`);
  checkOwner(st, file, uid);
  if (st.size > 256 * 1024) throw new ProfileSourceError(`${file} is too large for a profile`);
  return fs.readFileSync(file, 'utf8');
}
