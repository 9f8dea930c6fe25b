/**
 * Property test (fast-check) of the helper service's request framing over a REAL Unix socket: whatever a client sends
 * — well-formed or malformed request lines, right/wrong/missing/mistyped tokens, any verb and name, bytes split into
 * any chunks, with or without a half-close, profile bodies (valid, mutated, oversized) carrying a private and a
 * preshared key — the daemon answers with exactly one JSON line within 1 s, and neither that answer nor anything it
 * logs contains a secret (the access token, a private or preshared key). The 1 s bound is the one the issue demands
 * ("no run over 1 s"); the daemon runs with a 300 ms authentication deadline and body timeout so that a client that
 * never half-closes is answered inside it.
 *
 * Behind the socket: `status`/`down` go to the real `runHelper` (temp root-only directories, the service caller; both
 * refuse names that are not Longhaul's before running anything); `up` is a STAND-IN that reads the body with the
 * helper's bounded reader and validates it with the helper's own `validateDelivered` (what `runHelper` does before
 * anything else) and stops there, so a valid fuzzed profile never reaches wg-quick. Root only (the socket is chowned).
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../core/log/logger';
import { callService } from '../core/tunnel/service-client';
import { startDaemon, type Daemon, type DaemonHandler } from './daemon';
import { DeliveryRefused, validateDelivered } from './delivery';
import { runHelper, type HelperConfig } from './main';
import { readBoundedStdin } from './stdin';

const isRoot = process.getuid?.() === 0;
const BOUND_MS = 1_000;

/** Keeps every record as written, unredacted: a leak must be visible here, not hidden by the redactor. */
function rawLogger(lines: string[]): Logger {
  const log = (level: string) => (msg: string, fields?: Record<string, unknown>) => void lines.push(JSON.stringify({ level, msg, ...fields }));
  const l: Logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), child: () => l };
  return l;
}

const key = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('base64'));

/** A profile carrying `priv` and `psk`, then mutated line by line (drop, duplicate, garbage, a key moved elsewhere). */
const profileBody = (priv: string, psk: string) =>
  fc
    .tuple(
      fc.array(fc.tuple(fc.nat(9), fc.constantFrom('drop', 'dup', 'garbage', 'moved', 'mangle'), fc.string({ maxLength: 40 })), { maxLength: 4 }),
      fc.oneof({ arbitrary: fc.constant(0), weight: 9 }, { arbitrary: fc.constant(70 * 1024), weight: 1 }),
    )
    .map(([ops, pad]) => {
      const lines = ['[Interface]', `PrivateKey = ${priv}`, 'Address = 10.9.0.2/32', '', '[Peer]', 'PublicKey = xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=', `PresharedKey = ${psk}`, 'Endpoint = 192.0.2.1:51820', 'AllowedIPs = 10.9.0.0/24'];
      for (const [at, op, junk] of ops) {
        const i = at % lines.length;
        if (op === 'drop') lines.splice(i, 1);
        else if (op === 'dup') lines.splice(i, 0, lines[i]!);
        else if (op === 'garbage') lines.splice(i, 0, junk);
        else if (op === 'moved') lines.splice(i, 0, `${junk.replace(/\W/g, '') || 'Address'} = ${at % 2 ? priv : psk}`);
        else lines[i] = `${lines[i]}${junk}`;
      }
      return lines.join('\n') + '\n' + (pad ? '#'.repeat(pad) : '');
    });

interface Exchange {
  bytes: Buffer;
  chunks: number[];
  halfClose: boolean;
}

/** One client exchange: the request line (built around the real token or not), maybe a body, split and sent. */
const exchange = (token: string) =>
  fc
    .record({
      // Biased towards requests that get past the token to the helper's own validation (where key material is).
      verb: fc.oneof({ arbitrary: fc.constantFrom('up', 'up', 'down', 'status'), weight: 6 }, { arbitrary: fc.string({ maxLength: 8 }), weight: 1 }),
      name: fc.option(fc.oneof(fc.constantFrom('farm', 'lo', 'eth0', 'interfaces', 'all', '../x', '-x', 'a'.repeat(16)), fc.stringMatching(/^[a-zA-Z0-9_=+.-]{1,15}$/)), { nil: undefined }),
      token: fc.oneof(
        { arbitrary: fc.constant<unknown>(token), weight: 6 },
        ...[fc.constant<unknown>(token.slice(1)), fc.constant<unknown>(undefined), fc.constant<unknown>([token]), fc.constant<unknown>({ value: token }), fc.stringMatching(/^[0-9a-f]{64}$/)].map((arbitrary) => ({ arbitrary, weight: 1 })),
      ),
      extra: fc.option(fc.dictionary(fc.constantFrom('file', 'cmd', 'exec', 'x'), fc.string({ maxLength: 10 }), { maxKeys: 2 }), { nil: undefined }),
      form: fc.constantFrom('json', 'json', 'json', 'json', 'json', 'json', 'no-newline', 'garbage', 'long'),
      garbage: fc.string({ unit: 'binary', maxLength: 80 }),
      priv: key,
      psk: key,
      chunkSeed: fc.array(fc.integer({ min: 1, max: 64 }), { maxLength: 6 }),
      halfClose: fc.oneof({ arbitrary: fc.constant(true), weight: 8 }, { arbitrary: fc.constant(false), weight: 1 }),
    })
    .chain((r) => profileBody(r.priv, r.psk).map((body) => ({ ...r, body })))
    .map((r): Exchange & { secrets: string[] } => {
      const req: Record<string, unknown> = { verb: r.verb, ...(r.name === undefined ? {} : { name: r.name }), ...(r.token === undefined ? {} : { token: r.token }), ...r.extra };
      const line = JSON.stringify(req);
      const head = r.form === 'json' ? line + '\n' : r.form === 'no-newline' ? line : r.form === 'long' ? line + ' '.repeat(600) + '\n' : r.garbage + '\n';
      const bytes = Buffer.from(head + (r.verb === 'up' ? r.body : ''), 'utf8');
      return { bytes, chunks: r.chunkSeed, halfClose: r.halfClose, secrets: [token, r.priv, r.psk] };
    });

/** Send `e` (chunk by chunk, one event-loop turn apart), then wait for the daemon to finish: its answer and timing. */
function send(sockPath: string, e: Exchange): Promise<{ answer: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const s = net.createConnection({ path: sockPath, allowHalfOpen: true });
    let out = '';
    let sentAt = Date.now();
    const guard = setTimeout(() => (s.destroy(), reject(new Error(`no answer within ${3 * BOUND_MS} ms`))), 3 * BOUND_MS);
    const finish = () => {
      clearTimeout(guard);
      s.destroy();
      resolve({ answer: out, ms: Date.now() - sentAt });
    };
    s.on('data', (d) => (out += d.toString('utf8')));
    s.on('end', finish);
    s.on('error', finish); // EPIPE/ECONNRESET once the daemon dropped the rest of an oversized body
    s.on('connect', async () => {
      let at = 0;
      for (const n of [...e.chunks, e.bytes.length]) {
        if (at >= e.bytes.length || s.destroyed) break;
        s.write(e.bytes.subarray(at, at + n));
        at += n;
        await new Promise((r) => setImmediate(r));
      }
      sentAt = Date.now();
      if (e.halfClose && !s.destroyed) s.end();
    });
  });
}

describe.skipIf(!isRoot)('helper service framing (fast-check): one JSON answer within 1 s, no secret in any output', () => {
  let dir: string;
  let daemon: Daemon;
  const logs: string[] = [];
  const sock = () => path.join(dir, 'helperd.sock');

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-helperd-fuzz-'));
    const sub = (n: string) => (fs.mkdirSync(path.join(dir, n), { mode: 0o700 }), path.join(dir, n));
    const config: HelperConfig = { profilesDir: sub('profiles'), runtimeDir: sub('run'), logDir: null, ownerUid: 0 };
    const handle: DaemonHandler = async (req, body, caller) => {
      if (req.verb !== 'up') return runHelper(req.name === null ? [req.verb] : [req.verb, req.name], {}, 0, { caller, config });
      // STAND-IN for `up` past validation (see the header).
      const got = await readBoundedStdin(body, { timeoutMs: 300 });
      if (got.kind === 'error') return { code: 1, doc: { error: { code: 'profile-invalid', message: got.message } } };
      if (got.kind === 'empty') return { code: 2, doc: { error: { code: 'profile-unavailable', message: 'nothing delivered' } } };
      try {
        validateDelivered(req.name, got.bytes);
      } catch (e) {
        if (e instanceof DeliveryRefused) return { code: 1, doc: { tunnels: [{ name: req.name, reason: e.reason, message: e.message }] } };
        throw e;
      }
      return { code: 0, doc: { tunnels: [] } };
    };
    daemon = await startDaemon({ endpoint: sock(), tokenFile: `${sock()}.token`, gid: process.getgid!(), platform: 'linux', logger: rawLogger(logs), handle, authDeadlineMs: 300, lingerMs: 300 });
  });
  afterAll(async () => {
    await daemon?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('every exchange: exactly one JSON line (schemaVersion 1, tunnels or error) within 1 s; no token or key in the answer or the log', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constant(null).chain(() => exchange(daemon.token)),
        async (e) => {
          const before = logs.length;
          const { answer, ms } = await send(sock(), e);
          expect(ms).toBeLessThanOrEqual(BOUND_MS);
          expect(answer.endsWith('\n') && answer.indexOf('\n') === answer.length - 1, JSON.stringify(answer.slice(0, 200))).toBe(true);
          const doc = JSON.parse(answer) as { schemaVersion?: number; tunnels?: unknown; error?: { code: string } };
          expect(doc.schemaVersion).toBe(1);
          expect(doc.tunnels !== undefined || doc.error !== undefined).toBe(true);
          const logged = logs.slice(before).join('\n');
          for (const secret of e.secrets) {
            expect(answer.includes(secret), 'answer carries a secret').toBe(false);
            expect(logged.includes(secret), 'log carries a secret').toBe(false);
          }
        },
      ),
      { numRuns: 150 },
    );
    // Still serving afterwards, and nothing left behind.
    expect(await callService({ path: sock(), tokenFile: `${sock()}.token` }, 'status', null, { platform: 'linux' })).toMatchObject({ ok: true });
    for (let i = 0; i < 100 && daemon.load().pending + daemon.load().active > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(daemon.load()).toEqual({ pending: 0, active: 0 });
  }, 120_000);
});
