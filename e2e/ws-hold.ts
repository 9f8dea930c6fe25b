/**
 * A test-side hold point for Home's transient states (connecting, verifying), which pass in a blink on a healthy
 * lab: the page's WebSocket to the harness host is routed through Playwright (`page.routeWebSocket`; the real host
 * stays the server and every message still comes from it), and server → page messages are queued while held, so the
 * renderer sits in the state it reached until the test has checked it (axe, screenshots) and releases the queue in
 * order. Page → server messages always pass. Nothing in the app is changed or stubbed. Environment: plain Node
 * (Playwright test runner).
 */
import type { Page, WebSocketRoute } from '@playwright/test';

export interface HarnessMessage {
  t?: string;
  name?: string;
  id?: number;
  payload?: unknown;
  result?: unknown;
}

export interface WsHold {
  /** Queue every server → page message from now on. */
  holdAll(): void;
  /** Pass messages until one matches, then (after passing that one) queue the rest; armed while held, it applies
   * from the next release on, to the queued messages first. */
  holdAfter(match: (m: HarnessMessage) => boolean): void;
  /** Deliver the queue in order (up to an armed holdAfter's match) and pass everything again. */
  release(): void;
  /** How many messages wait. */
  held(): number;
}

/** Route the harness socket (call before the page opens it: before `goto`/`reload`). `startHeld`: every new socket
 * starts held (the page's very first answers wait: Home's `starting` state); otherwise it starts passing. */
export async function holdableHarnessSocket(page: Page, opts: { startHeld?: boolean } = {}): Promise<WsHold> {
  let mode: 'pass' | 'all' | ((m: HarnessMessage) => boolean) = 'pass';
  const queue: (string | Buffer)[] = [];
  let client: WebSocketRoute | null = null;
  const parse = (m: string | Buffer): HarnessMessage => {
    try {
      return JSON.parse(String(m)) as HarnessMessage;
    } catch {
      return {};
    }
  };
  await page.routeWebSocket(/\/ws\?token=/, (ws) => {
    client = ws;
    queue.length = 0;
    mode = opts.startHeld ? 'all' : 'pass';
    const server = ws.connectToServer();
    server.onMessage((m) => {
      if (mode === 'all') {
        queue.push(m);
        return;
      }
      ws.send(m);
      if (typeof mode === 'function' && mode(parse(m))) mode = 'all';
    });
  });
  return {
    holdAll: () => {
      mode = 'all';
    },
    holdAfter: (match) => {
      mode = match;
    },
    release: () => {
      if (mode === 'all') mode = 'pass';
      // A holdAfter armed while held applies to the queue too: deliver up to its match, keep the rest waiting.
      while (queue.length > 0 && mode !== 'all') {
        const m = queue.shift()!;
        client?.send(m);
        if (typeof mode === 'function' && mode(parse(m))) mode = 'all';
      }
    },
    held: () => queue.length,
  };
}
