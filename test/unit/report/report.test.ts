import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFinding } from '../../../src-main/core/findings/finding';
import { createRunner } from '../../../src-main/core/platform/runner';
import { readPolicy } from '../../../src-main/core/policy/policy';
import { isDocV4 } from '../../../src-main/core/report/anonymize/ip';
import { createReport } from '../../../src-main/core/report/create';
import { REPORT_CSP } from '../../../src-main/core/report/render/html';
import { makeReport } from '../../../src-main/core/report/service';
import { SessionHistory } from '../../../src-main/core/stream/history';
import type { ReportProgress, ReportSources } from '../../../src-main/core/report/sources';
import { randomKey } from '../../support/keys';

const PRIV = randomKey();
const PSK = randomKey();
const PUB = randomKey();
const PUBLIC_IP = '93.184.216.34';
let tmp: string;

function sources(over: Partial<ReportSources> = {}): ReportSources {
  const logDir = path.join(tmp, 'logs');
  return {
    diagnose: async () => ({
      schemaVersion: 1,
      profile: 'farm',
      interface: 'farm',
      site: null,
      startedAt: '2026-11-27T10:00:00.000Z',
      durationMs: 3120,
      verdict: 'broken',
      findings: [makeFinding('mtu.blackhole', { pathMtu: 1400, tunnelMtu: 1420, moonlightPacketSize: 1392 }, { endpoint: `${PUBLIC_IP}:51820` })],
      checks: [{ id: 'path-mtu', title: 'Large packets', status: 'fail', durationMs: 812, summary: 'blackhole above 1400', evidence: { sent: [1420, 1400], target: `${PUBLIC_IP}`, log: `/home/zqsecretuser/x ${PRIV}` } }],
      pathMtu: 1400,
      rttMs: 23.4,
    }),
    profile: async () => ({
      name: 'farm',
      source: 'file',
      profile: { interface: { privateKey: PRIV, addresses: ['10.8.0.2/32'] }, peers: [{ publicKey: PUB, presharedKey: PSK, endpoint: { host: 'gw.render-farm.com', port: 51820 } }] },
      secrets: [PRIV, PSK],
      hostnames: ['gw.render-farm.com'],
      warnings: [],
    }),
    policy: () => readPolicy([]),
    logFiles: () => [path.join(logDir, 'longhaul.log')],
    env: { runner: createRunner() },
    ...over,
  };
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-report-'));
  fs.mkdirSync(path.join(tmp, 'logs'));
  fs.writeFileSync(
    path.join(tmp, 'logs', 'longhaul.log'),
    [
      JSON.stringify({ msg: 'up', endpoint: `${PUBLIC_IP}:51820`, cfg: `PrivateKey = ${PRIV}` }),
      `raw wg dump\t${PRIV}\t${PUB}\t(none)\t${PSK}`,
      `home /home/zqsecretuser/.config/longhaul user zqsecretuser`,
    ].join('\n') + '\n',
  );
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const unzip = (file: string) => Object.fromEntries(Object.entries(unzipSync(fs.readFileSync(file))).map(([k, v]) => [k, strFromU8(v)]));

describe('createReport', () => {
  it('builds a schema-valid report with every section and reports progress', async () => {
    const steps: ReportProgress[] = [];
    const { report } = await createReport({ sources: sources(), mode: 'normal', face: 'test', homedir: '/home/zqsecretuser', username: 'zqsecretuser', onProgress: (p) => steps.push(p) });
    expect(report.schemaVersion).toBe(1);
    expect(report.supportId).toMatch(/^LH-\d{8}-[0-9a-f]{8}$/);
    expect(report.verdict).toBe('broken');
    expect(report.diagnosis.data!.findings[0]!.code).toBe('mtu.blackhole');
    expect(report.tunnel.status).toBe('unavailable');
    expect(report.logs.data!.files[0]!.name).toBe('longhaul.log');
    expect(report.environment.machineIdHash === null || /^[0-9a-f]{64}$/.test(report.environment.machineIdHash)).toBe(true);
    if (process.platform === 'linux') expect(report.environment.interfaces.data!.some((i) => i.name === 'lo' && i.mtu === 65536)).toBe(true);
    const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../docs/report.schema.json'), 'utf8'));
    const ajv = new Ajv2020({ strict: false });
    const valid = ajv.validate(schema, JSON.parse(JSON.stringify(report)));
    expect(ajv.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(steps.at(-1)!.step).toBe('anonymize');
    expect(new Set(steps.map((s) => s.step))).toContain('diagnose');
  });

  it('a failing source becomes a failed section, not a failed report; no checks engine → verdict unknown', async () => {
    const { report } = await createReport({
      sources: sources({ diagnose: undefined, site: async () => { throw new Error('bad site /home/zqsecretuser/site.json'); } }),
      mode: 'normal',
      face: 'test',
      homedir: '/home/zqsecretuser',
      username: 'zqsecretuser',
    });
    expect(report.verdict).toBe('unknown');
    expect(report.diagnosis.status).toBe('unavailable');
    expect(report.site).toEqual({ status: 'failed', error: 'bad site ~/site.json', data: null });
  });
});

describe('makeReport: the bundle', () => {
  for (const mode of ['normal', 'strict'] as const) {
    it(`${mode}: zip holds the four files, 0600, no key / user / home, public IP mapped the same in every file`, async () => {
      const out = path.join(tmp, `out-${mode}`);
      const r = await makeReport({ sources: sources(), mode, face: 'test', outDir: out, homedir: '/home/zqsecretuser', username: 'zqsecretuser' });
      expect(path.dirname(r.path)).toBe(out);
      expect(fs.statSync(r.path).mode & 0o777).toBe(0o600);
      expect(fs.readdirSync(out)).toEqual([path.basename(r.path)]);
      const files = unzip(r.path);
      expect(Object.keys(files).sort()).toEqual(['README.txt', 'report.html', 'report.json', 'summary.txt']);
      for (const [name, text] of Object.entries(files)) {
        for (const secret of [PRIV, PSK, 'zqsecretuser', '/home/zqsecretuser', PUBLIC_IP]) expect(text, `${name} contains ${secret}`).not.toContain(secret);
      }
      if (mode === 'strict') {
        for (const text of Object.values(files)) {
          expect(text).not.toContain(PUB);
          expect(text).not.toContain('gw.render-farm.com');
        }
      } else expect(files['report.json']).toContain(PUB);
      const report = JSON.parse(files['report.json']!);
      const mapped = (report.diagnosis.data.checks[0].evidence.target as string).trim();
      expect(isDocV4(mapped)).toBe(true);
      expect(report.diagnosis.data.findings[0].evidence.endpoint).toBe(`${mapped}:51820`);
      expect(report.logs.data.files[0].text).toContain(`${mapped}:51820`);
      expect(files['report.html']).toContain(`${mapped}:51820`);
    });
  }

  it('summary.txt: support ID and verdict first, findings with fixes, fits a terminal page', async () => {
    const r = await makeReport({ sources: sources(), mode: 'normal', face: 'test', outDir: path.join(tmp, 'sum'), homedir: '/home/zqsecretuser', username: 'zqsecretuser' });
    const lines = r.summary.split('\n');
    expect(lines[0]).toContain(r.supportId);
    expect(lines[1]).toMatch(/^Verdict: BROKEN/);
    expect(r.summary).toMatch(/Fix: /);
    expect(r.summary).toContain('path MTU 1400');
    expect(lines.length).toBeLessThanOrEqual(66);
    expect(lines.every((l) => l.length <= 100)).toBe(true);
  });

  it('carries each stream session\'s timeline (what the watch saw) from the session history into report.json and report.html', async () => {
    const history = new SessionHistory(path.join(tmp, 'state-timeline'));
    const dropped = { at: '2026-12-03T10:00:05.000Z', kind: 'dropped-frames' as const, frames: 42, cause: 'tunnel-loss' as const, text: '42 frames dropped: the tunnel lost 6 % of the echoes to the gateway at that moment (congestion on the line)', evidence: { lossPercent: 6, rttMs: 210 } };
    history.append({ sessionId: 's-1', host: '10.8.0.10', app: 'Desktop', startedAt: '2026-12-03T10:00:00.000Z', endedAt: '2026-12-03T10:20:00.000Z', outcome: 'ended', failure: null, droppedFrames: 42, advice: [], argv: ['stream', '10.8.0.10', 'Desktop'], gateOverridden: false, timeline: [dropped], watched: true });
    const r = await makeReport({ sources: sources({ streamHistory: async () => history.list(100) }), mode: 'normal', face: 'test', outDir: path.join(tmp, 'timeline'), homedir: '/home/zqsecretuser', username: 'zqsecretuser' });
    const files = unzip(r.path);
    const report = JSON.parse(files['report.json']!) as { streams: { status: string; data: { sessionId: string; timeline: unknown[] }[] } };
    expect(report.streams.status).toBe('ok');
    expect(report.streams.data[0]!.timeline).toEqual([dropped]);
    expect(files['report.html']).toContain('42 frames dropped: the tunnel lost 6 % of the echoes');
  });

  it('report.html is self-contained: strict CSP, no script, no external reference, values escaped', async () => {
    const r = await makeReport({
      sources: sources({ streamHistory: async () => [{ note: '<script>alert(1)</script><img src="http://evil.example/x.png">' }] }),
      mode: 'normal',
      face: 'test',
      outDir: path.join(tmp, 'html'),
      homedir: '/home/zqsecretuser',
      username: 'zqsecretuser',
    });
    const html = unzip(r.path)['report.html']!;
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP.replace(/'/g, '&#39;')}">`);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<(img|link|iframe|object|embed)\b/i);
    const tags = html.match(/<[a-z][^>]*>/gi) ?? [];
    expect(tags.filter((t) => /\b(src|href|action|srcset)\s*=/i.test(t))).toEqual([]);
    expect(html).not.toMatch(/url\(|@import/i);
    expect(html).toContain('&lt;script&gt;');
  });
});
