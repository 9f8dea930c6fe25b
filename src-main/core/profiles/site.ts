/**
 * `site.json` (docs/site-file.md): what IT knows beyond the `.conf` — farm DNS names, stream hosts, a probe target.
 * Schema-validated (contract `SiteSchema`); unknown fields are warnings so newer files still load. Environment: plain Node.
 */
import { SiteSchema, type Site } from '../../contract/profiles';
import { echo, quote } from '../log/quote';
import type { ProfileIssue } from './types';

const KNOWN_TOP = new Set(['name', 'dnsNames', 'streamHosts', 'probe', 'capacityProbe', '$schema']);
const KNOWN_HOST = new Set(['name', 'host', 'app', 'parsecPeerId']);
const KNOWN_PROBE = new Set(['host', 'port']);
/** At most this many unknown-field warnings and schema errors (a hostile file could name thousands). */
const MAX_ISSUES = 20;
const KNOWN_CAPACITY_PROBE = new Set(['host', 'port', 'ports']);

export interface SiteResult {
  site: Site | null;
  errors: ProfileIssue[];
  warnings: ProfileIssue[];
}

export function parseSiteFile(input: string | Uint8Array, fileName = 'site.json'): SiteResult {
  let text = typeof input === 'string' ? input : new TextDecoder('utf-8').decode(input);
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { site: null, warnings: [], errors: [{ line: null, code: 'site.json', message: `${echo(fileName)} is not valid JSON (${echo((e as Error).message, 120)}). Ask IT to fix the file.` }] };
  }
  const warnings: ProfileIssue[] = [];
  let unknownCount = 0;
  const unknown = (where: string, obj: unknown, known: Set<string>) => {
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return;
    for (const k of Object.keys(obj)) {
      if (known.has(k)) continue;
      unknownCount++;
      if (unknownCount <= MAX_ISSUES) warnings.push({ line: null, code: 'site.unknown-field', message: `${echo(fileName)}: unknown field ${quote(where + k)} is ignored (check the spelling against docs/site-file.md).` });
    }
  };
  unknown('', raw, KNOWN_TOP);
  if (raw && typeof raw === 'object') {
    const r = raw as Record<string, unknown>;
    if (Array.isArray(r.streamHosts)) r.streamHosts.forEach((h, i) => unknown(`streamHosts[${i}].`, h, KNOWN_HOST));
    unknown('probe.', r.probe, KNOWN_PROBE);
    unknown('capacityProbe.', r.capacityProbe, KNOWN_CAPACITY_PROBE);
  }
  if (unknownCount > MAX_ISSUES) warnings.push({ line: null, code: 'site.unknown-field', message: `${echo(fileName)}: ${unknownCount - MAX_ISSUES} more unknown fields are ignored.` });
  const parsed = SiteSchema.safeParse(raw);
  if (!parsed.success) {
    const errors = parsed.error.issues.slice(0, MAX_ISSUES).map((i) => ({
      line: null,
      code: 'site.invalid',
      message: `${echo(fileName)}: ${i.path.length ? echo(i.path.join('.')) : '(top level)'}: ${echo(i.message, 160)}. See docs/site-file.md.`,
    }));
    return { site: null, errors, warnings };
  }
  return { site: parsed.data, errors: [], warnings };
}
