/**
 * What the renderer may use to point at things main owns: never a path. Main reads and writes only files it chose
 * itself (its store, its reports, its state); the renderer names them by a stored profile name or an ID main issued,
 * and main looks that up. Environment: any (zod only).
 */
import { z } from 'zod';

const NAME_RULE = 'a stored profile name (1–15 letters, digits, _ = + . -; not starting with . or -, not ending with .), never a path';

/**
 * A profile (= interface) name: wg-quick's `^[a-zA-Z0-9_=+.-]{1,15}$`, without a leading `.`/`-` or a trailing `.`
 * (core/profiles/names.ts has the full rule; the store refuses the rest with an explanation). No separator, never
 * `.` or `..`.
 */
export const ProfileNameSchema = z
  .string()
  .regex(/^[a-zA-Z0-9_=+.-]{1,15}$/, NAME_RULE)
  .refine((n) => !/^[.-]/.test(n) && !n.endsWith('.'), NAME_RULE);

/**
 * A stored profile named by the renderer where the CLI's `--profile FILE|NAME` would also accept a file: also not
 * ending in `.conf`/`.zip`, so no resolver shared with the CLI can take it for one. Main looks it up in the store.
 */
export const StoredProfileRefSchema = ProfileNameSchema.refine((n) => !/\.(conf|zip)$/i.test(n), 'a stored profile name, not a file');

/** An ID main issued (`chk-…` run IDs, pairing UUIDs); main looks it up among those it issued. */
export const IssuedIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'an ID Longhaul issued');

/** A host name or IP address to connect to (never opened as a file): no separators, whitespace or leading `-`/`.`. */
export const HostSchema = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9_:[\]%][A-Za-z0-9._:[\]%-]*$/, 'a host name or IP address');
