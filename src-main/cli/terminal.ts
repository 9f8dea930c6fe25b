/**
 * What the CLI writes to a terminal: text it was given (profile lines, zip entry names, a host's /serverinfo fields,
 * file names, error messages) must never act on the terminal (set its title, clear it, move the cursor, hide or
 * reorder text). `runCli` passes every write through `sanitizeTerminalText`, the one place the CLI prints: control
 * characters (C0 but newline and tab, CR, DEL, C1, bidi embeddings/overrides/isolates) are shown as `\uXXXX`, which
 * neutralises every escape sequence. The CLI's own colour and redraw sequences are built with `terminalControl`, which
 * marks them with a per-process random tag no input can know, and only marked sequences pass. Environment: plain Node.
 *
 * A `\uXXXX` escape is also a JSON string escape for the same character, so a `--json` document stays valid and means
 * the same after sanitising (JSON.stringify already escapes C0; C1 and bidi characters it leaves raw).
 */
import { randomBytes } from 'node:crypto';
import { escapeControls } from '../core/log/quote';

const MARK = `\u0000${randomBytes(12).toString('hex')}`;

/** One of the CLI's own control sequences (`\u001b[31m`, `\r\u001b[K`): each control character in it is marked. */
export function terminalControl(sequence: string): string {
  return sequence.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => MARK + c); // eslint-disable-line no-control-regex
}

export function sanitizeTerminalText(text: string): string {
  if (!text.includes(MARK)) return escapeControls(text);
  const parts = text.split(MARK);
  // Every part after the first starts with one marked control character, which passes; the rest is escaped.
  return parts.map((p, i) => (i === 0 ? escapeControls(p) : p.slice(0, 1) + escapeControls(p.slice(1)))).join('');
}
