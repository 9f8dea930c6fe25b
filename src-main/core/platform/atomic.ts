/**
 * Crash-safe file writes: temp file in the same directory (O_EXCL, final mode from the start) → write → fsync →
 * rename over the target → fsync the directory. A crash at any point leaves either the old or the new file, never a
 * torn one; stray temp files (`*.tmp-*`) are ignored by readers and swept later. The one atomic writer of the
 * project (profiles, tunnel runtime files, the helper's copies, reports, stream state, the lab). Environment: plain Node.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const TEMP_MARKER = '.tmp-';

export function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o600): void {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}${TEMP_MARKER}${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
  const fd = fs.openSync(temp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, mode);
  try {
    fs.writeFileSync(fd, data);
    if (process.platform !== 'win32') fs.fchmodSync(fd, mode); // explicit: a default ACL must not widen it
    fs.fsyncSync(fd);
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw e;
  }
  fs.closeSync(fd);
  try {
    fs.renameSync(temp, file);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw e;
  }
  fsyncDir(dir);
}

export function fsyncDir(dir: string): void {
  if (process.platform === 'win32') return; // directories cannot be opened for fsync on Windows
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Remove a file and make the removal durable. Missing is fine. */
export function removeFileDurable(file: string): boolean {
  try {
    fs.unlinkSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
  fsyncDir(path.dirname(file));
  return true;
}

export type DirOutcome = 'created' | 'existing';

/**
 * Make sure `dir` exists, for files written privately into it (`writeFileAtomic`, `appendFilePrivate`: 0600, O_EXCL /
 * O_NOFOLLOW). Only what this call creates is Longhaul's: each missing level is made 0700 and set to 0700 explicitly
 * (through a no-follow handle, so a swapped-in symlink is never chmod-ed). A directory that already exists — which
 * Longhaul may not own (`report --out /tmp`, a shared drop folder, /etc/wireguard) — is never chmod-ed nor chown-ed.
 * Returns 'created' when `dir` itself was created here. Throws when a level exists and is not a directory.
 */
export function ensurePrivateDir(dir: string): DirOutcome {
  const target = path.resolve(dir);
  const missing: string[] = [];
  for (let cur = target; ; ) {
    const st = statOrNull(cur);
    if (st) {
      if (!st.isDirectory()) throw new Error(`cannot write into ${target}: ${cur} exists and is not a directory`);
      break;
    }
    const up = path.dirname(cur);
    missing.unshift(cur);
    if (up === cur) break;
    cur = up;
  }
  let outcome: DirOutcome = 'existing';
  for (const d of missing) {
    try {
      fs.mkdirSync(d, { mode: 0o700 });
    } catch (e) {
      // Created meanwhile by someone else: not ours, left as it is.
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && statOrNull(d)?.isDirectory()) continue;
      throw e;
    }
    restrictCreatedDir(d);
    if (d === target) outcome = 'created';
  }
  return outcome;
}

function statOrNull(p: string): fs.Stats | null {
  try {
    return fs.statSync(p); // follows symlinks: an existing link to a directory (macOS /tmp) is that directory
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw e;
  }
}

/** 0700 on a directory this process has just created (the umask or a default ACL must not widen or narrow it). */
function restrictCreatedDir(d: string): void {
  if (process.platform === 'win32') return;
  let fd: number;
  try {
    fd = fs.openSync(d, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY | fs.constants.O_NOFOLLOW);
  } catch (e) {
    throw new Error(`${d} was replaced while Longhaul was creating it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); nothing was written`, { cause: e });
  }
  try {
    fs.fchmodSync(fd, 0o700);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Append `data` to `file` in one write (O_APPEND), creating it with `mode` (0600). Never through a symlink
 * (O_NOFOLLOW) and only into a regular file (a FIFO planted there fails instead of blocking), so a log or history file
 * cannot be redirected to another file. An existing file keeps its mode.
 */
export function appendFilePrivate(file: string, data: string | Uint8Array, mode = 0o600): void {
  const c = fs.constants;
  const flags = c.O_WRONLY | c.O_APPEND | c.O_CREAT | (process.platform === 'win32' ? 0 : c.O_NOFOLLOW | c.O_NONBLOCK);
  const fd = fs.openSync(file, flags, mode);
  try {
    if (!fs.fstatSync(fd).isFile()) throw new Error(`${file} is not a regular file; nothing was written to it`);
    fs.writeFileSync(fd, data);
  } finally {
    fs.closeSync(fd);
  }
}

/** Delete temp files older than `olderThanMs` left by a crashed writer. */
export function sweepTempFiles(dir: string, olderThanMs = 60_000): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  const now = Date.now();
  for (const n of names) {
    if (!n.includes(TEMP_MARKER)) continue;
    const f = path.join(dir, n);
    try {
      if (now - fs.statSync(f).mtimeMs > olderThanMs) fs.rmSync(f, { force: true });
    } catch {}
  }
}
