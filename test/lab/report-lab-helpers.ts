/**
 * Report assertions for a raised lab scenario, reused by test/lab/checks-scenarios.test.ts so each scenario is raised
 * once for diagnose and report: `longhaul report` inside the artist namespace must agree with the diagnosis (finding
 * codes and severities, verdict, check ids; strict mode too), validate against the published schema, hold none of the
 * lab's keys, and its report.html must render in Chromium without any network request (screenshot under
 * artifacts/report-lab/).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { strFromU8, unzipSync } from 'fflate';
import { expect } from 'vitest';
import { createRunner } from '../../src-main/core/platform/runner';
import { keysInProfileText } from '../../src-main/core/report/wiring';
import type { Lab } from '../../scripts/lab';
import { cliBundle, type DiagnoseDoc } from './checks-helpers';


const ROOT = path.join(__dirname, '../..');
export const ART = path.join(ROOT, 'artifacts/report-lab');
const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'docs/report.schema.json'), 'utf8')) as object;
const runner = createRunner();


async function reportInLab(lab: Lab, out: string, strict: boolean): Promise<{ doc: { path: string; verdict: string; supportId: string }; files: Record<string, string> }> {
  const cli = await cliBundle();
  const site = lab.extra.sitePath as string | undefined;
  const args = ['netns', 'exec', lab.names.ns.artist, process.execPath, cli, 'report', '--profile', lab.profilePath, ...(site ? ['--site', site] : []), '--out', out, '--json', ...(strict ? ['--strict'] : [])];
  const r = await runner.run('ip', args, { okCodes: 'any', timeoutMs: 120_000, env: { LONGHAUL_DATA_DIR: path.join(lab.dir, 'longhaul-data') } });
  if (r.code !== 0) throw new Error(`report exited ${r.code}: ${r.stdout.slice(0, 400)} ${r.stderr.slice(-1500)}`);
  const doc = JSON.parse(r.stdout) as { path: string; verdict: string; supportId: string };
  const files = Object.fromEntries(Object.entries(unzipSync(fs.readFileSync(doc.path))).map(([k, v]) => [k, strFromU8(v)]));
  return { doc, files };
}

const codes = (fs: { code: string; severity: string }[]) => fs.map((f) => `${f.severity} ${f.code}`).sort();

/** Render report.html in headless Chromium: screenshot + net log; return every URL the browser fetched. */
export async function renderInChromium(html: string, png: string): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-report-html-'));
  const page = path.join(dir, 'report.html');
  fs.writeFileSync(page, html);
  const netlog = path.join(dir, 'net.json');
  // In a fresh network namespace (loopback only, down): nothing the browser tries can leave this machine. Chromium's
  // own background services (update, time, accounts) still show up in the net log as attempts; they are filtered out
  // below, so what remains is what the page itself asked for.
  await runner.run(
    'unshare',
    [
      '--net',
      runner.which('chromium') ?? 'chromium',
      '--headless=new', '--host-resolver-rules=MAP * ~NOTFOUND', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--disable-default-apps', '--hide-scrollbars', `--user-data-dir=${path.join(dir, 'profile')}`, `--log-net-log=${netlog}`,
      '--window-size=1200,1800', `--screenshot=${png}`, `file://${page}`,
    ],
    { timeoutMs: 90_000, okCodes: 'any' },
  );
  const log = fs.existsSync(netlog) ? fs.readFileSync(netlog, 'utf8') : '';
  fs.rmSync(dir, { recursive: true, force: true });
  return [...log.matchAll(/"url":"([^"]+)"/g)].map((m) => m[1]!);
}

/** Run the report twice (normal, strict) on a raised lab and hold it to the diagnosis `diag` of the same lab. */
export async function expectReportMatchesDiagnosis(lab: Lab, scenario: string, diag: DiagnoseDoc): Promise<void> {
  const out = path.join(lab.dir, 'reports');
  const keys = keysInProfileText(fs.readFileSync(lab.profilePath, 'utf8'));
  expect(keys.length).toBeGreaterThan(0);
  for (const strict of [false, true]) {
    const { doc, files } = await reportInLab(lab, out, strict);
    const report = JSON.parse(files['report.json']!);
    const ajv = new Ajv2020({ strict: false });
    expect(ajv.validate(schema, report), JSON.stringify(ajv.errors)).toBe(true);
    expect(doc.verdict).toBe(diag.verdict);
    expect(report.tunnel.status, JSON.stringify(report.tunnel)).toBe('ok'); // root in the lab: read directly
    expect(report.streams.status).toBe('ok');
    expect(codes(report.diagnosis.data.findings), `strict=${strict}`).toEqual(codes(diag.findings));
    expect(report.diagnosis.data.checks.map((c: { id: string }) => c.id).sort()).toEqual(diag.checks.map((c) => c.id).sort());
    for (const [name, text] of Object.entries(files)) for (const k of keys) expect(text.includes(k), `${name} holds a lab key`).toBe(false);
    if (!strict) {
      fs.mkdirSync(ART, { recursive: true });
      const png = path.join(ART, `${scenario}.png`);
      const urls = await renderInChromium(files['report.html']!, png);
      expect(fs.statSync(png).size).toBeGreaterThan(10_000);
      const browserOwn = /^https?:\/\/([a-z0-9-]+\.)*(google\.com|googleapis\.com|gvt1\.com|gstatic\.com)\//;
      const external = urls.filter((u) => !u.startsWith('file://') && !u.startsWith('data:') && !u.startsWith('chrome') && !browserOwn.test(u));
      expect(external).toEqual([]);
    }
  }
}
