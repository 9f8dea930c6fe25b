import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calls, ContractFailure, type EventName } from '../../../src-main/contract';
import { checkEvent } from '../../../src-main/contract/dispatch';
import { runCli } from '../../../src-main/cli/main';
import type { CliIO } from '../../../src-main/cli/command';
import { createCoreServices } from '../../../src-main/core/app/services';
import type { PolicySource } from '../../../src-main/core/policy/policy';
import { createReportHandlers } from '../../../src-main/core/report/handlers';
import { randomKey } from '../../support/keys';
import { startTestHttpsServer, type TestHttpsServer } from './https-server';

let tmp: string;
let srv: TestHttpsServer;
const PRIV = randomKey();
const oldEnv = { data: process.env.LONGHAUL_DATA_DIR, ca: process.env.LONGHAUL_EXTRA_CA_CERTS };

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-report-h-'));
  srv = await startTestHttpsServer();
  // Loopback endpoint and no tunnel: the checks that would send packets are skipped (no traffic leaves the machine).
  fs.writeFileSync(path.join(tmp, 'farm.conf'), `[Interface]\nPrivateKey = ${PRIV}\nAddress = 10.99.0.2/32\n[Peer]\nPublicKey = ${randomKey()}\nEndpoint = 127.0.0.1:51820\nAllowedIPs = 10.99.0.0/24\n`);
});
afterAll(async () => {
  await srv.close();
  fs.rmSync(tmp, { recursive: true, force: true });
  if (oldEnv.data === undefined) delete process.env.LONGHAUL_DATA_DIR;
  else process.env.LONGHAUL_DATA_DIR = oldEnv.data;
  if (oldEnv.ca === undefined) delete process.env.LONGHAUL_EXTRA_CA_CERTS;
  else process.env.LONGHAUL_EXTRA_CA_CERTS = oldEnv.ca;
});

function policyWith(url: string | null): PolicySource {
  return { name: 'test-policy', read: async () => (url ? { status: 'ok', values: { supportUploadUrl: url }, unknownKeys: [] } : { status: 'absent' }) };
}

describe('report contract handlers', () => {
  it('create → progress events, summary, open/show via ShellActions, upload; unknown ids are not-found', async () => {
    process.env.LONGHAUL_EXTRA_CA_CERTS = srv.caFile;
    const core = createCoreServices({ face: 'test', dataDir: path.join(tmp, 'data-h'), policySources: [policyWith(srv.base)] });
    const events: [EventName, unknown][] = [];
    const opened: string[] = [];
    const shown: string[] = [];
    const h = createReportHandlers(core, {
      emit: (name, payload) => events.push([name, payload]),
      openPath: async (p) => void opened.push(p),
      showItemInFolder: (p) => void shown.push(p),
    });
    const req = calls['report.create'].request.parse({});
    const created = await h['report.create'](req, { host: 'harness' });
    expect(calls['report.create'].response.safeParse(created).success).toBe(true);
    expect(created.uploadAvailable).toBe(true);
    expect(created.uploaded).toBe(false);
    expect(path.dirname(created.path)).toBe(core.paths.reports);
    const progress = events.filter(([n]) => n === 'report.progress').map(([, p]) => p as { step: string; done: number; total: number });
    expect(progress.length).toBeGreaterThanOrEqual(8);
    expect(progress.at(-1)).toMatchObject({ done: progress.at(-1)!.total });
    for (const [name, p] of events) expect(checkEvent(name, p).ok).toBe(true);

    expect((await h['report.summary']({ supportId: created.supportId }, { host: 'harness' })).text).toBe(created.summary);
    await h['report.open']({ supportId: created.supportId }, { host: 'harness' });
    await h['report.showInFolder']({ supportId: created.supportId }, { host: 'harness' });
    expect(opened).toEqual([created.path]);
    expect(shown).toEqual([created.path]);

    const n = srv.seen.length;
    const up = await h['report.upload']({ supportId: created.supportId }, { host: 'harness' });
    expect(up.url).toMatch(new RegExp(`/support/uploads/${created.supportId}\\.zip$`));
    expect(srv.seen.length).toBe(n + 1);
    expect(srv.seen.at(-1)!.body.equals(fs.readFileSync(created.path))).toBe(true);

    await expect(h['report.summary']({ supportId: 'LH-20200101-00000000' }, { host: 'harness' })).rejects.toBeInstanceOf(ContractFailure);
  });

  it('the contract refuses a path where a support ID is expected', () => {
    expect(calls['report.open'].request.safeParse({ supportId: '/etc/passwd' }).success).toBe(false);
    expect(calls['report.create'].request.safeParse({ strict: true, path: '/tmp' }).success).toBe(false);
  });

  it('upload without a configured URL is unavailable', async () => {
    const core = createCoreServices({ face: 'test', dataDir: path.join(tmp, 'data-n') });
    const h = createReportHandlers(core, { emit: () => {}, openPath: () => {}, showItemInFolder: () => {} });
    const created = await h['report.create']({ strict: false, upload: true }, { host: 'harness' });
    expect(created.uploadAvailable).toBe(false);
    expect(created.uploadError).toMatch(/no support upload URL/);
    await expect(h['report.upload']({ supportId: created.supportId }, { host: 'harness' })).rejects.toMatchObject({ code: 'unavailable' });
  });
});

function io(): CliIO & { out: string; err: string } {
  const o = { out: '', err: '', isTTY: false, env: {}, cwd: tmp } as CliIO & { out: string; err: string };
  o.stdout = (t) => void (o.out += t);
  o.stderr = (t) => void (o.err += t);
  return o;
}

describe('longhaul report (in-process)', () => {
  it('--json: writes the zip to --out and prints {schemaVersion, path, supportId, verdict, uploaded}', async () => {
    process.env.LONGHAUL_DATA_DIR = path.join(tmp, 'data-cli');
    const t = io();
    const code = await runCli(['report', '--profile', './farm.conf', '--out', 'reports-out', '--json'], t);
    expect(code).toBe(0);
    const doc = JSON.parse(t.out);
    expect(Object.keys(doc).sort()).toEqual(['path', 'schemaVersion', 'supportId', 'uploaded', 'verdict']);
    expect(doc).toMatchObject({ schemaVersion: 1, uploaded: false, verdict: 'broken' });
    expect(path.dirname(doc.path)).toBe(path.join(tmp, 'reports-out'));
    expect(fs.existsSync(doc.path)).toBe(true);
    expect(fs.readFileSync(doc.path).includes(Buffer.from(PRIV))).toBe(false);
  });
  it('plain: prints only the path on stdout', async () => {
    process.env.LONGHAUL_DATA_DIR = path.join(tmp, 'data-cli');
    const t = io();
    expect(await runCli(['report', '--out', 'plain-out'], t)).toBe(0);
    expect(t.out.trim()).toMatch(/plain-out\/longhaul-report-LH-\d{8}-[0-9a-f]{8}\.zip$/);
    expect(t.err).toMatch(/Support ID LH-/);
  });
  it('a missing profile file or unknown name is exit 2 with a clear message', async () => {
    process.env.LONGHAUL_DATA_DIR = path.join(tmp, 'data-cli');
    const t = io();
    expect(await runCli(['report', '--profile', './nope.conf'], t)).toBe(2);
    expect(t.err).toMatch(/cannot read profile .*nope\.conf: ENOENT/);
    const u = io();
    expect(await runCli(['report', '--profile', 'no-such-name'], u)).toBe(2);
    expect(u.err).toMatch(/no profile named "no-such-name"/);
  });
  it('--upload without a configured URL is exit 2 before anything is written', async () => {
    process.env.LONGHAUL_DATA_DIR = path.join(tmp, 'data-cli');
    const t = io();
    expect(await runCli(['report', '--upload', '--out', 'up-out'], t)).toBe(2);
    expect(t.err).toMatch(/no support upload URL is configured/);
    expect(fs.existsSync(path.join(tmp, 'up-out'))).toBe(false);
  });
});
