/**
 * Parse Sunshine's (and GameStream's) `/serverinfo` XML. Environment: plain Node.
 * Field layout: Sunshine `src/nvhttp.cpp` (fact sheet §6) and the recording
 * test/fixtures/samples/any-sunshine-serverinfo-xml-truncated.txt (which is truncated mid-document: the parser
 * recovers the complete leading fields of a cut-off response rather than rejecting it).
 *
 * The answer comes from another machine, so the work is bounded before any XML library sees it (issue 13):
 *  1. only the first SERVERINFO_MAX_BYTES characters are read (a real answer is 1–4 KiB); the rest counts as cut off;
 *  2. one linear pass (`outline`: indexOf and single-character steps, no backtracking regex) finds `<root …>` and the
 *     byte ranges of its complete top-level children, stopping at the first cut or malformed tag;
 *  3. a small document of `<root …>` and only the fields read here (each element at most FIELD_ELEMENT_MAX) goes to
 *     fast-xml-parser, which validates and reads it; every text value is cut to SERVERINFO_FIELD_MAX characters.
 * Nothing outside those fields (other elements, attributes, comments, text after the cut) reaches the result or an
 * error message.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { decodeCodecMask, type CodecId } from './codecs';
import { echo } from '../log/quote';

/** Characters of an answer read at most (also the HTTP body cap of the probe). */
export const SERVERINFO_MAX_BYTES = 64 * 1024;
/** Longest text kept from one field (hostname, appversion, state, status_message…). */
export const SERVERINFO_FIELD_MAX = 256;
/** Longest `<root …>` start tag accepted (the real one is `<root status_code="200">` or carries a short message). */
const ROOT_TAG_MAX = 1024;
/** Longest field element accepted, tags included; a longer one is refused, not cut. */
const FIELD_ELEMENT_MAX = 4096;
/** Deepest nesting followed below <root> (real answers: 3, SupportedDisplayMode/DisplayMode/Width). */
const MAX_DEPTH = 32;

const FIELDS = new Set([
  'hostname',
  'appversion',
  'GfeVersion',
  'uniqueid',
  'HttpsPort',
  'ExternalPort',
  'LocalIP',
  'state',
  'currentgame',
  'PairStatus',
  'MaxLumaPixelsHEVC',
  'ServerCodecModeSupport',
]);

export interface ServerInfo {
  hostname: string;
  appversion: string;
  gfeVersion: string | null;
  uniqueid: string | null;
  httpsPort: number | null;
  externalPort: number | null;
  localIp: string | null;
  state: string | null;
  currentgame: number | null;
  pairStatus: number | null;
  maxLumaPixelsHEVC: number | null;
  codecMask: number;
  codecs: CodecId[];
  unknownCodecBits: number;
  /** `sunshine` when appversion's last part is negative (Sunshine's marker), else `gamestream` (GFE and others). */
  flavor: 'sunshine' | 'gamestream';
  busy: boolean;
  /** The document was cut off (or longer than SERVERINFO_MAX_BYTES); fields after the cut are missing. */
  truncated: boolean;
}

export class ServerInfoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServerInfoError';
  }
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  trimValues: false,
  processEntities: false, // Sunshine's XML needs no DTD entities: never expand any
});

const NAME = /[A-Za-z_][\w.:-]*/y; // sticky: matches at one position only, one greedy class (linear)

function nameAt(s: string, at: number): string | null {
  NAME.lastIndex = at;
  const m = NAME.exec(s);
  return m ? m[0] : null;
}

/** Index just past the `>` closing the tag whose name ends at `from`, skipping quoted values; -1 if cut or malformed. */
function tagEnd(s: string, from: number): number {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22 || c === 0x27) {
      const close = s.indexOf(c === 0x22 ? '"' : "'", i + 1);
      if (close < 0) return -1;
      i = close;
    } else if (c === 0x3e) return i + 1;
    else if (c === 0x3c) return -1;
  }
  return -1;
}

/** Past a comment, CDATA section or processing instruction starting at `at`; `at` when none starts there; -1 if cut. */
function skipMarkup(s: string, at: number): number {
  for (const [open, close] of [['<!--', '-->'], ['<![CDATA[', ']]>'], ['<?', '?>']] as const) {
    if (s.startsWith(open, at)) {
      const end = s.indexOf(close, at + open.length);
      return end < 0 ? -1 : end + close.length;
    }
  }
  return at;
}

interface Outline {
  rootTag: string;
  selfClosing: boolean;
  /** Raw text of the first complete element of each field read here. */
  fields: Map<string, string>;
  /** `</root>` (or `<root/>`) was reached. */
  complete: boolean;
}

/** One linear pass over the document: the root start tag and its complete top-level children. */
function outline(s: string): Outline {
  let i = 0;
  for (;;) {
    while (i < s.length && /\s/.test(s[i]!)) i++;
    const next = skipMarkup(s, i);
    if (next < 0) throw new ServerInfoError('the answer is not XML');
    if (next === i) break;
    i = next;
  }
  if (s.startsWith('<!', i)) throw new ServerInfoError('the answer carries a DOCTYPE or other declaration; a GameStream host sends none');
  if (s[i] !== '<') throw new ServerInfoError('the answer is not XML');
  const rootName = nameAt(s, i + 1);
  if (rootName === null) throw new ServerInfoError('the answer is not XML');
  if (rootName !== 'root') throw new ServerInfoError('the XML has no <root> element');
  const rootEnd = tagEnd(s, i + 1 + rootName.length);
  if (rootEnd < 0) throw new ServerInfoError('the answer is not XML');
  if (rootEnd - i > ROOT_TAG_MAX) throw new ServerInfoError(`the <root> tag is longer than ${ROOT_TAG_MAX} characters: not a GameStream answer`);
  const rootTag = s.slice(i, rootEnd);
  const out: Outline = { rootTag, selfClosing: s.charCodeAt(rootEnd - 2) === 0x2f, fields: new Map(), complete: false };
  if (out.selfClosing) {
    out.complete = true;
    return out;
  }
  const keep = (name: string, start: number, end: number) => {
    if (!FIELDS.has(name) || out.fields.has(name)) return;
    if (end - start > FIELD_ELEMENT_MAX) throw new ServerInfoError(`<${name}> is longer than ${FIELD_ELEMENT_MAX} characters: not a GameStream answer`);
    out.fields.set(name, s.slice(start, end));
  };
  const open: string[] = [];
  let childStart = 0;
  let p = rootEnd;
  for (;;) {
    const lt = s.indexOf('<', p);
    if (lt < 0) break;
    const skipped = skipMarkup(s, lt);
    if (skipped < 0) break;
    if (skipped > lt) {
      p = skipped;
      continue;
    }
    const closing = s.charCodeAt(lt + 1) === 0x2f;
    const nameStart = closing ? lt + 2 : lt + 1;
    const name = nameAt(s, nameStart);
    if (name === null) break;
    const end = tagEnd(s, nameStart + name.length);
    if (end < 0) break;
    if (closing) {
      if (open.length === 0) {
        out.complete = name === 'root';
        break;
      }
      if (open.pop() !== name) break;
      if (open.length === 0) keep(name, childStart, end);
    } else if (s.charCodeAt(end - 2) === 0x2f) {
      if (open.length === 0) keep(name, lt, end);
    } else {
      if (open.length === 0) childStart = lt;
      if (open.length >= MAX_DEPTH) break;
      open.push(name);
    }
    p = end;
  }
  return out;
}

function text(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'object' && '#text' in (v as Record<string, unknown>)) return text((v as Record<string, unknown>)['#text']);
  return ''; // an empty element such as <uniqueid/> parses to ''
}

/** A field's text, trimmed and cut to SERVERINFO_FIELD_MAX. */
function field(v: unknown): string | null {
  const t = text(v);
  return t === null ? null : t.trim().slice(0, SERVERINFO_FIELD_MAX);
}

function int(v: unknown): number | null {
  const t = field(v);
  if (!t || !/^-?\d{1,16}$/.test(t)) return null;
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : null;
}

export function parseServerInfo(xml: string): ServerInfo {
  let doc = xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
  const cut = doc.length > SERVERINFO_MAX_BYTES;
  if (cut) doc = doc.slice(0, SERVERINFO_MAX_BYTES);
  const o = outline(doc);
  const small = o.selfClosing ? o.rootTag : `${o.rootTag}${[...o.fields.values()].join('')}</root>`;
  if (XMLValidator.validate(small) !== true) throw new ServerInfoError('the answer is not XML');
  const parsed = parser.parse(small) as Record<string, unknown>;
  const root = (typeof parsed.root === 'object' && parsed.root !== null ? parsed.root : {}) as Record<string, unknown>;
  const status = root['@_status_code'];
  if (status !== undefined && String(status) !== '200') {
    const message = field(root['@_status_message']);
    throw new ServerInfoError(`the host answered status_code ${echo(field(status) ?? '', 16)}${message ? `: ${echo(message, 160)}` : ''}`);
  }
  const hostname = field(root.hostname);
  const appversion = field(root.appversion);
  if (hostname === null || !appversion) throw new ServerInfoError('the XML lacks <hostname> or <appversion>: not a GameStream host');
  const mask = int(root.ServerCodecModeSupport);
  const decoded = decodeCodecMask(mask !== null && mask >= 0 ? mask : 1);
  const state = field(root.state);
  const currentgame = int(root.currentgame);
  const lastPart = appversion.split('.').pop() ?? '';
  return {
    hostname,
    appversion,
    gfeVersion: field(root.GfeVersion) || null,
    uniqueid: field(root.uniqueid) || null,
    httpsPort: int(root.HttpsPort),
    externalPort: int(root.ExternalPort),
    localIp: field(root.LocalIP) || null,
    state,
    currentgame,
    pairStatus: int(root.PairStatus),
    maxLumaPixelsHEVC: int(root.MaxLumaPixelsHEVC),
    codecMask: decoded.mask,
    codecs: decoded.codecs,
    unknownCodecBits: decoded.unknownBits,
    flavor: lastPart.startsWith('-') ? 'sunshine' : 'gamestream',
    busy: state === 'SUNSHINE_SERVER_BUSY' || (currentgame !== null && currentgame > 0),
    truncated: cut || !o.complete,
  };
}
