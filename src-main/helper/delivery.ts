/**
 * Profiles delivered by the unprivileged app on the helper's stdin. The helper (root) never trusts or stores the
 * received bytes: it re-validates them with the import parser (origin `user`, so every PreUp/PostUp/PreDown/PostDown
 * and SaveConfig is refused whatever the sender claims), re-serialises the validated profile and writes that
 * atomically as `<dir>/<NAME>.conf` (0600, directory 0700 root), with `<dir>/<NAME>.owner` recording the invoking
 * user (PKEXEC_UID) so another non-root user cannot take it down or reuse its key. A `.conf` without an `.owner` record
 * was provisioned by IT (root-owned file, may carry policy-approved hooks) and is never overwritten nor removed here.
 * Refusal messages come from the parser and never contain key material. Environment: plain Node, root.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensurePrivateDir, removeFileDurable, writeFileAtomic } from '../core/platform/atomic';
import { parseProfile, serializeProfile, type ProfileIssue } from '../core/profiles';
import { globalRedactor } from '../core/log/redact';
import { ProfileSourceError, checkOwner } from './profile-source';

export class DeliveryRefused extends Error {
  constructor(
    readonly reason: 'hooks-refused' | 'profile-invalid' | 'permission-denied',
    message: string,
  ) {
    super(message);
    this.name = 'DeliveryRefused';
  }
}

export interface OwnerRecord {
  uid: number;
  deliveredAt: string;
}

export function ownerPathOf(dir: string, name: string): string {
  return path.join(dir, `${name}.owner`);
}

export function readOwner(dir: string, name: string): OwnerRecord | null {
  try {
    const v = JSON.parse(fs.readFileSync(ownerPathOf(dir, name), 'utf8')) as Partial<OwnerRecord>;
    return typeof v.uid === 'number' && Number.isInteger(v.uid) ? { uid: v.uid, deliveredAt: String(v.deliveredAt ?? '') } : null;
  } catch {
    return null;
  }
}

/** Values of PrivateKey/PresharedKey lines as sent, so no message can echo them even when malformed. */
function sentKeyValues(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/^[ \t]*(?:privatekey|presharedkey)[ \t]*=[ \t]*(\S+)/gim)) if (m[1] && m[1].length >= 4) out.push(m[1]);
  return out;
}

function scrub(message: string, secrets: readonly string[]): string {
  let m = globalRedactor.redact(message);
  for (const s of secrets) m = m.split(s).join('[redacted]');
  return m;
}

/** Parse and validate delivered bytes; returns the re-serialised canonical text. */
export function validateDelivered(name: string, bytes: Uint8Array): string {
  const r = parseProfile(bytes, { fileName: `${name}.conf`, origin: 'user', allowScripts: false });
  const secrets = sentKeyValues(Buffer.from(bytes).toString('latin1'));
  const where = (e: ProfileIssue) => `${name}.conf (stdin)${e.line ? `:${e.line}` : ''}: ${scrub(e.message, secrets)}`;
  const refused = r.errors.filter((e) => e.code.startsWith('hook') || e.code.startsWith('saveconfig'));
  if (refused.length > 0) {
    throw new DeliveryRefused(
      'hooks-refused',
      `The profile "${name}" contains PreUp/PostUp/PreDown/PostDown or SaveConfig; Longhaul's helper never runs them for a profile sent by the app. ${refused.map(where).join('; ').replace(/\.$/, '')}. Remove those lines, or ask IT for a profile without scripts.`,
    );
  }
  if (!r.profile) throw new DeliveryRefused('profile-invalid', `The profile "${name}" sent to the helper is not valid: ${r.errors.map(where).join('; ').replace(/\.$/, '')}.`);
  return serializeProfile(r.profile);
}

/** Create the profiles directory (0700) if missing; refuse a non-directory (symlink) or one not root-only. */
export function checkDir(dir: string): void {
  let st: fs.Stats | null = null;
  try {
    st = fs.lstatSync(dir);
  } catch {}
  if (st && !st.isDirectory()) throw new ProfileSourceError(`${dir} is not a directory`);
  ensurePrivateDir(dir);
  checkOwner(fs.lstatSync(dir), dir, 0);
}

/**
 * Store a delivered profile for `uid`. Refused when the name is an IT-provisioned profile, or another user's delivered
 * copy while its tunnel is up (`active`). Owner record first, then the profile: a crash never leaves a key file that
 * looks IT-provisioned.
 */
export function storeDelivered(dir: string, name: string, canonical: string, uid: number, active: boolean, now = new Date()): string {
  checkDir(dir);
  const conf = path.join(dir, `${name}.conf`);
  const owner = readOwner(dir, name);
  if (owner === null && fs.existsSync(conf)) {
    throw new DeliveryRefused('permission-denied', `A profile named "${name}" is installed for all users by IT on this computer; it is used as installed. Rename your profile (import it under another name) to use your own.`);
  }
  if (owner !== null && owner.uid !== uid && uid !== 0 && active) {
    throw new DeliveryRefused('permission-denied', `The tunnel "${name}" is up for another user (uid ${owner.uid}); it cannot be replaced until they disconnect it.`);
  }
  writeFileAtomic(ownerPathOf(dir, name), JSON.stringify({ uid, deliveredAt: now.toISOString() } satisfies OwnerRecord) + '\n', 0o600);
  writeFileAtomic(conf, canonical, 0o600);
  return conf;
}

/** May `uid` act on (take down / bring up from the stored copy) the profile `name`? Root and IT-provisioned: yes. */
export function ownerAllows(dir: string, name: string, uid: number): { ok: true } | { ok: false; owner: number } {
  const owner = readOwner(dir, name);
  if (uid === 0 || owner === null || owner.uid === uid) return { ok: true };
  return { ok: false, owner: owner.uid };
}

/** Remove a delivered copy (profile first, then its owner record). IT-provisioned profiles (no record) stay. */
export function removeDelivered(dir: string, name: string): boolean {
  if (readOwner(dir, name) === null) return false;
  removeFileDurable(path.join(dir, `${name}.conf`));
  removeFileDurable(ownerPathOf(dir, name));
  return true;
}
