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

export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') fs.chmodSync(dir, 0o700);
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
