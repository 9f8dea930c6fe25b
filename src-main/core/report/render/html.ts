/**
 * report.html: the whole report for a browser, self-contained — inline CSS only, no scripts, no external
 * styles/fonts/images, a CSP that forbids everything else (`default-src 'none'; style-src 'unsafe-inline'`).
 * Every value is HTML-escaped. Rendered from the already-anonymised report. Environment: any.
 */
import type { Report } from '../model';

export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'";

export function esc(v: unknown): string {
  return String(v).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
const json = (v: unknown) => `<pre>${esc(JSON.stringify(v, null, 2))}</pre>`;
const details = (summary: string, body: string, open = false) => `<details${open ? ' open' : ''}><summary>${summary}</summary>${body}</details>`;

function table(head: string[], rows: unknown[][]): string {
  if (rows.length === 0) return '<p class="muted">none</p>';
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${esc(c ?? '')}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

function sectionBlock<T>(title: string, s: { status: string; error: string | null; data: T | null }, body: (d: T) => string, open = false): string {
  const inner = s.data !== null && s.status === 'ok' ? body(s.data) : `<p class="muted">${esc(s.status)}: ${esc(s.error ?? '')}</p>`;
  return `<section><h2>${esc(title)}</h2>${open ? inner : details('show', inner)}</section>`;
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#f6f7f9;color:#1b1f24}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d7dbe0;padding-bottom:4px}
.id{font:600 16px ui-monospace,Menlo,Consolas,monospace;background:#fff;border:1px solid #c9ced6;border-radius:6px;padding:2px 8px}
.verdict{display:inline-block;padding:4px 12px;border-radius:14px;font-weight:700;margin:10px 0}
.healthy{background:#d9f2e1;color:#125c2b}.degraded{background:#fff0c7;color:#6b4a00}.broken{background:#fbd9d7;color:#8a1710}.unknown{background:#e3e6ea;color:#333}
.finding{background:#fff;border:1px solid #d7dbe0;border-left:5px solid #888;border-radius:6px;padding:10px 14px;margin:10px 0}
.finding.error{border-left-color:#c4291d}.finding.warning{border-left-color:#d49b00}.finding.info{border-left-color:#2f6fd0}
.finding h3{margin:0 0 6px;font-size:15px}.code{font:12px ui-monospace,Menlo,Consolas,monospace;color:#555}
.fix{background:#eef5ff;border-radius:4px;padding:6px 8px}
table{border-collapse:collapse;width:100%;background:#fff;font-size:13px}th,td{border:1px solid #d7dbe0;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#eef0f3}pre{background:#fff;border:1px solid #d7dbe0;border-radius:4px;padding:8px;overflow:auto;max-height:480px;font:12px/1.4 ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap;word-break:break-all}
.muted{color:#666}summary{cursor:pointer;color:#2a5db0}
`;

export function renderHtml(r: Report): string {
  const d = r.diagnosis.data;
  const findings = d
    ? d.findings.length
      ? d.findings
          .map(
            (f) => `<div class="finding ${esc(f.severity)}"><h3>${esc(f.title)} <span class="code">${esc(f.code)} · ${esc(f.severity)}</span></h3>
<p>${esc(f.detail)}</p><p class="fix"><b>Fix:</b> ${esc(f.fix)}</p>${Object.keys(f.evidence).length ? details('evidence', json(f.evidence)) : ''}</div>`,
          )
          .join('\n')
      : '<p>No problems found.</p>'
    : `<p class="muted">Checks did not run: ${esc(r.diagnosis.error ?? r.diagnosis.status)}</p>`;
  const checks = d
    ? `${table(
        ['check', 'status', 'duration'],
        d.checks.map((c) => [c.title ?? c.id, c.status, c.durationMs == null ? '' : `${c.durationMs} ms`]),
      )}${d.checks.map((c) => details(`evidence: ${esc(c.title ?? c.id)}`, json(c.evidence))).join('')}`
    : '';
  const e = r.environment;
  const env = `<table><tbody>
<tr><th>OS</th><td>${esc(`${e.os.platform} ${e.os.release} (${e.os.version}) ${e.os.arch}`)}</td></tr>
<tr><th>Longhaul</th><td>${esc(`${r.app.version} (${r.app.face}), Node ${e.node}`)}</td></tr>
<tr><th>Machine id (hashed)</th><td>${esc(e.machineIdHash ?? 'unavailable')}</td></tr></tbody></table>`;
  const dnsBody = (dns: NonNullable<typeof e.dns.data>) =>
    dns.sources.map((s) => `<h3>${esc(s.name)}</h3>${s.status === 'ok' ? json(s.parsed) + (s.raw ? details('raw', `<pre>${esc(s.raw)}</pre>`) : '') : `<p class="muted">${esc(s.status)}: ${esc(s.error ?? '')}</p>`}`).join('');
  const body = `
<header><h1>Longhaul support report</h1>
<p>Support ID <span class="id">${esc(r.supportId)}</span> · created ${esc(r.createdAt)}</p>
<div class="verdict ${esc(r.verdict)}">${esc(r.verdict.toUpperCase())}</div>
${d ? `<p>Path MTU: <b>${esc(d.pathMtu ?? 'unknown')}</b> · RTT: <b>${esc(d.rttMs === null ? 'unknown' : `${d.rttMs} ms`)}</b></p>` : ''}</header>
<section><h2>Findings</h2>${findings}</section>
<section><h2>Checks</h2>${checks || '<p class="muted">none</p>'}</section>
<section><h2>Environment</h2>${env}</section>
${sectionBlock('Tools', e.tools, (t) => table(['tool', 'version', 'path', 'note'], t.map((x) => [x.name, x.version, x.path, x.error])), true)}
${sectionBlock('Interfaces', e.interfaces, (ifs) => table(['name', 'mtu', 'state', 'addresses'], ifs.map((i) => [i.name, i.mtu, i.state, i.addresses.map((a) => `${a.address}/${a.prefixLength}`).join(' ')])), true)}
${sectionBlock('Routes', e.routes, (rs) => table(['table', 'destination', 'gateway', 'device', 'source', 'mtu'], rs.map((x) => [x.table, x.dst, x.gateway, x.dev, x.prefsrc, x.mtu])))}
${sectionBlock('Routing rules', e.rules, (rs) => json(rs))}
${sectionBlock('DNS configuration', e.dns, dnsBody)}
${sectionBlock('Tunnel', r.tunnel, (t) => json(t))}
${sectionBlock('Profile in effect (redacted)', r.profile, (p) => json(p))}
${sectionBlock('Site file', r.site, (s) => json(s))}
${sectionBlock('Stream history', r.streams, (s) => json(s))}
${r.capacity ? sectionBlock('Line measurement (stream fitness)', r.capacity, (c) => json(c)) : ''}
${sectionBlock('Managed policy', r.policy, (p) => table(['key', 'value', 'source', 'locked'], p.values.map((v) => [v.key, JSON.stringify(v.value), v.source, v.locked ? 'yes' : 'no'])) + (p.refused.length ? json({ refused: p.refused }) : ''), true)}
${sectionBlock('Recent logs', r.logs, (l) => l.files.map((f) => details(`${esc(f.name)} (${f.sizeBytes} bytes${f.truncated ? ', newest part' : ''})`, `<pre>${esc(f.text)}</pre>`)).join(''))}
<section><h2>Redaction (${esc(r.redaction.mode)})</h2><ul>${r.redaction.rules.map((x) => `<li>${esc(x)}</li>`).join('')}</ul></section>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(REPORT_CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Longhaul report ${esc(r.supportId)}</title>
<style>${CSS}</style></head>
<body><main>${body}</main></body></html>
`;
}
