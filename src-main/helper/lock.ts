/**
 * One helper request at a time: an exclusive lock file (`O_CREAT|O_EXCL|O_NOFOLLOW`, 0600) in the root-only profiles
 * directory, held for the whole `up`/`down` (storing the delivered copy, reading it back, running the backend), so
 * two concurrent requests cannot interleave. The file holds the holder's PID and a random token; release removes it
 * only if it still holds our token. A lock whose PID is gone (the helper crashed) or that is older than any request can
 * take is stale and taken over. Waiting is bounded; then the request fails with `HelperBusy` (nothing was changed).
 * Environment: plain Node (POSIX).
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const LOCK_FILE = '.longhaul-helper.lock';
/** An `up` holds the lock for its handshake wait (10 s) plus the backend: wait a little longer than that. */
export const LOCK_TIMEOUT_MS = 15_000;
/** No request lives this long (stdin 5 s, wg-quick 60 s, handshake 10 s): an older lock is stale whatever its PID. */
export const LOCK_STALE_MS = 10 * 60_000;

export class HelperBusy extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HelperBusy';
  }
}

export interface LockOptions {
  timeoutMs?: number;
  pollMs?: number;
  staleAfterMs?: number;
  /** Is this process alive? (default: signal 0) */
  isAlive?: (pid: number) => boolean;
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function holderPid(text: string): number | null {
  const m = /^(\d{1,10}) /.exec(text);
  return m ? Number(m[1]) : null;
}

function readLock(file: string): { text: string; st: fs.Stats } | null {
  try {
    const st = fs.lstatSync(file);
    return { text: fs.readFileSync(file, 'utf8'), st };
  } catch {
    return null;
  }
}

/** Remove the lock if its holder is gone or it is too old. True when the caller should retry at once. */
function takeOverStale(file: string, o: Required<Pick<LockOptions, 'staleAfterMs' | 'isAlive'>>): boolean {
  const seen = readLock(file);
  if (!seen) return true; // released meanwhile
  const pid = holderPid(seen.text);
  // An empty file is a holder between create and write: alive unless very old.
  const stale = (pid !== null && !o.isAlive(pid)) || Date.now() - seen.st.mtimeMs > o.staleAfterMs;
  if (!stale) return false;
  // Only remove the very file judged stale (same inode and content), not one another waiter just created.
  const again = readLock(file);
  if (!again || again.st.ino !== seen.st.ino || again.text !== seen.text) return true;
  try {
    fs.unlinkSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  return true;
}

/** Wait (bounded) for the lock in `dir`; returns the release function. */
export async function acquireHelperLock(dir: string, o: LockOptions = {}): Promise<() => void> {
  const file = path.join(dir, LOCK_FILE);
  const token = `${process.pid} ${crypto.randomBytes(8).toString('hex')}\n`;
  const timeoutMs = o.timeoutMs ?? LOCK_TIMEOUT_MS;
  const stale = { staleAfterMs: o.staleAfterMs ?? LOCK_STALE_MS, isAlive: o.isAlive ?? pidAlive };
  const deadline = Date.now() + timeoutMs;
  const flags = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW;
  for (;;) {
    let fd: number | null = null;
    try {
      fd = fs.openSync(file, flags, 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (fd !== null) {
      try {
        fs.writeSync(fd, token);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      return () => release(file, token);
    }
    if (takeOverStale(file, stale)) continue;
    if (Date.now() >= deadline) {
      const holder = holderPid(readLock(file)?.text ?? '');
      throw new HelperBusy(
        `Another Longhaul tunnel request is still running${holder !== null ? ` (process ${holder})` : ''}; nothing was changed. Try again in a moment.`,
      );
    }
    await new Promise((r) => setTimeout(r, o.pollMs ?? 100));
  }
}

function release(file: string, token: string): void {
  const cur = readLock(file);
  if (cur?.text !== token) return; // not ours any more (taken over as stale): leave it
  try {
    fs.unlinkSync(file);
  } catch {}
}
