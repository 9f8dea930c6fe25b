/**
 * `longhaul-helperd` — the privileged helper as a long-running service (macOS: launchd daemon on a Unix socket;
 * Windows: the service on the named pipe), speaking the SAME language as `pkexec longhaul-helper` through the same
 * `runHelper` (src-main/helper/main.ts): validation, hook refusal, delivery, lock and backends are shared.
 *
 * Framing, one request per connection: the client sends one JSON line `{"verb","name","token"}` (≤ MAX_REQUEST_LINE
 * bytes, within LINE_TIMEOUT_MS); for `up` only, the canonical profile bytes follow until the client half-closes
 * (bounded like the argv helper's stdin: 64 KiB, STDIN_TIMEOUT_MS). The daemon answers exactly one JSON line (the
 * document the argv helper prints: `{schemaVersion: 1, tunnels|provisioned|error…}`) and closes. Malformed,
 * oversized, slow or unauthorised requests get a JSON `{error}` line; a client that goes away mid-request is logged
 * and forgotten (a started `up`/`down` still completes under the helper lock). At most MAX_CONNECTIONS at once.
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
export const LINE_TIMEOUT_MS = 5_000;
export const MAX_CONNECTIONS = 16;

/** Runs one validated request; `body` is the profile stream for `up` (null otherwise). */
export type DaemonHandler = (req: HelperRequest, body: Readable | null, caller: number) => Promise<HelperOutput>;

export interface DaemonOptions extends DaemonEndpointConfig {
  platform: NodeJS.Platform;
  logger: Logger;
  handle?: DaemonHandler;
  env?: Record<string, string | undefined>;
  /** Owner required for the socket's directory and given to the socket/token (root; tests: their own uid). */
  owner?: number;
  lineTimeoutMs?: number;
  bodyTimeoutMs?: number;
  maxConnections?: number;
}

export interface Daemon {
  token: string;
  close(): Promise<void>;
}

/** The default handler: the argv helper's `runHelper`, with the service caller identity and the socket as stdin. */
export function helperHandler(env: Record<string, string | undefined>, bodyTimeoutMs?: number): DaemonHandler {
  return (req, body, caller) => runHelper(req.name === null ? [req.verb] : [req.verb, req.name], env, 0, { stdin: body, caller, stdinTimeoutMs: bodyTimeoutMs });
}

const errorDoc = (code: string, message: string) => ({ schemaVersion: 1, error: { code, message } });

export async function startDaemon(o: DaemonOptions): Promise<Daemon> {
  const token = newToken();
  const handle = o.handle ?? helperHandler(o.env ?? process.env, o.bodyTimeoutMs);
  const lineTimeoutMs = o.lineTimeoutMs ?? LINE_TIMEOUT_MS;
  const maxConnections = o.maxConnections ?? MAX_CONNECTIONS;
  let active = 0;
  let seq = 0;
  const server = net.createServer({ allowHalfOpen: true }, (sock) => {
    const id = ++seq;
    active++;
    sock.once('close', () => active--);
    if (active > maxConnections) {
      o.logger.warn('service request refused', { id, reason: 'busy', active });
      sock.on('error', () => {});
      sock.end(JSON.stringify(errorDoc('busy', `Longhaul's helper service is busy (${maxConnections} requests at once); try again.`)) + '\n');
      return;
    }
    serveConnection(sock, id, { token, handle, logger: o.logger, lineTimeoutMs });
  });
  server.on('error', (e) => o.logger.error('service socket error', { message: e.message }));
  await listenOn(server, o, { platform: o.platform, owner: o.owner });
  writeTokenFile(o.tokenFile, token, { platform: o.platform, owner: o.owner ?? 0, gid: o.gid ?? 0 });
  o.logger.info('service listening', { endpoint: o.endpoint, tokenFile: o.tokenFile, gid: o.gid });
  return {
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
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
  lineTimeoutMs: number;
}

function serveConnection(sock: net.Socket, id: number, c: ConnContext): void {
  let buf = Buffer.alloc(0);
  let answered = false;
  let gone = false;
  const answer = (doc: Record<string, unknown>) => {
    if (answered) return;
    answered = true;
    clearTimeout(timer);
    if (gone || sock.destroyed) return;
    sock.unpipe();
    sock.resume(); // discard whatever the client still sends (e.g. the rest of an oversized profile)
    sock.end(JSON.stringify(doc) + '\n');
    // Never wait for a client that does not read or close: drop it once the answer is flushed or after the limit.
    setTimeout(() => sock.destroy(), c.lineTimeoutMs).unref();
  };
  const refuse = (code: string, message: string) => {
    c.logger.warn('service request refused', { id, code, message });
    answer(errorDoc(code, message));
  };
  sock.on('error', (e: NodeJS.ErrnoException) => {
    gone = true;
    c.logger.info('service client went away', { id, code: e.code ?? e.message });
  });
  sock.on('close', () => (gone = true));
  const timer = setTimeout(() => {
    sock.off('data', onData);
    refuse('invalid-request', `no complete request line within ${c.lineTimeoutMs / 1000} s`);
  }, c.lineTimeoutMs);
  const onEnd = () => {
    if (!answered && buf.indexOf(0x0a) < 0) refuse('invalid-request', 'the connection ended before a complete request line');
  };
  const onData = (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk]);
    const nl = buf.indexOf(0x0a);
    if (nl < 0) {
      if (buf.length > MAX_REQUEST_LINE) {
        sock.off('data', onData);
        sock.off('end', onEnd);
        refuse('invalid-request', `the request line is longer than ${MAX_REQUEST_LINE} bytes`);
      }
      return;
    }
    sock.off('data', onData);
    sock.off('end', onEnd);
    sock.pause();
    clearTimeout(timer);
    const line = buf.subarray(0, nl);
    const rest = buf.subarray(nl + 1);
    buf = Buffer.alloc(0);
    if (line.length > MAX_REQUEST_LINE) return refuse('invalid-request', `the request line is longer than ${MAX_REQUEST_LINE} bytes`);
    const parsed = parsePipeRequest(line.toString('utf8'));
    if (!parsed.ok) return refuse('invalid-arguments', parsed.error);
    if (!tokenMatches(c.token, parsed.token)) {
      return refuse('not-authorized', "The request to Longhaul's helper service did not carry its current access token; restart Longhaul (the service was restarted), or ask IT.");
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
    c.handle(parsed.request, body, SERVICE_CLIENT_UID).then(
      (out) => {
        const first = Array.isArray(out.doc.tunnels) ? (out.doc.tunnels[0] as { state?: string; reason?: string | null } | undefined) : undefined;
        c.logger.info('service answer', { id, code: out.code, state: first?.state ?? null, reason: first?.reason ?? null, error: (out.doc.error as { code?: string } | undefined)?.code ?? null, clientGone: gone });
        answer({ schemaVersion: 1, ...out.doc });
      },
      (e: unknown) => {
        c.logger.error('service request failed', { id, message: internalError(e).error.message });
        answer({ schemaVersion: 1, ...internalError(e) });
      },
    );
  };
  sock.on('data', onData);
  sock.on('end', onEnd);
}
