/**
 * One helper request at a time: an exclusive lock file (`O_CREAT|O_EXCL|O_NOFOLLOW`, 0600) in the root-only profiles
 * directory, held for the whole `up`/`down` (storing the delivered copy, reading it back, running the backend), so
 * two concurrent requests cannot interleave. The file holds the holder's PID, a random token and — on Linux — the
 * holder's identity `start=<boot id>/<start time>` (/proc/sys/kernel/random/boot_id; /proc/PID/stat field 22,
 * starttime in clock ticks since boot, proc(5)); release removes it only if it still holds our token.
 * A lock is stale and taken over when its PID is gone (the helper crashed), when that PID is now another process
 * (Linux: its boot id or start time differs from the recorded one — the PID was reused after a crash, or the machine
 * rebooted, since the file outlives a reboot), or when it is older than any request can take (LOCK_STALE_MS).
 * macOS and Windows: Node has no way to read another process's start time without running a program (`ps`,
 * PowerShell), so there the lock records no identity and a reused PID is only recognised by age — the shorter bound
 * LOCK_STALE_NO_START_MS. A lock written without an identity (an older helper) is judged by PID and age only.
 * Waiting is bounded; then the request fails with `HelperBusy` (nothing was changed). Environment: plain Node.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const LOCK_FILE = '.longhaul-helper.lock';
/** An `up` holds the lock for its handshake wait (10 s) plus the backend: wait a little longer than that. */
export const LOCK_TIMEOUT_MS = 15_000;
/** No request lives this long (stdin 5 s, wg-quick 60 s, handshake 10 s): an older lock is stale whatever its PID. */
export const LOCK_STALE_MS = 10 * 60_000;
/**
 * Where no start time can be recorded (macOS, Windows): a reused PID is caught only by age, so the bound is shorter,
 * still above the longest request there (Windows: wg.exe check 60 s + wireguard.exe install 60 s + status 60 s + the
 * 10 s handshake wait, all bounded by the runner's timeouts).
 */
export const LOCK_STALE_NO_START_MS = 5 * 60_000;

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
  /** Tests: the OS whose rules apply (default: this one). */
  platform?: NodeJS.Platform;
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

function holderStart(text: string): string | null {
  const m = /^\d{1,10} [0-9a-f]+ start=(\S+)\n$/.exec(text);
  return m ? m[1]! : null;
}

/**
 * `<boot id>/<start time>` of a process (Linux), or null (gone, unreadable, another OS). Field 2 of /proc/PID/stat
 * (comm) may hold spaces and parentheses, so fields are counted after the LAST ')': the first there is field 3, so
 * starttime (field 22) is the 20th.
 */
export function processStartOf(pid: number, platform: NodeJS.Platform = process.platform): string | null {
  if (platform !== 'linux') return null;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ticks = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    const boot = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    return ticks && /^\d+$/.test(ticks) && /^[0-9a-f-]{36}$/.test(boot) ? `${boot}/${ticks}` : null;
  } catch {
    return null;
  }
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
function takeOverStale(file: string, o: Required<Pick<LockOptions, 'staleAfterMs' | 'isAlive' | 'platform'>>): boolean {
  const seen = readLock(file);
  if (!seen) return true; // released meanwhile
  const pid = holderPid(seen.text);
  const recorded = holderStart(seen.text);
  // Alive, but not the process that took the lock (its PID was reused, or the lock is from before a reboot).
  const impostor = () => {
    if (recorded === null) return false;
    const now = processStartOf(pid!, o.platform);
    return now !== null && now !== recorded;
  };
  // An empty file is a holder between create and write: alive unless very old.
  const stale = (pid !== null && (!o.isAlive(pid) || impostor())) || Date.now() - seen.st.mtimeMs > o.staleAfterMs;
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
  const platform = o.platform ?? process.platform;
  const me = processStartOf(process.pid, platform);
  const token = `${process.pid} ${crypto.randomBytes(8).toString('hex')}${me ? ` start=${me}` : ''}\n`;
  const timeoutMs = o.timeoutMs ?? LOCK_TIMEOUT_MS;
  const stale = { staleAfterMs: o.staleAfterMs ?? (me ? LOCK_STALE_MS : LOCK_STALE_NO_START_MS), isAlive: o.isAlive ?? pidAlive, platform };
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
