/**
 * The one way a message echoes text it was given (a profile value, a zip entry name, a host's answer, a CLI argument):
 * `quote(text)` → `"…"` and `echo(text)` (the same without the quotes). Environment: any.
 *
 *  - key-shaped text is removed: any run of 40 or more base64 characters (a WireGuard key, with or without its `=`,
 *    in any letter case, glued to other text or not) becomes `[REDACTED-KEY]` — a message never needs one. For a
 *    file path (`/` makes long runs of ordinary names) `echoPath` removes only what the log redactor does: 43+
 *    base64 characters ending in `=`;
 *  - control characters (C0 but tab, DEL, C1, bidi overrides) are shown escaped (`\u001b`), so a terminal, a log
 *    viewer or a page never acts on them;
 *  - the result is cut to `max` characters (default 64) with `…`.
 * Which parts of a line a profile message may echo at all is decided by the parser (docs/profiles.md): never the
 * value of a key setting, of an unknown line or the text after a section header.
 */
import { REDACTED_KEY } from './redact';

export const ECHO_MAX = 64;

/** 40+ base64 characters: a key's first 240 bits are enough to recover it from its public key. */
const KEY_SHAPED_RUN = /[A-Za-z0-9+/]{40,}={0,2}/g;
/** What the log redactor treats as a key (redact.ts). */
const KEY_WITH_PAD = /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{43,}=/g;

/** Characters a terminal or a text viewer acts on: C0 (not tab/newline), DEL, C1, bidi embeddings and isolates. */
// eslint-disable-next-line no-control-regex
export const UNSAFE_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function escapeControls(text: string, opts: { newlines?: boolean } = {}): string {
  const esc = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  const out = text.replace(UNSAFE_CHARS, esc);
  return opts.newlines ? out.replace(/[\n\t]/g, esc) : out;
}

export function removeKeyShaped(text: string, runs = KEY_SHAPED_RUN): string {
  return text.replace(runs, REDACTED_KEY);
}

/** `text` made safe to echo inside a message (one line, no key, no control character, at most `max` characters). */
export function echo(text: string, max = ECHO_MAX): string {
  return echoWith(text, max, KEY_SHAPED_RUN);
}

/** `echo` for a file path or a system error naming one: removes padded key-shaped runs only. */
export function echoPath(text: string, max = 200): string {
  return echoWith(text, max, KEY_WITH_PAD);
}

function echoWith(text: string, max: number, runs: RegExp): string {
  // Cut first (bounded work on a huge value) with slack for what the removal shortens; a base64 run cut by this is
  // dropped whole, so no fragment of a key too short to be recognised survives the cut.
  const cut = text.length > max + 48;
  const head = cut ? text.slice(0, max + 48).replace(/[A-Za-z0-9+/=]+$/, '') : text;
  const safe = escapeControls(removeKeyShaped(head, runs), { newlines: true });
  return safe.length > max || cut ? `${safe.slice(0, max)}…` : safe;
}

export function quote(text: string, max = ECHO_MAX): string {
  return `"${echo(text, max)}"`;
}
