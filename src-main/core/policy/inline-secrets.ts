/**
 * Inline WireGuard keys in a policy document. A policy is readable by every user of the machine (registry, managed
 * preferences, /etc): a private or preshared key in it is a leak, so the whole source is refused (issue 8). Keys reach
 * the machine only inside site bundles, which the profile store provisions as root-only files.
 *
 * What counts: an object key named like `PrivateKey`/`PresharedKey` (any case, `_`/`-`/space separators) at any depth;
 * a string containing `PrivateKey =`/`PresharedKey:` (config or JSON syntax); a string holding a bare 44-character
 * WireGuard key. Found values are registered with the global redactor so no later log line can carry them.
 * Environment: plain Node.
 */
import { globalRedactor, WG_KEY_PATTERN } from '../log/redact';

const KEY_NAME = /^(private|preshared)[ _-]?key$/i;
const KEY_ASSIGNMENT = /(private|preshared)[ _-]?key["']?\s*[:=]/i;
const BARE_KEY = new RegExp(`(?:^|[^A-Za-z0-9+/])(${WG_KEY_PATTERN})(?![A-Za-z0-9+/=])`);

/**
 * Where the first inline key sits (a JSON-path-like location such as `sites[0]` or `extra.peer.PrivateKey`), or null.
 * The location never contains the secret itself.
 */
export function findInlineSecret(doc: unknown, at = '$'): string | null {
  if (typeof doc === 'string') {
    const bare = BARE_KEY.exec(doc);
    if (bare?.[1]) globalRedactor.addSecret(bare[1]);
    return KEY_ASSIGNMENT.test(doc) || bare ? at : null;
  }
  if (Array.isArray(doc)) {
    for (let i = 0; i < doc.length; i++) {
      const hit = findInlineSecret(doc[i], `${at}[${i}]`);
      if (hit) return hit;
    }
    return null;
  }
  if (doc && typeof doc === 'object' && !(doc instanceof Date) && !ArrayBuffer.isView(doc)) {
    for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
      const where = at === '$' ? k : `${at}.${k}`;
      if (KEY_NAME.test(k)) {
        if (typeof v === 'string') globalRedactor.addSecret(v);
        return where;
      }
      const hit = findInlineSecret(v, where);
      if (hit) return hit;
    }
  }
  return null;
}
