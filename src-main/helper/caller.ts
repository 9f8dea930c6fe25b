/**
 * Who asked the helper. pkexec sets PKEXEC_UID to the calling user's uid; the helper decides whose tunnel and whose
 * stored profile a request may touch from it (`delivery.ts#ownerAllows`). Without PKEXEC_UID the caller is root
 * (IT scripts, the deb prerm, the lab) — but only when the process that started the helper is itself root: pkexec
 * replaces itself with the helper (exec, no fork), so the helper's parent is the caller's own process. A helper whose
 * parent runs as another user and that has no PKEXEC_UID was started through something that dropped it (a wrapper
 * clearing the environment did, issue 13.1): it refuses instead of treating that user as root.
 * The helper service (`daemon.ts`) passes its caller explicitly and never reaches this.
 * Environment: plain Node (Linux reads /proc; elsewhere there is no pkexec and no parent check).
 */
import * as fs from 'node:fs';

/** The user who asked: PKEXEC_UID, 0 when absent, null when present but not a uid. */
export function invokingUid(env: Record<string, string | undefined>): number | null {
  const v = env.PKEXEC_UID;
  if (v === undefined) return 0;
  return /^\d{1,10}$/.test(v) && Number(v) <= 0xffffffff ? Number(v) : null;
}

/**
 * The real uid of process `pid` from the `Uid:` line of /proc/PID/status (real, effective, saved, filesystem; proc(5)),
 * or null when it cannot be read (the process is gone, no /proc).
 */
export function realUidOf(pid: number): number | null {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const m = /^Uid:\s+(\d+)\s/m.exec(text);
  return m ? Number(m[1]) : null;
}

export type CallerResult = { ok: true; uid: number } | { ok: false; code: 'invalid-arguments' | 'caller-unknown'; message: string };

/**
 * The caller of a helper started as a process. `parentUid` is the real uid of the parent process (null: unknown, e.g.
 * the parent already exited and the helper was re-parented — then the parent is root's init or a subreaper).
 */
export function callerOf(env: Record<string, string | undefined>, parentUid: number | null): CallerResult {
  const uid = invokingUid(env);
  if (uid === null) return { ok: false, code: 'invalid-arguments', message: 'PKEXEC_UID is not a user id' };
  if (env.PKEXEC_UID === undefined && parentUid !== null && parentUid !== 0) {
    return {
      ok: false,
      code: 'caller-unknown',
      message: `longhaul-helper was started by uid ${parentUid} without PKEXEC_UID, so it cannot tell who asked; nothing was changed. Start it through pkexec (the installed /usr/lib/longhaul/longhaul-helper keeps PKEXEC_UID), or as root.`,
    };
  }
  return { ok: true, uid };
}

/** The parent's real uid where the platform lets the helper check it (Linux), else null. */
export function parentRealUid(platform: NodeJS.Platform = process.platform): number | null {
  return platform === 'linux' ? realUidOf(process.ppid) : null;
}
