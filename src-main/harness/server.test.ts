import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createMemoryLogger } from '../core/log/logger';
import { startHarness, type Harness } from './server';

let harness: Harness;
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-harness-'));
fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>t</title>');
fs.writeFileSync(path.join(os.tmpdir(), 'lh-harness-secret.txt'), 'outside');

beforeAll(async () => {
  harness = await startHarness({ rendererRoot: root, logger: createMemoryLogger() });
  harness.setHandlers({ 'app.ping': (req) => ({ nonce: req.nonce, host: 'harness', receivedAt: new Date().toISOString() }) });
});
afterAll(async () => harness.close());

function open(url: string, origin: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { origin });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

function call(ws: WebSocket, id: number, name: string, payload: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    ws.on('message', (d) => {
      const m = JSON.parse(d.toString()) as { t: string; id: number; result: unknown };
      if (m.t === 'result' && m.id === id) resolve(m.result);
    });
    ws.send(JSON.stringify({ t: 'call', id, name, payload }));
  });
}

describe('browser harness host', () => {
  it('listens on loopback only and serves the renderer with the CSP plus only its own socket', async () => {
    expect(harness.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${harness.origin}/`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${new URL(harness.origin).port}`);
    expect((await fetch(`${harness.origin}/../lh-harness-secret.txt`)).status).toBe(404);
    expect((await fetch(`${harness.origin}/%2e%2e/lh-harness-secret.txt`)).status).toBe(404);
  });

  it('refuses a WebSocket without the token, with a wrong token, or from another origin', async () => {
    const ws = `ws://127.0.0.1:${new URL(harness.origin).port}/ws`;
    await expect(open(ws, harness.origin)).rejects.toThrow(/403/);
    await expect(open(`${ws}?token=${'x'.repeat(harness.token.length)}`, harness.origin)).rejects.toThrow(/403/);
    await expect(open(`${ws}?token=${harness.token}`, 'http://evil.example')).rejects.toThrow(/403/);
    // A token of the right character count but another byte count must be refused, not crash the host.
    await expect(open(`${ws}?token=${encodeURIComponent('é'.repeat(harness.token.length))}`, harness.origin)).rejects.toThrow(/403/);
    expect((await fetch(`${harness.origin}/`)).status).toBe(200);
  });

  it('runs calls through the contract: valid, malformed and unknown', async () => {
    const ws = await open(`ws://127.0.0.1:${new URL(harness.origin).port}/ws?token=${harness.token}`, harness.origin);
    expect(await call(ws, 1, 'app.ping', { nonce: 'abc' })).toMatchObject({ ok: true, value: { nonce: 'abc', host: 'harness' } });
    expect(await call(ws, 2, 'app.ping', { nonce: 7 })).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    expect(await call(ws, 3, 'shell.exec', { cmd: 'id' })).toMatchObject({ ok: false, error: { code: 'unknown-call' } });
    const events: unknown[] = [];
    ws.on('message', (d) => {
      const m = JSON.parse(d.toString()) as { t: string };
      if (m.t === 'event') events.push(m);
    });
    harness.emit('app.notice', { level: 'info', text: 'hello' });
    harness.emit('app.notice', { level: 'nope' as 'info', text: 'schema drift is not sent' });
    await new Promise((r) => setTimeout(r, 100));
    expect(events).toEqual([{ t: 'event', name: 'app.notice', payload: { level: 'info', text: 'hello' } }]);
    ws.close();
  });
});
