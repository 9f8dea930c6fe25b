/**
 * `longhaul-helperd` — the privileged helper as a long-running service (macOS: launchd daemon on a Unix socket;
 * Windows: the service on the named pipe), speaking the SAME language as `pkexec longhaul-helper` through the same
 * `runHelper` (src-main/helper/main.ts): validation, hook refusal, delivery, lock and backends are shared.
 *
 * Framing, one request per connection: the client sends one JSON line `{"verb","name","token"}` (≤ MAX_REQUEST_LINE
 * bytes); for `up` only, the canonical profile bytes follow until the client half-closes (bounded like the argv
 * helper's stdin: 64 KiB, STDIN_TIMEOUT_MS). The daemon answers exactly one JSON line (the document the argv helper
 * prints: `{schemaVersion: 1, tunnels|provisioned|error…}`) and closes. Malformed, oversized, slow or unauthorised
 * requests get a JSON `{error}` line; a client that goes away mid-request is logged and forgotten (a started
 * `up`/`down` still completes under the helper lock).
 *
 * Limits (nobody without the token can hold what a token holder needs; see docs/tunnel.md "Connection limits"):
 * - AUTH_DEADLINE_MS from accept to a complete request line carrying the right token — an absolute deadline, not
 *   reset by bytes, so idle and trickling sockets are answered and closed when it passes;
 * - at most MAX_PENDING connections without a valid token at once (waiting for their line, or refused and
 *   lingering): a new one evicts the OLDEST, so a flood only ever displaces itself, while a real client (which sends
 *   its line at connect) authenticates within milliseconds; refused sockets count here until they are closed;
 * - at most MAX_ACTIVE authenticated requests served at once (`busy` beyond); unauthenticated sockets never count;
 * - after its answer a socket lingers at most LINGER_MS for a client that neither reads nor closes;
 * - refusals of unauthenticated connections are logged at most LOG_BURST per LOG_WINDOW_MS (then one summary), so a
 *   flood cannot rotate the useful records out of helperd.log.
 * Per-peer limits are not possible: Node exposes no peer credentials on a Unix socket (no SO_PEERCRED /
 * getpeereid / LOCAL_PEERCRED) nor the client PID of a named pipe (GetNamedPipeClientProcessId), and all clients
 * share one token, so every limit is per class of connection (unauthenticated / authenticated), not per user.
 *
 * Access: the socket is root:<group> 0660 (Unix) and every request must carry the token the daemon wrote at start
 * (`daemon-token.ts`; 0640 root:<group>); on Windows the pipe is open to Everyone and the token (in a directory whose
 * ACL the installer sets) is what restricts it to interactive users.
 *
 * Caller rule: a socket gives Node no peer credentials (no SO_PEERCRED / getpeereid), so every service client is one
 * pseudo-user, SERVICE_CLIENT_UID (0xffffffff: (uid_t)-1, which no real account can have). Service clients share the
 * tunnels they bring up with each other (anyone allowed on the socket may take them down), and can never take down or
 * replace a tunnel a pkexec user brought up (owner = that uid) — nor can a pkexec user take down a service tunnel.
 * Requests are logged (verb, name, outcome; never the token nor profile bytes). Environment: plain Node, root.
 */
import * as net from 'node:net';
import { PassThrough, type Readable } from 'node:stream';
import type { Logger } from '../core/log/logger';
import { MAX_REQUEST_LINE } from '../core/tunnel/service-client';
import { parsePipeRequest, type HelperRequest } from './args';
import { listenOn, type DaemonEndpointConfig } from './daemon-endpoint';
import { newToken, tokenMatches, writeTokenFile } from './daemon-token';
import { internalError, runHelper, type HelperOutput } from './main';
import { removeFileDurable } from '../core/platform/atomic';

export const SERVICE_CLIENT_UID = 0xffffffff;
/** From accept to a complete, authenticated request line (the client writes it at connect; a local socket needs ms). */
export const AUTH_DEADLINE_MS = 2_000;
/** Connections without a valid token at once; the oldest is dropped for a new one. */
export const MAX_PENDING = 32;
/** Authenticated requests served at once. */
export const MAX_ACTIVE = 8;
/** How long an answered socket stays open for a client that neither reads nor closes. */
export const LINGER_MS = 2_000;
export const LOG_BURST = 20;
export const LOG_WINDOW_MS = 60_000;

/** Runs one validated request; `body` is the profile stream for `up` (null otherwise). */
export type DaemonHandler = (req: HelperRequest, body: Readable | null, caller: number) => Promise<HelperOutput>;

export interface DaemonOptions extends DaemonEndpointConfig {
  platform: NodeJS.Platform;
  logger: Logger;
  handle?: DaemonHandler;
  env?: Record<string, string | undefined>;
  /** Owner required for the socket's directory and given to the socket/token (root; tests: their own uid). */
  owner?: number;
  authDeadlineMs?: number;
  bodyTimeoutMs?: number;
  maxPending?: number;
  maxActive?: number;
  lingerMs?: number;
}

export interface Daemon {
  token: string;
  /** Stop listening, drop every connection without a valid token, let authenticated requests finish. */
  close(): Promise<void>;
  /** Connections without a valid token, and authenticated requests being served (tests, diagnostics). */
  load(): { pending: number; active: number };
}

/** The default handler: the argv helper's `runHelper`, with the service caller identity and the socket as stdin. */
export function helperHandler(env: Record<string, string | undefined>, bodyTimeoutMs?: number): DaemonHandler {
  return (req, body, caller) => runHelper(req.name === null ? [req.verb] : [req.verb, req.name], env, 0, { stdin: body, caller, stdinTimeoutMs: bodyTimeoutMs });
}

const errorDoc = (code: string, message: string) => ({ schemaVersion: 1, error: { code, message } });

/** At most `burst` records per window for one noisy kind of event, then one summary of how many were left out. */
function burstLogger(logger: Logger, burst: number, windowMs: number): (msg: string, fields: Record<string, unknown>) => void {
  let windowStart = 0;
  let count = 0;
  return (msg, fields) => {
    const now = Date.now();
    if (now - windowStart >= windowMs) {
      if (count > burst) logger.warn('service: unauthenticated refusals not logged', { count: count - burst, windowMs });
      windowStart = now;
      count = 0;
    }
    if (++count <= burst) logger.warn(msg, fields);
  };
}

export async function startDaemon(o: DaemonOptions): Promise<Daemon> {
  const token = newToken();
  const handle = o.handle ?? helperHandler(o.env ?? process.env, o.bodyTimeoutMs);
  const maxPending = o.maxPending ?? MAX_PENDING;
  const maxActive = o.maxActive ?? MAX_ACTIVE;
  const noisy = burstLogger(o.logger, LOG_BURST, LOG_WINDOW_MS);
  /** Sockets that have not presented the token (yet, or were refused and linger), oldest first (insertion order). */
  const pending = new Map<net.Socket, number>();
  let active = 0;
  let seq = 0;
  const ctx: ConnContext = {
    token,
    handle,
    logger: o.logger,
    noisy,
    authDeadlineMs: o.authDeadlineMs ?? AUTH_DEADLINE_MS,
    lingerMs: o.lingerMs ?? LINGER_MS,
    admit: (sock) => {
      pending.delete(sock);
      if (active >= maxActive) return false;
      active++;
      return true;
    },
    finished: () => void active--,
  };
  const server = net.createServer({ allowHalfOpen: true }, (sock) => {
    const id = ++seq;
    if (pending.size >= maxPending) {
      const [oldest, oldestId] = pending.entries().next().value!;
      pending.delete(oldest);
      noisy('service connection dropped', { id: oldestId, reason: `more than ${maxPending} connections without a valid token; the oldest is dropped` });
      oldest.destroy();
    }
    pending.set(sock, id);
    sock.once('close', () => pending.delete(sock));
    serveConnection(sock, id, ctx);
  });
  server.on('error', (e) => o.logger.error('service socket error', { message: e.message }));
  await listenOn(server, o, { platform: o.platform, owner: o.owner });
  writeTokenFile(o.tokenFile, token, { platform: o.platform, owner: o.owner ?? 0, gid: o.gid ?? 0 });
  o.logger.info('service listening', { endpoint: o.endpoint, tokenFile: o.tokenFile, gid: o.gid, authDeadlineMs: ctx.authDeadlineMs, maxPending, maxActive });
  return {
    token,
    load: () => ({ pending: pending.size, active }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of [...pending.keys()]) s.destroy();
        try {
          removeFileDurable(o.tokenFile);
        } catch {}
      }),
  };
}

interface ConnContext {
  token: string;
  handle: DaemonHandler;
  logger: Logger;
  /** Rate-limited warnings for unauthenticated refusals. */
  noisy: (msg: string, fields: Record<string, unknown>) => void;
  authDeadlineMs: number;
  lingerMs: number;
  /** The token matched: leave the unauthenticated budget; false when MAX_ACTIVE requests are already served. */
  admit: (sock: net.Socket) => boolean;
  finished: () => void;
}

function serveConnection(sock: net.Socket, id: number, c: ConnContext): void {
  let buf = Buffer.alloc(0);
  let answered = false;
  let gone = false;
  const answer = (doc: Record<string, unknown>) => {
    if (answered) return;
    answered = true;
    clearTimeout(deadline);
    if (gone || sock.destroyed) return;
    sock.unpipe();
    sock.resume(); // discard whatever the client still sends (e.g. the rest of an oversized profile)
    sock.end(JSON.stringify(doc) + '\n');
    // Never wait for a client that does not read or close: drop it after the linger time at the latest.
    setTimeout(() => sock.destroy(), c.lingerMs).unref();
  };
  /** Refused before the token was accepted: rate-limited log, the socket stays in the unauthenticated budget. */
  const refuseEarly = (code: string, message: string) => {
    c.noisy('service request refused', { id, code, message });
    answer(errorDoc(code, message));
  };
  sock.on('error', (e: NodeJS.ErrnoException) => {
    gone = true;
    if (!answered) c.logger.info('service client went away', { id, code: e.code ?? e.message });
  });
  sock.on('close', () => (gone = true));
  const deadline = setTimeout(() => {
    sock.off('data', onData);
    sock.off('end', onEnd);
    refuseEarly('invalid-request', `no complete request line with the access token within ${c.authDeadlineMs / 1000} s of connecting`);
  }, c.authDeadlineMs);
  const onEnd = () => {
    if (!answered && buf.indexOf(0x0a) < 0) refuseEarly('invalid-request', 'the connection ended before a complete request line');
  };
  const onData = (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk]);
    const nl = buf.indexOf(0x0a);
    if (nl < 0) {
      if (buf.length > MAX_REQUEST_LINE) {
        sock.off('data', onData);
        sock.off('end', onEnd);
        refuseEarly('invalid-request', `the request line is longer than ${MAX_REQUEST_LINE} bytes`);
      }
      return;
    }
    sock.off('data', onData);
    sock.off('end', onEnd);
    sock.pause();
    clearTimeout(deadline);
    const line = buf.subarray(0, nl);
    const rest = buf.subarray(nl + 1);
    buf = Buffer.alloc(0);
    if (line.length > MAX_REQUEST_LINE) return refuseEarly('invalid-request', `the request line is longer than ${MAX_REQUEST_LINE} bytes`);
    const parsed = parsePipeRequest(line.toString('utf8'));
    if (!parsed.ok) return refuseEarly('invalid-arguments', parsed.error);
    if (!tokenMatches(c.token, parsed.token)) {
      return refuseEarly('not-authorized', "The request to Longhaul's helper service did not carry its current access token; restart Longhaul (the service was restarted), or ask IT.");
    }
    if (!c.admit(sock)) {
      c.logger.warn('service request refused', { id, code: 'busy', verb: parsed.request.verb });
      return answer(errorDoc('busy', "Longhaul's helper service is busy with other requests; try again in a moment."));
    }
    let body: PassThrough | null = null;
    if (parsed.request.verb === 'up') {
      body = new PassThrough();
      if (rest.length > 0) body.write(rest);
      sock.pipe(body);
    } else {
      sock.resume(); // nothing more is read: discard
    }
    c.logger.info('service request', { id, verb: parsed.request.verb, name: parsed.request.name });
    c.handle(parsed.request, body, SERVICE_CLIENT_UID)
      .then(
        (out) => {
          const first = Array.isArray(out.doc.tunnels) ? (out.doc.tunnels[0] as { state?: string; reason?: string | null } | undefined) : undefined;
          c.logger.info('service answer', { id, code: out.code, state: first?.state ?? null, reason: first?.reason ?? null, error: (out.doc.error as { code?: string } | undefined)?.code ?? null, clientGone: gone });
          answer({ schemaVersion: 1, ...out.doc });
        },
        (e: unknown) => {
          c.logger.error('service request failed', { id, message: internalError(e).error.message });
          answer({ schemaVersion: 1, ...internalError(e) });
        },
      )
      .finally(c.finished);
  };
  sock.on('data', onData);
  sock.on('end', onEnd);
}
