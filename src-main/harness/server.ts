/**
 * The browser harness: serves the production renderer build to a real browser and runs the REAL main handlers behind
 * the same contract over a loopback WebSocket (127.0.0.1, per-run token, origin-checked). Development and test tool,
 * never packaged. Environment: plain Node.
 *
 * Wire format (JSON text frames):
 *   renderer → host  {"t":"call","id":N,"name":"app.ping","payload":{…}}
 *   host → renderer  {"t":"result","id":N,"result":{"ok":true,"value":…}|{"ok":false,"error":…}}
 *   host → renderer  {"t":"event","name":"…","payload":…}
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventEmitterFn, MainHandlers } from '../contract';
import { checkEvent, dispatch } from '../contract/dispatch';
import type { Logger } from '../core/log/logger';
import { contentTypeOf, resolveAsset } from '../core/security/assets';
import { buildCsp } from '../core/security/csp';

export interface HarnessOptions {
  rendererRoot: string;
  port?: number;
  logger: Logger;
  /** Max inbound frame size (bytes); the contract bounds payloads further. */
  maxPayload?: number;
}

export interface Harness {
  url: string;
  origin: string;
  token: string;
  emit: EventEmitterFn;
  setHandlers(h: Partial<MainHandlers>): void;
  close(): Promise<void>;
}

export async function startHarness(opts: HarnessOptions): Promise<Harness> {
  const token = crypto.randomBytes(24).toString('base64url');
  let handlers: Partial<MainHandlers> = {};
  const sockets = new Set<WebSocket>();
  let origin = '';
  let csp = '';

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', origin || 'http://127.0.0.1');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    const file = resolveAsset(opts.rendererRoot, url.pathname);
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await fs.readFile(file);
      res.writeHead(200, {
        'content-type': contentTypeOf(file),
        'content-security-policy': csp,
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404).end();
    }
  });

  // The largest contract payload is a profile bundle (8 MiB of base64); nothing needs more.
  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxPayload ?? 12 * 1024 * 1024 });
  const expected = Buffer.from(token);
  const tokenMatches = (given: string) => {
    const b = Buffer.from(given);
    return b.length === expected.length && crypto.timingSafeEqual(b, expected); // byte lengths, not characters
  };
  server.on('upgrade', (req, socket, head) => {
    let allowed: boolean;
    let url: URL | null = null;
    try {
      url = new URL(req.url ?? '/', origin);
      // Origin first (another web page in the same browser), then the per-run token.
      allowed = req.headers.origin === origin && url.pathname === '/ws' && tokenMatches(url.searchParams.get('token') ?? '');
    } catch {
      allowed = false;
    }
    if (!allowed || !url) {
      opts.logger.warn('harness: refused websocket', { path: url?.pathname ?? null, origin: req.headers.origin ?? null });
      socket.write('HTTP/1.1 403 Forbidden\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', async (data, isBinary) => {
        if (isBinary) return;
        let msg: unknown;
        try {
          msg = JSON.parse(data.toString());
        } catch {
          return;
        }
        if (!msg || typeof msg !== 'object') return;
        const m = msg as { t?: unknown; id?: unknown; name?: unknown; payload?: unknown };
        if (m.t !== 'call' || typeof m.id !== 'number') return;
        const result = await dispatch(handlers, m.name, m.payload, { host: 'harness' }, opts.logger);
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ t: 'result', id: m.id, result }));
      });
    });
  });

  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  csp = buildCsp([`ws://127.0.0.1:${port}`]);

  const emit: EventEmitterFn = (name, payload) => {
    const checked = checkEvent(name, payload);
    if (!checked.ok) {
      opts.logger.error('harness: event outside its schema not sent', { name, why: checked.message });
      return;
    }
    const frame = JSON.stringify({ t: 'event', name, payload: checked.payload });
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(frame);
  };

  return {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    emit,
    setHandlers(h) {
      handlers = h;
    },
    async close() {
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
