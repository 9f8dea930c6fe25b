/**
 * How the renderer reaches main: the Electron preload bridge (`window.longhaul`) or the browser harness's loopback
 * WebSocket. Both carry the same contract; nothing else in the renderer knows which one is in use.
 */
export interface Transport {
  kind: 'electron' | 'harness';
  invoke(name: string, payload: unknown): Promise<unknown>;
  subscribe(listener: (name: string, payload: unknown) => void): () => void;
}

interface PreloadBridge {
  invoke(name: string, payload: unknown): Promise<unknown>;
  subscribe(listener: (name: string, payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    longhaul?: PreloadBridge;
  }
}

export function electronTransport(bridge: PreloadBridge): Transport {
  return { kind: 'electron', invoke: (n, p) => bridge.invoke(n, p), subscribe: (l) => bridge.subscribe(l) };
}

/** The harness transport: `ws://<same host>/ws?token=…`, token from the page URL's fragment (never sent over HTTP). */
export function harnessTransport(location: Location): Transport {
  // Read once at start-up (routing rewrites the fragment later); kept for reloads of this tab only.
  const token = tokenFromHash(location.hash) ?? sessionStorage.getItem('longhaul.harnessToken');
  if (token) sessionStorage.setItem('longhaul.harnessToken', token);
  const url = `ws://${location.host}/ws?token=${encodeURIComponent(token ?? '')}`;
  const listeners = new Set<(name: string, payload: unknown) => void>();
  const pending = new Map<number, (v: unknown) => void>();
  let nextId = 1;
  let socket: WebSocket | null = null;
  let ready: Promise<WebSocket> | null = null;

  const connect = (): Promise<WebSocket> => {
    if (ready) return ready;
    ready = new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.onopen = () => {
        socket = ws;
        resolve(ws);
      };
      ws.onerror = () => reject(new Error('cannot reach the Longhaul harness host'));
      ws.onclose = () => {
        socket = null;
        ready = null;
        for (const [, done] of pending) done({ ok: false, error: { code: 'unavailable', message: 'connection to the Longhaul host closed' } });
        pending.clear();
      };
      ws.onmessage = (ev) => {
        let msg: { t?: string; id?: number; result?: unknown; name?: string; payload?: unknown };
        try {
          msg = JSON.parse(String(ev.data));
        } catch {
          return;
        }
        if (msg.t === 'result' && typeof msg.id === 'number') {
          pending.get(msg.id)?.(msg.result);
          pending.delete(msg.id);
        } else if (msg.t === 'event' && typeof msg.name === 'string') {
          for (const l of listeners) l(msg.name, msg.payload);
        }
      };
    });
    return ready;
  };

  return {
    kind: 'harness',
    async invoke(name, payload) {
      let ws: WebSocket;
      try {
        ws = socket ?? (await connect());
      } catch (err) {
        return { ok: false, error: { code: 'unavailable', message: (err as Error).message } };
      }
      const id = nextId++;
      return await new Promise((resolve) => {
        pending.set(id, resolve);
        ws.send(JSON.stringify({ t: 'call', id, name, payload }));
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      void connect().catch(() => {});
      return () => listeners.delete(listener);
    },
  };
}

function tokenFromHash(hash: string): string | null {
  const m = /token=([A-Za-z0-9_-]+)/.exec(hash);
  return m ? m[1]! : null;
}

export function detectTransport(win: Window): Transport {
  return win.longhaul ? electronTransport(win.longhaul) : harnessTransport(win.location);
}
