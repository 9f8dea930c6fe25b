/**
 * The helper service's access token: 32 random bytes (hex), made fresh at every start and written atomically (temp in
 * the same directory, O_EXCL 0600 → chown root:<group> → chmod 0640 → fsync → rename → fsync dir), so only root and
 * the allowed group can read it. Windows: a plain atomic write into %ProgramData%\Longhaul\access, whose ACL the
 * installer sets (interactive users read) (UNVERIFIED, docs/tunnel.md). Every request must carry it; compared in constant time. The token is
 * never logged. Environment: plain Node, root.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TEMP_MARKER, fsyncDir, writeFileAtomic } from '../core/platform/atomic';

export function newToken(): string {
  return crypto.randomBytes(32).toString('hex');
}

/** Write the token for `owner:gid` mode 0640 (Unix) — atomic, never briefly readable by anyone else. */
export function writeTokenFile(file: string, token: string, o: { platform: NodeJS.Platform; owner: number; gid: number }): void {
  if (o.platform === 'win32') {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    writeFileAtomic(file, token + '\n', 0o600);
    return;
  }
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}${TEMP_MARKER}${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
  const fd = fs.openSync(temp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | (fs.constants.O_NOFOLLOW ?? 0), 0o600);
  try {
    fs.writeFileSync(fd, token + '\n');
    fs.fchownSync(fd, o.owner, o.gid);
    fs.fchmodSync(fd, 0o640);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fs.renameSync(temp, file);
  } catch (e) {
    try {
      fs.closeSync(fd);
    } catch {}
    fs.rmSync(temp, { force: true });
    throw e;
  }
  fsyncDir(dir);
}

/** Constant-time comparison (both sides hashed first, so their lengths leak nothing either). */
export function tokenMatches(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = crypto.createHash('sha256').update(expected, 'utf8').digest();
  const b = crypto.createHash('sha256').update(given, 'utf8').digest();
  return crypto.timingSafeEqual(a, b) && given.length === expected.length;
}
