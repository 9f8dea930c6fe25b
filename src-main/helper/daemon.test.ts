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
import { createMemoryLogger, nullLogger } from '../core/log/logger';
import { createRunner } from '../core/platform/runner';
import { callHelperDoc } from '../core/tunnel/helper-client';
import { callService, NOT_RUNNING, SERVICE_PIPE_NAME, serviceEndpointOf } from '../core/tunnel/service-client';
import { PIPE_NAME, parsePipeRequest, type HelperRequest } from './args';
import { AUTH_DEADLINE_MS, MAX_PENDING, SERVICE_CLIENT_UID, helperHandler, startDaemon, type Daemon, type DaemonHandler } from './daemon';
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
    daemon = await startDaemon({ endpoint: sock(), tokenFile: ep().tokenFile, gid: process.getgid!(), platform: 'linux', logger: nullLogger, handle, authDeadlineMs: 300 });
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

describe.skipIf(!isRoot)('the service cannot be jammed without the token (real sockets)', () => {
  let dir: string;
  let daemon: Daemon | null;
  let open: net.Socket[];
  let gate: Promise<void> | null;
  const ep = () => ({ path: path.join(dir, 'helperd.sock'), tokenFile: path.join(dir, 'helperd.sock.token') });
  const handle: DaemonHandler = async () => {
    if (gate) await gate;
    return { code: 0, doc: { tunnels: [] } };
  };
  const start = async (o: Partial<Parameters<typeof startDaemon>[0]> = {}) =>
    (daemon = await startDaemon({ endpoint: ep().path, tokenFile: ep().tokenFile, gid: process.getgid!(), platform: 'linux', logger: nullLogger, handle, ...o }));
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-helperd-jam-'));
    daemon = null;
    open = [];
    gate = null;
  });
  afterEach(async () => {
    for (const s of open) s.destroy();
    await daemon?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const settle = async (want: { pending?: number; active?: number }) => {
    const ok = () => Object.entries(want).every(([k, v]) => daemon!.load()[k as 'pending' | 'active'] === v);
    for (let i = 0; i < 250 && !ok(); i++) await new Promise((r) => setTimeout(r, 20));
    return daemon!.load();
  };

  /** A client socket, connected; `data` is written at connect; `trickle` adds one byte every 100 ms (never a newline). */
  function client(o: { data?: string; trickle?: boolean; allowHalfOpen?: boolean } = {}): Promise<{ sock: net.Socket; openedAt: number; closedAt: Promise<number>; ended: Promise<void>; answer: () => string }> {
    return new Promise((resolve, reject) => {
      const sock = net.createConnection({ path: ep().path, allowHalfOpen: o.allowHalfOpen ?? false });
      open.push(sock);
      let got = '';
      sock.on('data', (d) => (got += d.toString()));
      let timer: NodeJS.Timeout | undefined;
      const closedAt = new Promise<number>((r) => sock.once('close', () => (clearInterval(timer), r(Date.now()))));
      const ended = new Promise<void>((r) => sock.once('end', () => r()));
      sock.on('error', () => {}); // EPIPE/ECONNRESET once the daemon drops it
      sock.once('connect', () => {
        if (o.data !== undefined) sock.write(o.data);
        if (o.trickle) timer = setInterval(() => sock.writable && sock.write('{'), 100);
        resolve({ sock, openedAt: Date.now(), closedAt, ended, answer: () => got });
      });
      sock.once('error', reject);
    });
  }
  const isClosed = (c: { closedAt: Promise<number> }) => Promise.race([c.closedAt.then(() => true), new Promise<boolean>((r) => setImmediate(() => r(false)))]);

  it('with 100 idle and 20 trickling sockets open, a token-bearing status still succeeds; the silent ones are closed after the authentication deadline', async () => {
    await start(); // the daemon's default limits
    expect(MAX_PENDING).toBeLessThan(100); // so the flood exceeds the unauthenticated budget (eviction is exercised)
    const all: Awaited<ReturnType<typeof client>>[] = [];
    for (let i = 0; i < 100; i++) all.push(await client());
    for (let i = 0; i < 20; i++) all.push(await client({ trickle: true }));
    const r = await callService(ep(), 'status', null, { platform: 'linux', timeoutMs: 10_000 });
    expect(r.ok && JSON.parse(r.text)).toEqual({ schemaVersion: 1, tunnels: [] });
    // Every attacker's socket is closed by the daemon (evicted, or answered at the deadline). The bound is the one the
    // task demands ("closed after the deadline"): the deadline itself plus a generous 3 s for a loaded machine.
    const limitMs = AUTH_DEADLINE_MS + 3_000;
    const never = new Promise<number>((r) => setTimeout(() => r(Number.POSITIVE_INFINITY), limitMs + 1_000));
    const lived = await Promise.all(all.map(async (a) => (await Promise.race([a.closedAt, never])) - a.openedAt));
    expect(lived.filter((ms) => ms > limitMs)).toEqual([]);
    // The ones still waiting at the deadline were told why.
    expect(all.at(-1)!.answer()).toMatch(/no complete request line with the access token within 2 s of connecting/);
    expect(await settle({ pending: 0 })).toEqual({ pending: 0, active: 0 });
    expect(await callService(ep(), 'status', null, { platform: 'linux' })).toMatchObject({ ok: true });
  }, 30_000);

  it('a full budget of sockets without a token: a new connection evicts the oldest, never a newer one', async () => {
    await start({ maxPending: 4, authDeadlineMs: 60_000 });
    const idle = [];
    for (let i = 0; i < 4; i++) idle.push(await client());
    expect(await settle({ pending: 4 })).toMatchObject({ pending: 4 });
    const fifth = await client();
    await idle[0]!.closedAt; // dropped at once, long before its deadline
    expect(await Promise.all([...idle.slice(1), fifth].map(isClosed))).toEqual([false, false, false, false]);
    // A real client arriving into a full budget evicts the oldest idle one and is served.
    expect(await callService(ep(), 'status', null, { platform: 'linux' })).toMatchObject({ ok: true, text: expect.stringContaining('"tunnels":[]') });
    await idle[1]!.closedAt;
    expect(await Promise.all([idle[2]!, idle[3]!, fifth].map(isClosed))).toEqual([false, false, false]);
  });

  it('refused sockets (wrong token, garbage) count against the unauthenticated budget while they linger', async () => {
    const log = createMemoryLogger('helperd');
    await start({ maxPending: 2, authDeadlineMs: 60_000, lingerMs: 60_000, logger: log });
    // Refused, and the client neither closes nor goes away (half-open): the daemon keeps it only as a pending socket.
    const wrong = await client({ data: JSON.stringify({ verb: 'status', token: 'f'.repeat(64) }) + '\n', allowHalfOpen: true });
    const junk = await client({ data: 'not json\n', allowHalfOpen: true });
    await Promise.all([wrong.ended, junk.ended]);
    expect(errOf(wrong.answer())).toBe('not-authorized');
    expect(errOf(junk.answer())).toBe('invalid-arguments');
    expect(daemon!.load()).toEqual({ pending: 2, active: 0 });
    await client(); // evicts the oldest (the refused `wrong`), so the budget holds
    for (let i = 0; i < 250 && !log.lines.some((l) => l.includes('service connection dropped')); i++) await new Promise((r) => setTimeout(r, 20));
    expect(log.lines.filter((l) => l.includes('service connection dropped')).map((l) => JSON.parse(l).id)).toEqual([1]);
    expect(daemon!.load()).toEqual({ pending: 2, active: 0 });
    wrong.sock.write('x'); // its daemon side is gone: EPIPE/ECONNRESET closes it
    await wrong.closedAt;
  });

  it('an answered socket whose client neither reads nor closes is closed after the linger time', async () => {
    await start({ authDeadlineMs: 60_000, lingerMs: 200 });
    const wrong = await client({ data: JSON.stringify({ verb: 'status', token: 'f'.repeat(64) }) + '\n', allowHalfOpen: true });
    await wrong.ended;
    expect(await settle({ pending: 0 })).toEqual({ pending: 0, active: 0 });
  });

  it('authenticated requests are bounded (busy beyond MAX_ACTIVE); sockets without a token never take their slots', async () => {
    await start({ maxActive: 2, authDeadlineMs: 60_000 });
    let release!: () => void;
    gate = new Promise((r) => (release = r));
    const idle = [];
    for (let i = 0; i < 10; i++) idle.push(await client());
    const held = [callService(ep(), 'down', 'farm', { platform: 'linux' }), callService(ep(), 'down', 'farm', { platform: 'linux' })];
    expect(await settle({ active: 2 })).toEqual({ pending: 10, active: 2 });
    const third = await callService(ep(), 'status', null, { platform: 'linux' });
    expect(third.ok && errOf(third.text)).toBe('busy');
    expect(third.ok && third.text).toMatch(/busy with other requests; try again/);
    release();
    gate = null;
    for (const r of await Promise.all(held)) expect(r).toMatchObject({ ok: true, text: expect.stringContaining('"tunnels":[]') });
    expect(await callService(ep(), 'status', null, { platform: 'linux' })).toMatchObject({ ok: true, text: expect.stringContaining('"tunnels":[]') });
    expect(daemon!.load()).toEqual({ pending: 10, active: 0 });
  });

  it('close() drops the sockets without a token at once and lets authenticated requests finish', async () => {
    await start({ authDeadlineMs: 60_000 });
    let release!: () => void;
    gate = new Promise((r) => (release = r));
    const idle = [await client(), await client({ trickle: true })];
    const inFlight = callService(ep(), 'down', 'farm', { platform: 'linux' });
    await settle({ active: 1 });
    const closing = daemon!.close();
    await Promise.all(idle.map((c) => c.closedAt));
    release();
    expect(await inFlight).toMatchObject({ ok: true, text: expect.stringContaining('"tunnels":[]') });
    await closing;
    daemon = null;
  });
});

const errOf = (line: string) => (JSON.parse(line) as { error?: { code: string } }).error?.code;
