/** README.txt inside the bundle: what each file is and what was redacted. Environment: any. */
import type { Report } from '../model';
import { wrap } from './summary';

export function renderReadme(r: Report): string {
  const L: string[] = [
    `Longhaul support report ${r.supportId}`,
    '',
    'This archive was made by "Run diagnostics" in Longhaul (or `longhaul report`). It lets support see what is',
    'wrong, why, and what to change. You can open and read every file before you share it.',
    '',
    'Files',
    '  summary.txt   One page: verdict, problems found and how to fix each, the support ID.',
    '  report.html   The full report for a browser. Self-contained: no scripts, no external styles, fonts or images;',
    '                it makes no network request when opened.',
    '  report.json   The same data for tools. Format: schemaVersion 1, JSON Schema in Longhaul\'s docs',
    '                (docs/report.schema.json, described in docs/report.md).',
    '  README.txt    This file.',
    '',
    'What report.json holds',
    '  diagnosis     verdict, findings (code, severity, title, why, fix, evidence), every check with its evidence',
    '                (what was sent, what came back, timings), path MTU and round-trip time.',
    '  environment   app and OS version, hashed machine id, WireGuard tools and Moonlight versions, network',
    '                interfaces with MTU, routes and routing rules, the OS DNS configuration.',
    '  tunnel, profile (redacted), site, streams (stream history), capacity (the last line measurement),',
    '  policy        managed settings and their source.',
    '  logs          recent Longhaul logs, capped (newest part of each file kept).',
    '  Each part has a status: ok, failed (with the error) or unavailable (does not apply here).',
    '',
    `Redaction applied (mode: ${r.redaction.mode})`,
  ];
  for (const rule of r.redaction.rules) L.push(...wrap(`- ${rule}`, '  '));
  const c = r.redaction.counts;
  L.push(
    '',
    `Counts: ${c.keysRemoved} key(s) removed, ${c.ipsMapped} address occurrence(s) mapped, ${c.homePaths} home path(s) and`,
    `${c.usernames} username occurrence(s) replaced, ${c.publicKeysMapped} public key(s) and ${c.hostnamesMapped} hostname(s) pseudonymised.`,
    '',
    'One anonymiser handled every file, so an address or name maps to the same pseudonym in all of them.',
    'A pseudonym cannot be turned back into the original from this archive.',
  );
  return L.join('\n') + '\n';
}
