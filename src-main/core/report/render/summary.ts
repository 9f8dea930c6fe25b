/**
 * summary.txt: one terminal page (≤ 80 columns, ≤ ~60 lines), support ID and verdict first, then findings with their
 * fixes. Rendered from the already-anonymised report (never re-anonymised). Environment: any.
 */
import type { Report } from '../model';

const WIDTH = 78;

export function wrap(text: string, indent: string, width = WIDTH): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      if (line && indent.length + line.length + 1 + word.length > width) {
        out.push(indent + line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push(indent + line);
  }
  return out;
}

const VERDICT_TEXT: Record<Report['verdict'], string> = {
  healthy: 'HEALTHY: every check passed',
  degraded: 'DEGRADED: works, with problems worth fixing',
  broken: 'BROKEN: the connection cannot work as configured',
  unknown: 'UNKNOWN: the checks did not run (see below)',
};

export function renderSummary(r: Report, maxFindings = 6): string {
  const L: string[] = [];
  L.push(`Longhaul support report ${r.supportId}`);
  L.push(`Verdict: ${VERDICT_TEXT[r.verdict]}`);
  L.push(`Created: ${r.createdAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}   Longhaul ${r.app.version} (${r.app.face})`);
  L.push('');
  const d = r.diagnosis.data;
  if (!d) L.push(...wrap(`Checks: ${r.diagnosis.error ?? 'not run'}`, ''));
  else {
    const bits = [`${d.checks.length} checks`, `path MTU ${d.pathMtu ?? 'unknown'}`, `RTT ${d.rttMs === null ? 'unknown' : `${Math.round(d.rttMs)} ms`}`];
    L.push(`Checks: ${bits.join(', ')}`);
    if (d.findings.length === 0) L.push('No problems found.');
    d.findings.slice(0, maxFindings).forEach((f, i) => {
      L.push('');
      L.push(...wrap(`${i + 1}. [${f.severity.toUpperCase()}] ${f.title} (${f.code})`, ''));
      L.push(...wrap(`Why: ${f.detail}`, '   '));
      L.push(...wrap(`Fix: ${f.fix}`, '   '));
    });
    if (d.findings.length > maxFindings) L.push('', `… and ${d.findings.length - maxFindings} more in report.html / report.json.`);
  }
  L.push('');
  const e = r.environment;
  L.push(...wrap(`System: ${e.os.platform} ${e.os.release} ${e.os.arch}`, ''));
  const tools = (e.tools.data ?? []).map((t) => `${t.name} ${t.version ?? (t.path ? 'present' : 'missing')}`);
  if (tools.length) L.push(...wrap(`Tools: ${tools.join(', ')}`, ''));
  if (r.profile.data) L.push(...wrap(`Profile: ${r.profile.data.name} (${r.profile.data.source})`, ''));
  L.push(...wrap(`Tunnel: ${r.tunnel.status === 'ok' ? 'status included' : (r.tunnel.error ?? r.tunnel.status)}`, ''));
  const c = r.redaction.counts;
  L.push('');
  L.push(...wrap(`Redaction (${r.redaction.mode}): ${c.keysRemoved} key(s) removed, ${c.ipsMapped} address occurrence(s) mapped, ${c.homePaths + c.usernames} home/user reference(s) replaced${r.redaction.mode === 'strict' ? `, ${c.publicKeysMapped} public key(s) and ${c.hostnamesMapped} hostname(s) pseudonymised` : ''}.`, ''));
  L.push('Details: report.html (open in a browser), report.json (machine-readable), README.txt.');
  return L.join('\n') + '\n';
}
