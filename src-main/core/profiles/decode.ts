/**
 * Bytes → text for profile files, accepting what IT's editors produce: UTF-8 (with or without BOM), UTF-16 LE/BE with
 * a BOM (Windows Notepad "Unicode"), CRLF, LF or CR-only (classic Mac) line ends. Environment: any (TextDecoder).
 *
 * `wg` itself rejects a BOM (``Line unrecognized: `\xef\xbb\xbf[Interface]'``) and UTF-16; Longhaul never hands the
 * user's bytes on (it writes a fresh canonical file), so normalising here is safe.
 */
import type { ProfileIssue } from './types';

export interface Decoded {
  text: string;
  /** The encoding detected, for messages and tests. */
  encoding: 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be';
  errors: ProfileIssue[];
  warnings: ProfileIssue[];
}

/** Upper bound on a profile's size (NetworkManager refuses > 10 MiB; a real profile is < 4 KiB). */
export const MAX_PROFILE_BYTES = 256 * 1024;

export function decodeProfileBytes(input: string | Uint8Array): Decoded {
  if (input.length > MAX_PROFILE_BYTES) {
    const message = `The file is ${input.length} ${typeof input === 'string' ? 'characters' : 'bytes'}; a WireGuard profile is a few kilobytes (limit ${MAX_PROFILE_BYTES}). Check that you picked the right file.`;
    return { text: '', encoding: 'utf-8', warnings: [], errors: [{ line: null, code: 'file.too-large', message }] };
  }
  if (typeof input === 'string') {
    const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
    return finish(text, input.startsWith('\uFEFF') ? 'utf-8-bom' : 'utf-8');
  }
  let encoding: Decoded['encoding'] = 'utf-8';
  let body = input;
  let label = 'utf-8';
  if (input[0] === 0xef && input[1] === 0xbb && input[2] === 0xbf) {
    encoding = 'utf-8-bom';
    body = input.subarray(3);
  } else if (input[0] === 0xff && input[1] === 0xfe) {
    encoding = 'utf-16le';
    label = 'utf-16le';
    body = input.subarray(2);
  } else if (input[0] === 0xfe && input[1] === 0xff) {
    encoding = 'utf-16be';
    label = 'utf-16be';
    body = input.subarray(2);
  }
  let text: string;
  try {
    text = new TextDecoder(label, { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    if (encoding !== 'utf-8') {
      const e = encoding.toUpperCase();
      const message = `The file starts with a ${e} byte-order mark but is not valid ${e} text; save it again as UTF-8.`;
      return { text: '', encoding, warnings: [], errors: [{ line: null, code: 'encoding.invalid', message }] };
    }
    // Not UTF-8 (e.g. a Latin-1 comment): wg-quick reads bytes, the Apple app refuses. Read as Windows-1252.
    const d = finish(new TextDecoder('windows-1252').decode(body), encoding);
    d.warnings.push({
      line: null,
      code: 'portability',
      message: 'The file is not UTF-8 (it was read as Windows-1252): the Apple app rejects it. Save the file as UTF-8 (in Notepad: Save As → Encoding: UTF-8).',
    });
    return d;
  }
  return finish(text, encoding);
}

function finish(text: string, encoding: Decoded['encoding']): Decoded {
  const errors: ProfileIssue[] = [];
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    const line = text.slice(0, nul).split(LINE_END).length;
    errors.push({
      line,
      code: 'encoding.nul',
      message: 'The file contains a NUL byte (binary data). wg-quick silently drops these, so what runs differs from what you see; save the file again as plain UTF-8 text.',
    });
  }
  const warnings: ProfileIssue[] = [];
  const cr = text.search(/\r(?!\n)/);
  if (cr >= 0) {
    warnings.push({
      line: text.slice(0, cr).split(LINE_END).length,
      code: 'portability',
      message:
        'The file has CR-only line ends (classic Mac OS style) from this line on: Longhaul reads each CR as a line end, but wg-quick and wg split lines at LF only and would read one long, broken line. Save the file with LF or CRLF line ends.',
    });
  }
  return { text, encoding, errors, warnings };
}

/** A line end: CRLF, LF, or a CR on its own (classic Mac OS; wg-quick would not split there, see the warning). */
const LINE_END = /\r\n|\r|\n/;

/** Split decoded text into lines (CRLF, LF or lone CR); a final line end does not add a line. */
export function splitLines(text: string): string[] {
  const lines = text.split(LINE_END);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}
