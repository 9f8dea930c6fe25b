/**
 * Stream launcher end to end on loopback (no namespaces needed): the Sunshine stand-in on 127.0.0.42/43, an HTTP
 * server that is not Sunshine on .44, nothing on .45; the moonlight-qt stand-in as "Moonlight". Probe → pair → list →
 * stream dry-run (argv re-validated by the stand-in) → launch (log lines from the recordings).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src-main/cli/main';
import { dispatch } from '../../src-main/contract/dispatch';
import type { CliIO } from '../../src-main/cli/command';
import { createCoreServices } from '../../src-main/core/app/services';
import type { HostDelegate } from '../../src-main/core/app/host';
import { createStreamHandlers } from '../../src-main/core/stream/handlers';
import { confirmPaired, PairingAssistant } from '../../src-main/core/stream/pairing';
import { createRunner } from '../../src-main/core/platform/runner';
import { nullLogger } from '../../src-main/core/log/logger';

const ROOT = path.resolve(__dirname, '../..');
const MOONLIGHT = path.join(ROOT, 'scripts/standins/moonlight-standin');
const SUNSHINE = path.join(ROOT, 'scripts/standins/sunshine-standin.mjs');
const SAMPLES = path.join(ROOT, 'test/fixtures/samples');
const OK = '127.0.0.42';
const BUSY = '127.0.0.43';
const NOT_SUNSHINE = '127.0.0.44';
const NOTHING = '127.0.0.45';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-stream-lab-'));
const children: ChildProcess[] = [];
let htmlServer: http.Server;
const saved = { ...process.env };

function startSunshine(args: string[]): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, [SUNSHINE, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(c);
    let err = '';
    c.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    c.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('listening')) resolve(c);
    });
    c.once('exit', (code) => reject(new Error(`sunshine-standin exited ${code}: ${err}`)));
  });
}

async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string; json: Record<string, unknown> | null }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTTY: false, env: process.env, cwd: dir };
  const code = await runCli(argv, io);
  let json: Record<string, unknown> | null = null;
  try {
    json = JSON.parse(stdout) as Record<string, unknown>;
  } catch {}
  return { code, stdout, stderr, json };
}

function postPin(host: string, pin: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ pin, name: 'artist-laptop' });
    const req = http.request({ host, port: 47989, path: '/api/pin', method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      let t = '';
      res.on('data', (d: Buffer) => (t += d.toString()));
      res.on('end', () => resolve(t));
    });
    req.on('error', reject);
    req.end(body);
  });
}

beforeAll(async () => {
  process.env.LONGHAUL_DATA_DIR = path.join(dir, 'data');
  process.env.MOONLIGHT_STANDIN_STATE = path.join(dir, 'moonlight-state.json');
  process.env.MOONLIGHT_STANDIN_ARGV_FILE = path.join(dir, 'argv.jsonl');
  process.env.LONGHAUL_MOONLIGHT = MOONLIGHT;
  await startSunshine(['--address', OK, '--also-listen', '47984,48010', '--hostname', 'ws1', '--codec-mask', '8323841', '--apps', 'Desktop,Blender']);
  await startSunshine(['--address', BUSY, '--also-listen', '47984,48010', '--busy', '--codec-mask', '769']);
  htmlServer = http.createServer((_req, res) => res.end('<html><body>router login</body></html>'));
  await new Promise<void>((r) => htmlServer.listen(47989, NOT_SUNSHINE, r));
});

afterAll(async () => {
  // Wait for every stand-in to exit before removing their directory: a process still writing its state file while
  // rmSync walks the tree makes rmdir fail with ENOTEMPTY (seen in CI). maxRetries covers a launched Moonlight
  // stand-in (not ours to wait for) finishing its last write.
  await Promise.all(
    children.map((c) => (c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => { c.once('exit', () => r()); c.kill('SIGTERM'); }))),
  );
  htmlServer?.closeAllConnections();
  await new Promise<void>((r) => (htmlServer ? htmlServer.close(() => r()) : r()));
  process.env = saved;
  fs.rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
});

describe('longhaul sunshine probe', () => {
  it('ok: ports, serverinfo fields, decoded codecs (--json contract)', async () => {
    const r = await cli(['sunshine', 'probe', OK, '--json']);
    expect(r.code).toBe(0);
    expect(r.json).toMatchObject({ schemaVersion: 1, host: OK, result: 'ok', ports: { '47984': true, '47989': true, '48010': true } });
    const si = r.json!.serverinfo as Record<string, unknown>;
    expect(si).toMatchObject({ hostname: 'ws1', appversion: '7.1.431.-1', state: 'SUNSHINE_SERVER_FREE', codecMask: 8323841, flavor: 'sunshine' });
    expect(si.codecs).toContain('HEVC 4:4:4 Main10');
  });

  it('busy, not-sunshine, not-listening, unreachable are distinct (exit 1)', async () => {
    const busy = await cli(['sunshine', 'probe', BUSY, '--json']);
    expect([busy.code, busy.json!.result]).toEqual([1, 'busy']);
    const other = await cli(['sunshine', 'probe', NOT_SUNSHINE, '--json']);
    expect([other.code, other.json!.result, other.json!.serverinfo]).toEqual([1, 'not-sunshine', null]);
    const none = await cli(['sunshine', 'probe', NOTHING, '--json']);
    expect([none.code, none.json!.result, none.json!.ports]).toEqual([1, 'not-listening', { '47984': false, '47989': false, '48010': false }]);
    const gone = await cli(['sunshine', 'probe', 'ws9.nonexistent.invalid', '--json']);
    expect([gone.code, gone.json!.result]).toEqual([1, 'unreachable']);
  });
});

describe('pairing through the contract handlers', () => {
  it('PIN → moonlight pair waits → Sunshine receives the PIN → list exits 0', async () => {
    const core = createCoreServices({ face: 'test', dataDir: path.join(dir, 'data') });
    const events: unknown[] = [];
    const host: HostDelegate = { emit: (n, p) => void events.push([n, p]), notify: () => {}, openPath: async () => {}, showItemInFolder: () => {} };
    const h = createStreamHandlers(core, host);
    const ctx = { host: 'harness' as const };
    expect(await h['stream.moonlight']({}, ctx)).toMatchObject({ found: true, executable: MOONLIGHT, version: '6.1.0' });

    const deps = { runner: createRunner(), install: { executable: MOONLIGHT, prefixArgs: [] }, logger: nullLogger };
    expect((await confirmPaired(deps, OK)).paired).toBe(false); // list exits 255: not paired yet

    const start = await h['stream.pairStart']({ host: OK }, ctx);
    expect(start.pin).toMatch(/^\d{4}$/);
    expect(start).toMatchObject({ hostname: 'ws1', enterAt: `https://${OK}:47990/pin` });
    await expect(h['stream.pairStart']({ host: OK }, ctx)).rejects.toMatchObject({ code: 'conflict' }); // one pairing at a time

    // The artist types the PIN once `moonlight pair` is waiting; a PIN with no pending pairing is refused (false).
    let answer = '';
    for (let i = 0; i < 200 && answer !== '{"status":true}'; i++) {
      answer = await postPin(OK, start.pin);
      if (answer !== '{"status":true}') await new Promise((r) => setTimeout(r, 50));
    }
    expect(answer).toBe('{"status":true}');
    const confirmed = await h['stream.pairConfirm']({ pairingId: start.pairingId }, ctx);
    expect(confirmed.paired).toBe(true);
    expect((await createRunner().run(MOONLIGHT, ['list', OK], { okCodes: 'any' })).stdout).toBe('Desktop\nBlender\n');
  });
});

describe('the contract (dispatch validates requests and responses)', () => {
  it('stream.* calls answer within their schemas', async () => {
    const core = createCoreServices({ face: 'test', dataDir: path.join(dir, 'data-contract') });
    const events: [string, unknown][] = [];
    const host: HostDelegate = { emit: (n, p) => void events.push([n, p]), notify: () => {}, openPath: async () => {}, showItemInFolder: () => {} };
    const h = createStreamHandlers(core, host);
    const ctx = { host: 'harness' as const };
    const call = (name: string, req: unknown) => dispatch(h, name, req, ctx);
    expect(await call('stream.addHost', { name: 'ws1', host: OK, app: 'Blender' })).toMatchObject({ ok: true, value: { hosts: [{ name: 'ws1', host: OK, app: 'Blender', source: 'manual' }] } });
    expect(await call('stream.probe', { host: OK })).toMatchObject({ ok: true, value: { result: 'ok', badges: { yuv444: true, hdr: true, av1: true } } });
    expect(await call('stream.defaults', {})).toMatchObject({ ok: true, value: { width: 1920, yuv444: true, bitrateKbps: null } });
    const plan = await call('stream.launch', { host: OK, dryRun: true, override: true, settings: { fps: 120 } });
    expect(plan).toMatchObject({ ok: true, value: { sessionId: null, blocked: false, overridden: true } });
    const argv = (plan as { value: { argv: string[] } }).value.argv;
    expect(argv.slice(0, 3)).toEqual(['stream', OK, 'Blender']); // the host's app
    expect(argv[argv.indexOf('--fps') + 1]).toBe('120');
    expect(events.some(([n]) => n === 'stream.gateProgress')).toBe(true);
    expect(await call('stream.launch', { host: OK, settings: { fps: 5 } })).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    expect(await call('stream.launch', { host: OK, dryRun: true })).toMatchObject({ ok: true, value: { blocked: true } }); // no tunnel, no override
    expect(await call('stream.history', {})).toMatchObject({ ok: true });
  });
});

describe('the Sunshine stand-in keeps Sunshine\'s /api/pin rules', () => {
  it('Basic auth when credentials are set, JSON content type, 4 digits', async () => {
    const AUTH = '127.0.0.47';
    await startSunshine(['--address', AUTH, '--credentials', 'admin:s3cret']);
    const post = (headers: Record<string, string>, body: string) =>
      new Promise<number>((resolve, reject) => {
        const req = http.request({ host: AUTH, port: 47989, path: '/api/pin', method: 'POST', headers: { 'Content-Length': String(Buffer.byteLength(body)), ...headers } }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        req.end(body);
      });
    const auth = { Authorization: `Basic ${Buffer.from('admin:s3cret').toString('base64')}` };
    expect(await post({ 'Content-Type': 'application/json' }, '{"pin":"1234","name":"x"}')).toBe(401);
    expect(await post({ ...auth, 'Content-Type': 'text/plain' }, '{"pin":"1234","name":"x"}')).toBe(400);
    expect(await post({ ...auth, 'Content-Type': 'application/json' }, '{"pin":"12345","name":"x"}')).toBe(400);
    expect(await post({ ...auth, 'Content-Type': 'application/json' }, '{"pin":"1234","name":"x"}')).toBe(200);
  });
});

describe('pairing timeout', () => {
  it('kills `moonlight pair` when nobody enters the PIN (120 s in the app; shortened here)', async () => {
    const assistant = new PairingAssistant({ runner: createRunner(), install: { executable: MOONLIGHT, prefixArgs: [] }, logger: nullLogger, timeoutMs: 1500 });
    const s = assistant.start(BUSY);
    const done = await s.finished;
    expect(done.error).toMatch(/Nobody entered the PIN within 2 s/);
    expect(s.running).toBe(false);
    expect(assistant.start(BUSY).pairingId).not.toBe(s.pairingId); // a new pairing may start once the old one ended
  });
});

describe('longhaul stream', () => {
  it('blocks without a tunnel (exit 1, the red item and its fix); --override builds argv', async () => {
    const blocked = await cli(['stream', OK, '--dry-run', '--json']);
    expect(blocked.code).toBe(1);
    expect(blocked.json).toMatchObject({ schemaVersion: 1, blocked: true, executable: MOONLIGHT, packetSize: null });
    expect((blocked.json!.argv as string[]).slice(0, 3)).toEqual(['stream', OK, 'Desktop']); // what would run once the gate passes
    const tunnel = (blocked.json!.gate as { id: string; status: string; findingCode?: string }[]).find((g) => g.id === 'tunnel');
    expect(tunnel).toMatchObject({ status: 'fail', findingCode: 'tunnel.down' });

    const over = await cli(['stream', OK, 'Blender', '--dry-run', '--override', '--json']);
    expect(over.code).toBe(0);
    expect(over.json).toMatchObject({ blocked: false, overridden: true, packetSize: null, maxPacketSize: null });
    const argv = over.json!.argv as string[];
    expect(argv.slice(0, 3)).toEqual(['stream', OK, 'Blender']);
    expect(argv).toContain('--yuv444'); // the host advertises 4:4:4, Moonlight stand-in is 6.1.0
    expect(argv[argv.indexOf('--bitrate') + 1]).toBe('40000');
    const ports = (over.json!.gate as { id: string; status: string }[]).find((g) => g.id === 'sunshine-ports');
    expect(ports).toMatchObject({ status: 'pass' });

    // The built argv, handed to the moonlight-qt stand-in: accepted (exit 0), recorded verbatim.
    fs.rmSync(process.env.MOONLIGHT_STANDIN_ARGV_FILE!, { force: true });
    const r = await createRunner().run(MOONLIGHT, argv, { okCodes: 'any' });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(fs.readFileSync(process.env.MOONLIGHT_STANDIN_ARGV_FILE!, 'utf8')).argv).toEqual(argv);
  });

  it('a busy host gets no 4:4:4 it does not advertise (mask 769: HDR-capable HEVC only)', async () => {
    const r = await cli(['stream', BUSY, '--dry-run', '--override', '--json']);
    const argv = r.json!.argv as string[];
    expect(argv).toContain('--no-yuv444');
    expect((r.json!.gate as { id: string; status: string }[]).find((g) => g.id === 'sunshine-ports')).toMatchObject({ status: 'warn' });
  });

  it('launches the stand-in, watches its log lines, records the session', async () => {
    process.env.MOONLIGHT_STANDIN_LOG = path.join(SAMPLES, 'any-moonlight-qt-log-network-dropped-frames-excerpt.txt');
    fs.rmSync(process.env.MOONLIGHT_STANDIN_ARGV_FILE!, { force: true });
    try {
      const r = await cli(['stream', OK, '--override', '--json']);
      expect(r.code).toBe(0);
      const session = r.json!.session as Record<string, unknown>;
      expect(session).toMatchObject({ host: OK, app: 'Desktop', outcome: 'ended', droppedFrames: 26, gateOverridden: true });
      expect((session.advice as string[])[0]).toMatch(/lower bitrate/);
      const spawned = JSON.parse(fs.readFileSync(process.env.MOONLIGHT_STANDIN_ARGV_FILE!, 'utf8').trim().split('\n').pop()!).argv;
      expect(spawned).toEqual(r.json!.argv);
      const history = fs.readFileSync(path.join(dir, 'data', 'state', 'stream-sessions.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      expect(history.filter((h: { sessionId: string }) => h.sessionId === session.sessionId).map((h: { outcome: string }) => h.outcome)).toEqual(['running', 'ended']);
    } finally {
      delete process.env.MOONLIGHT_STANDIN_LOG;
    }
  });

  it('refuses to run without Moonlight, with the install hint (exit 2)', async () => {
    const r = await cli(['stream', OK, '--dry-run', '--moonlight', path.join(dir, 'no-such-moonlight')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/does not exist.*flatpak install flathub com\.moonlight_stream\.Moonlight/s);
  });
});
