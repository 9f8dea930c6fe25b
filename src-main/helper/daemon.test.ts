/**
 * The helper service over a REAL Unix socket in a temp directory: framing, token, bounds, refusals, and the client
 * transport (`callService` / `callHelperDoc` with a service endpoint). The request handler is a recording stand-in
 * that reads the body with the helper's own bounded reader; the real runHelper behind the bundled daemon is covered by
 * test/lab/tunnel-daemon.test.ts. Socket tests need root (the client insists on a root-owned socket).
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nullLogger } from '../core/log/logger';
import { createRunner } from '../core/platform/runner';
import { callHelperDoc } from '../core/tunnel/helper-client';
import { callService, NOT_RUNNING, SERVICE_PIPE_NAME, serviceEndpointOf } from '../core/tunnel/service-client';
import { PIPE_NAME, parsePipeRequest, type HelperRequest } from './args';
import { SERVICE_CLIENT_UID, helperHandler, startDaemon, type Daemon, type DaemonHandler } from './daemon';
import { runHelper } from './main';
import { daemonEndpoint, parseDaemonArgs, removeStaleSocket, resolveGroup } from './daemon-endpoint';
import { daemonMain, downAll } from './daemon-main';
import { tokenMatches } from './daemon-token';
import { readBoundedStdin } from './stdin';

const isRoot = process.getuid?.() === 0;

describe('request line and token', () => {
  it('parsePipeRequest carries the token; the old forms still parse; bad tokens are refused', () => {
    expect(parsePipeRequest('{"verb":"up","name":"farm","token":"ab12"}')).toEqual({ ok: true, request: { verb: 'up', name: 'farm' }, token: 'ab12' });
    expect(parsePipeRequest('{"verb":"status"}')).toEqual({ ok: true, request: { verb: 'status', name: null } });
    expect(parsePipeRequest(JSON.stringify({ verb: 'status', token: 5 })).ok).toBe(false);
    expect(parsePipeRequest(JSON.stringify({ verb: 'status', token: 'a'.repeat(257) })).ok).toBe(false);
    expect(parsePipeRequest(JSON.stringify({ verb: 'up', name: 'farm', token: 'x', file: '/etc/shadow' })).ok).toBe(false);
    expect(PIPE_NAME).toBe(SERVICE_PIPE_NAME);
  });

  it('tokenMatches compares whole tokens only', () => {
    const t = 'a1'.repeat(32);
    expect(tokenMatches(t, t)).toBe(true);
    for (const bad of [undefined, '', t.slice(0, 63), t + '0', 'b1'.repeat(32)]) expect(tokenMatches(t, bad)).toBe(false);
  });
});

describe('daemon arguments and endpoint', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-helperd-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const me = process.getuid?.() ?? 0;

  it('parses only --socket, --token-file, --group, each once with a value', () => {
    expect(parseDaemonArgs(['--socket', '/run/x.sock', '--group', 'lab'])).toEqual({ ok: true, args: { socket: '/run/x.sock', group: 'lab' } });
    for (const bad of [['up', 'farm'], ['--socket'], ['--socket', '--group'], ['--group', 'a', '--group', 'b'], ['--exec', '/bin/sh']]) expect(parseDaemonArgs(bad).ok, bad.join(' ')).toBe(false);
  });

  it('resolves groups by gid or by name from the group file', () => {
    const gf = path.join(dir, 'group');
    fs.writeFileSync(gf, 'root:x:0:\nstaff:*:20:root\nlab:x:60081:\n');
    expect(resolveGroup('60081', gf)).toBe(60081);
    expect(resolveGroup('staff', gf)).toBe(20);
    expect(() => resolveGroup('nogroup-here', gf)).toThrow(/no such group/);
  });

  it('per-OS defaults; overrides validated (absolute, root-owned directory not writable by others)', () => {
    const gf = path.join(dir, 'group');
    fs.writeFileSync(gf, 'staff:*:20:root\n');
    expect(daemonEndpoint('win32', {}, { ProgramData: 'D:\\PD' })).toEqual({ endpoint: PIPE_NAME, tokenFile: 'D:\\PD\\Longhaul\\access\\token', gid: null });
    expect(() => daemonEndpoint('win32', { socket: '/tmp/x' }, {})).toThrow(/only on/);
    expect(daemonEndpoint('darwin', {}, {}, { groupFile: gf })).toEqual({ endpoint: '/var/run/studio.longhaul.client.helper.sock', tokenFile: '/var/run/studio.longhaul.client.helper.token', gid: 20 });
    expect(() => daemonEndpoint('linux', {}, {})).toThrow(/--socket/);
    expect(() => daemonEndpoint('linux', { socket: path.join(dir, 's.sock') }, {}, { owner: me })).toThrow(/--group is required/);
    expect(daemonEndpoint('linux', { socket: path.join(dir, 's.sock'), group: 'staff' }, {}, { owner: me, groupFile: gf })).toEqual({ endpoint: path.join(dir, 's.sock'), tokenFile: path.join(dir, 's.sock.token'), gid: 20 });
    expect(() => daemonEndpoint('linux', { socket: 'rel.sock', group: '5' }, {}, { owner: me })).toThrow(/absolute/);
    expect(() => daemonEndpoint('linux', { socket: path.join(dir, 'missing', 's.sock'), group: '5' }, {}, { owner: me })).toThrow(/does not exist/);
    fs.chmodSync(dir, 0o777);
    expect(() => daemonEndpoint('linux', { socket: path.join(dir, 's.sock'), group: '5' }, {}, { owner: me })).toThrow(/not writable by group or others/);
  });

  it('a stale path is removed only when it is a socket of the owner', () => {
    const f = path.join(dir, 'not-a-socket');
    fs.writeFileSync(f, 'x');
    expect(() => removeStaleSocket(f, me)).toThrow(/not a socket owned by root/);
    expect(fs.existsSync(f)).toBe(true);
  });

  it('refuses to start when not root or under pkexec', async () => {
    const lines: string[] = [];
    expect(await daemonMain(['--socket', path.join(dir, 's'), '--group', '0'], {}, { platform: 'linux', uid: 1000, stderr: (l) => lines.push(l) })).toBe(2);
    expect(await daemonMain(['--socket', path.join(dir, 's'), '--group', '0'], { PKEXEC_UID: '1000' }, { platform: 'linux', uid: 0, stderr: (l) => lines.push(l) })).toBe(2);
    expect(lines).toEqual([expect.stringMatching(/must be started by root/), expect.stringMatching(/pkexec/)]);
  });

  it('the client uses the service on macOS/Windows, pkexec on Linux; the test override only in test builds', () => {
    expect(serviceEndpointOf('linux', {})).toBeNull();
    expect(serviceEndpointOf('darwin', {})).toEqual({ path: '/var/run/studio.longhaul.client.helper.sock', tokenFile: '/var/run/studio.longhaul.client.helper.token' });
    expect(serviceEndpointOf('win32', {})?.path).toBe(PIPE_NAME);
    const env = { LONGHAUL_TEST_HELPER_SOCKET: '/tmp/s', LONGHAUL_TEST_HELPER_TOKEN: '/tmp/t' };
    const saved = process.env.LONGHAUL_TEST_BUILD;
    try {
      delete process.env.LONGHAUL_TEST_BUILD;
      expect(serviceEndpointOf('linux', env)).toBeNull();
      process.env.LONGHAUL_TEST_BUILD = '1';
      expect(serviceEndpointOf('linux', env)).toEqual({ path: '/tmp/s', tokenFile: '/tmp/t' });
    } finally {
      if (saved === undefined) delete process.env.LONGHAUL_TEST_BUILD;
      else process.env.LONGHAUL_TEST_BUILD = saved;
    }
  });
});

describe('--down-all (uninstallers)', () => {
  type Run = typeof runHelper;
  const status = (name: string, state: string) => ({ name, interface: name, state, reason: null, message: null, endpoint: null, latestHandshakeAgeSec: null, rxBytes: 0, txBytes: 0, peers: [] });

  it('refused for a non-root user and under pkexec, before anything runs', async () => {
    const calls: string[][] = [];
    const run: Run = async (argv) => (calls.push([...argv]), { code: 0, doc: { tunnels: [] } });
    const said: string[] = [];
    expect(await downAll({}, { platform: 'linux', uid: 1000, run, stderr: (l) => said.push(l) })).toBe(2);
    expect(await downAll({ PKEXEC_UID: '1000' }, { platform: 'linux', uid: 0, run, stderr: (l) => said.push(l) })).toBe(2);
    expect(calls).toEqual([]);
    expect(said.join('\n')).toMatch(/--down-all is for the uninstaller/);
  });

  it('downs every tunnel status knows, as root; exit 1 when one stays up', async () => {
    const calls: { argv: string[]; caller: number | undefined }[] = [];
    const run: Run = async (argv, _env, _uid, io) => {
      calls.push({ argv: [...argv], caller: io?.caller });
      if (argv[0] === 'status') return { code: 0, doc: { tunnels: [status('farm', 'connected'), status('stuck', 'connected')] } };
      return { code: 0, doc: { tunnels: [status(argv[1]!, argv[1] === 'stuck' ? 'connected' : 'disconnected')] } };
    };
    const out: string[] = [];
    expect(await downAll({}, { platform: 'linux', uid: 0, run, write: (l) => out.push(l) })).toBe(1);
    expect(calls.map((c) => c.argv)).toEqual([['status'], ['down', 'farm'], ['down', 'stuck']]);
    expect(calls.every((c) => c.caller === 0)).toBe(true);
    expect(JSON.parse(out[0]!).tunnels.map((t: { name: string; state: string }) => `${t.name}:${t.state}`)).toEqual(['farm:disconnected', 'stuck:connected']);
    // Windows has no uid: the elevated uninstaller runs it.
    const none: Run = async () => ({ code: 0, doc: { tunnels: [] } });
    expect(await downAll({}, { platform: 'win32', uid: null, run: none, write: () => {} })).toBe(0);
  });
});

describe.skipIf(!isRoot)('caller rule: service clients and pkexec users never act on each other’s tunnels', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-helperd-caller-'));
    env = {};
    for (const [k, sub] of [['LONGHAUL_HELPER_PROFILES_DIR', 'profiles'], ['LONGHAUL_HELPER_RUNTIME_DIR', 'run'], ['LONGHAUL_HELPER_LOG_DIR', 'log']] as const) {
      fs.mkdirSync(path.join(dir, sub), { mode: 0o700 });
      env[k] = path.join(dir, sub);
    }
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const own = (uid: number) => fs.writeFileSync(path.join(dir, 'profiles', 'farm.owner'), JSON.stringify({ uid, deliveredAt: '' }), { mode: 0o600 });

  it('a service client cannot take down a pkexec user’s tunnel', async () => {
    own(1000);
    const out = await helperHandler(env)({ verb: 'down', name: 'farm' }, null, SERVICE_CLIENT_UID);
    expect((out.doc.tunnels as { reason: string; message: string }[])[0]).toMatchObject({ reason: 'permission-denied', message: expect.stringMatching(/another user \(uid 1000\)/) });
  });

  it('a pkexec user cannot take down a service tunnel', async () => {
    own(SERVICE_CLIENT_UID);
    const out = await runHelper(['down', 'farm'], { ...env, PKEXEC_UID: '1000' }, 0, { config: { profilesDir: env.LONGHAUL_HELPER_PROFILES_DIR!, runtimeDir: env.LONGHAUL_HELPER_RUNTIME_DIR!, logDir: null, ownerUid: 0 } });
    expect((out.doc.tunnels as { reason: string; message: string }[])[0]).toMatchObject({ reason: 'permission-denied', message: expect.stringMatching(new RegExp(`uid ${SERVICE_CLIENT_UID}`)) });
  });
});

describe.skipIf(!isRoot)('the service over a real Unix socket', () => {
  let dir: string;
  let daemon: Daemon;
  let calls: { req: HelperRequest; body: string | null; bodyError: string | null; caller: number }[];
  let gate: Promise<void> | null;
  const sock = () => path.join(dir, 'helperd.sock');
  const ep = () => ({ path: sock(), tokenFile: path.join(dir, 'helperd.sock.token') });

  const handle: DaemonHandler = async (req, body, caller) => {
    const got = body ? await readBoundedStdin(body, { timeoutMs: 1_000 }) : null;
    calls.push({ req, caller, body: got?.kind === 'bytes' ? Buffer.from(got.bytes).toString('utf8') : null, bodyError: got?.kind === 'error' ? got.message : null });
    if (gate) await gate;
    return { code: 0, doc: { tunnels: [] } };
  };

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-helperd-'));
    calls = [];
    gate = null;
    daemon = await startDaemon({ endpoint: sock(), tokenFile: ep().tokenFile, gid: process.getgid!(), platform: 'linux', logger: nullLogger, handle, lineTimeoutMs: 300 });
  });
  afterEach(async () => {
    await daemon.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A raw exchange: write `data` (then half-close unless `keepOpen`), return what the daemon answered. */
  function raw(data: string | Buffer, o: { keepOpen?: boolean } = {}): Promise<string> {
    return new Promise((resolve, reject) => {
      const s = net.createConnection({ path: sock(), allowHalfOpen: true });
      let out = '';
      s.on('connect', () => {
        s.write(data);
        if (!o.keepOpen) s.end();
      });
      s.on('data', (d) => (out += d.toString()));
      s.on('end', () => {
        s.destroy();
        resolve(out);
      });
      s.on('error', reject);
    });
  }
  const errCode = (line: string) => (JSON.parse(line) as { error?: { code: string } }).error?.code;

  it('socket root:<group> 0660 and token 0640; the profile body reaches the handler; caller is the service uid', async () => {
    expect(fs.statSync(sock()).mode & 0o777).toBe(0o660);
    expect(fs.statSync(ep().tokenFile).mode & 0o777).toBe(0o640);
    expect(fs.readFileSync(ep().tokenFile, 'utf8').trim()).toBe(daemon.token);
    const text = '[Interface]\nPrivateKey = x\n';
    const r = await callService(ep(), 'up', 'farm', { input: text, platform: 'linux' });
    expect(r).toEqual({ ok: true, text: JSON.stringify({ schemaVersion: 1, tunnels: [] }) + '\n' });
    expect(calls).toEqual([{ req: { verb: 'up', name: 'farm' }, body: text, bodyError: null, caller: SERVICE_CLIENT_UID }]);
    const doc = await callHelperDoc(createRunner(), 'status', null, { service: ep() });
    expect(doc).toEqual({ ok: true, doc: { tunnels: [] } });
    expect(calls[1]).toMatchObject({ req: { verb: 'status', name: null }, body: null });
  });

  it('bytes sent together with the request line are part of the body', async () => {
    const ans = await raw(JSON.stringify({ verb: 'up', name: 'farm', token: daemon.token }) + '\nPROFILE-BYTES');
    expect(JSON.parse(ans)).toEqual({ schemaVersion: 1, tunnels: [] });
    expect(calls[0]!.body).toBe('PROFILE-BYTES');
  });

  it('a wrong or missing token is refused as not-authorized (permission-denied for the app); nothing runs', async () => {
    expect(errCode(await raw(JSON.stringify({ verb: 'status', token: '0'.repeat(64) }) + '\n'))).toBe('not-authorized');
    expect(errCode(await raw(JSON.stringify({ verb: 'status' }) + '\n'))).toBe('not-authorized');
    fs.writeFileSync(path.join(dir, 'wrong'), 'f'.repeat(64));
    const r = await callHelperDoc(createRunner(), 'down', 'farm', { service: { path: sock(), tokenFile: path.join(dir, 'wrong') } });
    expect(r).toMatchObject({ ok: false, failure: { state: 'error', reason: 'permission-denied', message: expect.stringMatching(/access token/) } });
    expect(calls).toEqual([]);
  });

  it('malformed, oversized, truncated and slow requests get a JSON error; the daemon keeps serving', async () => {
    expect(errCode(await raw('not json\n'))).toBe('invalid-arguments');
    expect(errCode(await raw(JSON.stringify({ verb: 'run', name: 'sh', token: daemon.token }) + '\n'))).toBe('invalid-arguments');
    expect(errCode(await raw('x'.repeat(5000)))).toBe('invalid-request');
    expect(errCode(await raw('{"verb":"status"'))).toBe('invalid-request');
    expect(errCode(await raw('', { keepOpen: true }))).toBe('invalid-request'); // nothing within the line timeout
    const big = Buffer.alloc(70 * 1024, 0x41);
    await raw(Buffer.concat([Buffer.from(JSON.stringify({ verb: 'up', name: 'farm', token: daemon.token }) + '\n'), big]));
    expect(calls[0]!.bodyError).toMatch(/larger than 64 KiB/);
    expect(await callService(ep(), 'status', null, { platform: 'linux' })).toMatchObject({ ok: true });
  });

  it('a client that disconnects mid-request does not stop the daemon', async () => {
    let open!: () => void;
    gate = new Promise((r) => (open = r));
    await new Promise<void>((resolve) => {
      const s = net.createConnection({ path: sock() }, () => {
        s.write(JSON.stringify({ verb: 'down', name: 'farm', token: daemon.token }) + '\n');
        const poll = setInterval(() => {
          if (calls.length === 1) {
            clearInterval(poll);
            s.destroy();
            resolve();
          }
        }, 10);
      });
    });
    open();
    gate = null;
    expect(await callService(ep(), 'status', 'farm', { platform: 'linux' })).toMatchObject({ ok: true });
    expect(calls.map((c) => c.req.verb)).toEqual(['down', 'status']);
  });

  it('a second daemon on the same socket refuses to start; the first keeps serving', async () => {
    await expect(startDaemon({ endpoint: sock(), tokenFile: path.join(dir, 'other.token'), gid: 0, platform: 'linux', logger: nullLogger, handle })).rejects.toThrow(/already listening/);
    expect(await callService(ep(), 'status', null, { platform: 'linux' })).toMatchObject({ ok: true });
  });

  it('client failures in plain words: not running, not the service', async () => {
    await daemon.close();
    expect(await callService(ep(), 'status', null, { platform: 'linux' })).toEqual({ ok: false, reason: 'tools-missing', message: NOT_RUNNING });
    fs.writeFileSync(path.join(dir, 'tok'), 'a'.repeat(64));
    fs.writeFileSync(sock(), 'not a socket');
    expect(await callService({ path: sock(), tokenFile: path.join(dir, 'tok') }, 'status', null, { platform: 'linux' })).toMatchObject({ ok: false, reason: 'permission-denied', message: expect.stringMatching(/not a socket owned by root/) });
    fs.writeFileSync(path.join(dir, 'tok'), 'not hex');
    expect(await callService({ path: sock(), tokenFile: path.join(dir, 'tok') }, 'status', null, { platform: 'linux' })).toMatchObject({ ok: false, message: expect.stringMatching(/damaged/) });
    fs.rmSync(sock());
    daemon = await startDaemon({ endpoint: sock(), tokenFile: ep().tokenFile, gid: 0, platform: 'linux', logger: nullLogger, handle }); // for afterEach
  });
});
