/**
 * Parse Sunshine's (and GameStream's) `/serverinfo` XML with a real XML parser. Environment: plain Node.
 * Field layout: Sunshine `src/nvhttp.cpp` (fact sheet §6) and the recording
 * test/fixtures/samples/any-sunshine-serverinfo-xml-truncated.txt (which is truncated mid-document: the parser
 * recovers the complete leading fields of a cut-off response rather than rejecting it).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { decodeCodecMask, type CodecId } from './codecs';

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
  /** The document was cut off; fields after the cut are missing. */
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

/** Cut a truncated document back to its last complete top-level child of <root> and close it. */
function repairTruncated(xml: string): string | null {
  const open = /<root\b[^>]*>/.exec(xml);
  if (!open) return null;
  const body = xml.slice(open.index + open[0].length);
  let depth = 0;
  let lastTopClose = 0;
  const tag = /<(\/?)([A-Za-z_][\w.-]*)[^>]*?(\/?)>/g;
  let m: RegExpExecArray | null;
  while ((m = tag.exec(body))) {
    if (m[1] === '/') {
      depth--;
      if (depth === 0) lastTopClose = tag.lastIndex;
      if (depth < 0) break;
    } else if (m[3] === '/') {
      if (depth === 0) lastTopClose = tag.lastIndex;
    } else depth++;
  }
  return `${xml.slice(0, open.index + open[0].length)}${body.slice(0, lastTopClose)}</root>`;
}

function text(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'object' && '#text' in (v as Record<string, unknown>)) return text((v as Record<string, unknown>)['#text']);
  return ''; // an empty element such as <uniqueid/> parses to ''
}

function int(v: unknown): number | null {
  const t = text(v)?.trim();
  if (!t || !/^-?\d+$/.test(t)) return null;
  return Number(t);
}

export function parseServerInfo(xml: string): ServerInfo {
  let doc = xml.replace(/^\uFEFF/, '');
  let truncated = false;
  if (XMLValidator.validate(doc) !== true) {
    const repaired = repairTruncated(doc);
    if (!repaired || XMLValidator.validate(repaired) !== true) throw new ServerInfoError('the answer is not XML');
    doc = repaired;
    truncated = true;
  }
  const parsed = parser.parse(doc) as Record<string, unknown>;
  const root = parsed.root as Record<string, unknown> | undefined;
  if (!root || typeof root !== 'object') throw new ServerInfoError('the XML has no <root> element');
  const status = root['@_status_code'];
  if (status !== undefined && String(status) !== '200') {
    throw new ServerInfoError(`the host answered status_code ${String(status)}${root['@_status_message'] ? `: ${String(root['@_status_message'])}` : ''}`);
  }
  const hostname = text(root.hostname);
  const appversion = text(root.appversion)?.trim() ?? null;
  if (hostname === null || !appversion) throw new ServerInfoError('the XML lacks <hostname> or <appversion>: not a GameStream host');
  const mask = int(root.ServerCodecModeSupport);
  const decoded = decodeCodecMask(mask !== null && mask >= 0 ? mask : 1);
  const state = text(root.state)?.trim() ?? null;
  const currentgame = int(root.currentgame);
  const lastPart = appversion.split('.').pop() ?? '';
  return {
    hostname: hostname.trim(),
    appversion,
    gfeVersion: text(root.GfeVersion)?.trim() || null,
    uniqueid: text(root.uniqueid)?.trim() || null,
    httpsPort: int(root.HttpsPort),
    externalPort: int(root.ExternalPort),
    localIp: text(root.LocalIP)?.trim() || null,
    state,
    currentgame,
    pairStatus: int(root.PairStatus),
    maxLumaPixelsHEVC: int(root.MaxLumaPixelsHEVC),
    codecMask: decoded.mask,
    codecs: decoded.codecs,
    unknownCodecBits: decoded.unknownBits,
    flavor: lastPart.startsWith('-') ? 'sunshine' : 'gamestream',
    busy: state === 'SUNSHINE_SERVER_BUSY' || (currentgame !== null && currentgame > 0),
    truncated,
  };
}
