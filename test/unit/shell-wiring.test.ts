/**
 * The Electron shell's wiring, without the Electron binary: the real `src-main/shell/main.ts`, bundled as for release,
 * runs against `test/fixtures/electron-standin` (a recording stand-in for the `electron` module that enforces its
 * ordering rules). Asserts that the hardening is actually applied by the shell, not just defined as policies.
 */
import { build } from 'esbuild';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CSP } from '../../src-main/core/security/csp';
import { mainWindowOptions } from '../../src-main/core/security/window-options';

interface Standin {
  calls: { name: string; args: unknown[] }[];
  windows: { options: unknown; webContents: FakeWebContents & { emit(ev: string, ...a: unknown[]): boolean } }[];
  session: {
    permissionRequest: ((wc: { getURL(): string }, p: string, cb: (ok: boolean) => void) => void) | null;
    permissionCheck: ((wc: { getURL(): string } | null, p: string) => boolean) | null;
    beforeRequest: ((d: { url: string }, cb: (r: { cancel: boolean }) => void) => void) | null;
  };
  ipcHandlers: Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>;
  protocolHandlers: Map<string, (req: { url: string }) => Promise<Response>>;
  tray: { tooltip: string; menu: { template: { label?: string }[] } | null } | null;
  dialog: { nextOpen: { canceled: boolean; filePaths: string[] } };
  partitions: Map<string, { state: Standin['session'] }>;
  createWebContents(o?: { url?: string; partition?: string }): FakeWebContents & { emit(ev: string, ...a: unknown[]): boolean };
  ready(): Promise<void>;
}
interface FakeWebContents {
  id: number;
  url: string;
  mainFrame: { url: string };
  windowOpenHandler: ((d: { url: string }) => { action: string }) | null;
}

const root = path.resolve(__dirname, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-shell-'));
let s: Standin;

beforeAll(async () => {
  // Layout of the packaged app: <dir>/main/main.cjs beside <dir>/renderer/, electron resolvable from <dir>.
  await build({
    entryPoints: [path.join(root, 'src-main/shell/main.ts')],
    outfile: path.join(tmp, 'main', 'main.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    external: ['electron'],
    define: { 'process.env.LONGHAUL_TEST_BUILD': '"0"' },
    logLevel: 'error',
  });
  fs.mkdirSync(path.join(tmp, 'renderer'));
  fs.writeFileSync(path.join(tmp, 'renderer', 'index.html'), '<!doctype html><title>Longhaul</title>');
  fs.cpSync(path.join(root, 'test/fixtures/electron-standin'), path.join(tmp, 'node_modules', 'electron'), { recursive: true });
  process.env.LONGHAUL_DATA_DIR = path.join(tmp, 'data');
  createRequire(path.join(tmp, 'main', 'main.cjs'))(path.join(tmp, 'main', 'main.cjs'));
  s = (globalThis as unknown as { __electronStandin: Standin }).__electronStandin;
  await s.ready();
}, 60_000);

describe('Electron shell wiring (against electron-standin)', () => {
  it('takes the single-instance lock, enables the sandbox and registers app:// before ready', () => {
    const names = s.calls.map((c) => c.name);
    expect(names.indexOf('app.requestSingleInstanceLock')).toBe(0);
    expect(names).toContain('app.enableSandbox');
    const reg = s.calls.find((c) => c.name === 'protocol.registerSchemesAsPrivileged')!;
    expect(reg.args[0]).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: false } }]);
  });

  it('creates the window with exactly the hardened options and loads the app origin', () => {
    const w = s.windows[0]!;
    const expected = mainWindowOptions({ preloadPath: path.join(tmp, 'main', 'preload.cjs'), development: false, dark: false });
    expect(w.options).toEqual(expected);
    expect(s.calls.find((c) => c.name === 'BrowserWindow.loadURL')!.args[0]).toBe('app://longhaul/index.html');
  });

  it('serves the renderer over app:// with the CSP header, and nothing outside it', async () => {
    const handler = s.protocolHandlers.get('app')!;
    const ok = await handler({ url: 'app://longhaul/index.html' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toBe(CSP);
    expect((await handler({ url: 'app://longhaul/../../etc/passwd' })).status).toBe(404);
    expect((await handler({ url: 'app://other/index.html' })).status).toBe(404);
  });

  it('denies navigation away, window.open and webviews', () => {
    const wc = s.windows[0]!.webContents;
    let prevented = 0;
    const ev = { preventDefault: () => prevented++ };
    wc.emit('will-navigate', ev, 'https://evil.example/');
    wc.emit('will-redirect', ev, 'file:///etc/passwd');
    wc.emit('will-attach-webview', ev);
    expect(prevented).toBe(3);
    wc.emit('will-navigate', ev, 'app://longhaul/index.html');
    expect(prevented).toBe(3);
    expect(wc.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(s.calls.filter((c) => c.name === 'shell.openExternal')).toEqual([]);
  });

  it('registers a web-contents-created guard before the app is ready (before any WebContents can exist)', () => {
    const reg = s.calls.filter((c) => c.name === 'app.on' && c.args[0] === 'web-contents-created');
    expect(reg).toEqual([{ name: 'app.on', args: ['web-contents-created', { beforeReady: true }] }]);
  });

  it('guards every WebContents created later (another window, devtools, a partitioned session) exactly like the main one', () => {
    for (const wc of [s.createWebContents({ url: 'app://longhaul/index.html' }), s.createWebContents({ partition: 'persist:later' })]) {
      let prevented = 0;
      const ev = { preventDefault: () => prevented++ };
      wc.emit('will-navigate', ev, 'https://evil.example/');
      wc.emit('will-redirect', ev, 'file:///etc/passwd');
      wc.emit('will-attach-webview', ev, { nodeIntegration: true }, { src: 'https://evil.example/' });
      wc.emit('will-frame-navigate', { url: 'https://evil.example/frame', isMainFrame: false, isSameDocument: false, frame: null, preventDefault: () => prevented++ });
      expect(prevented).toBe(4);
      wc.emit('will-navigate', ev, 'app://longhaul/index.html');
      wc.emit('will-frame-navigate', { url: 'app://longhaul/index.html', isMainFrame: true, isSameDocument: false, frame: null, preventDefault: () => prevented++ });
      expect(prevented).toBe(4);
      expect(wc.windowOpenHandler).not.toBeNull();
      expect(wc.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
      expect(wc.windowOpenHandler!({ url: 'app://longhaul/index.html' })).toEqual({ action: 'deny' });
    }
    // A WebContents in another session: that session denies permissions and outside requests too.
    const other = s.partitions.get('persist:later')!.state;
    const app = { getURL: () => 'app://longhaul/index.html' };
    const answers: boolean[] = [];
    other.permissionRequest!(app, 'media', (ok) => answers.push(ok));
    other.permissionRequest!({ getURL: () => 'https://evil.example/' }, 'clipboard-sanitized-write', (ok) => answers.push(ok));
    expect(answers).toEqual([false, false]);
    expect(other.permissionCheck!(app, 'geolocation')).toBe(false);
    const cancel: boolean[] = [];
    other.beforeRequest!({ url: 'https://evil.example/x.js' }, (r) => cancel.push(r.cancel));
    expect(cancel).toEqual([true]);
    expect(s.calls.filter((c) => c.name === 'shell.openExternal')).toEqual([]);
  });

  it('denies permissions except clipboard write, and every renderer request that is not the app', () => {
    const app = { getURL: () => 'app://longhaul/index.html' };
    const answers: boolean[] = [];
    s.session.permissionRequest!(app, 'media', (ok) => answers.push(ok));
    s.session.permissionRequest!(app, 'clipboard-sanitized-write', (ok) => answers.push(ok));
    expect(answers).toEqual([false, true]);
    expect(s.session.permissionCheck!(app, 'geolocation')).toBe(false);
    const cancel: boolean[] = [];
    s.session.beforeRequest!({ url: 'https://fonts.example/x.woff2' }, (r) => cancel.push(r.cancel));
    s.session.beforeRequest!({ url: 'app://longhaul/assets/index.js' }, (r) => cancel.push(r.cancel));
    expect(cancel).toEqual([true, false]);
  });

  it('binds the contract to one IPC channel and checks the sender before anything else', async () => {
    const handle = s.ipcHandlers.get('longhaul:call')!;
    const wc = s.windows[0]!.webContents;
    const fromApp = { sender: wc, senderFrame: wc.mainFrame };
    expect(await handle(fromApp, 'app.ping', { nonce: 'n1' })).toMatchObject({ ok: true, value: { nonce: 'n1', host: 'electron' } });
    expect(await handle(fromApp, 'app.ping', { nonce: 7 })).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    const subFrame = { sender: wc, senderFrame: { url: 'app://longhaul/index.html' } };
    expect(await handle(subFrame, 'app.ping', { nonce: 'n2' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const foreign = { sender: { ...wc, id: 999, mainFrame: { url: 'https://evil.example/' } }, senderFrame: { url: 'https://evil.example/' } };
    foreign.sender.mainFrame = foreign.senderFrame;
    expect(await handle(foreign, 'app.ping', { nonce: 'n3' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('lets the artist pick Moonlight in the OS dialog main opens; the page only asks, and a wrong pick is refused', async () => {
    const handle = s.ipcHandlers.get('longhaul:call')!;
    const wc = s.windows[0]!.webContents;
    const fromApp = { sender: wc, senderFrame: wc.mainFrame };
    expect(await handle(fromApp, 'stream.chooseMoonlight', { path: '/bin/sh' })).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    s.dialog.nextOpen = { canceled: true, filePaths: [] };
    expect(await handle(fromApp, 'stream.chooseMoonlight', {})).toMatchObject({ ok: true, value: { chosen: false } });
    const opened = s.calls.filter((c) => c.name === 'dialog.showOpenDialog');
    expect(opened).toHaveLength(1);
    expect(opened[0]!.args).toEqual(['window', { title: 'Choose the Moonlight program', properties: ['openFile'] }]);
    s.dialog.nextOpen = { canceled: false, filePaths: ['/bin/sh'] };
    expect(await handle(fromApp, 'stream.chooseMoonlight', {})).toMatchObject({ ok: false, error: { code: 'invalid-input', message: expect.stringMatching(/not Moonlight/) } });
    const standin = path.join(root, 'scripts/standins/moonlight-standin');
    s.dialog.nextOpen = { canceled: false, filePaths: [standin] };
    expect(await handle(fromApp, 'stream.chooseMoonlight', {})).toMatchObject({ ok: true, value: { chosen: true, found: true, executable: standin } });
  });

  it('puts Longhaul in the tray with its state and the way back to the window', async () => {
    for (let i = 0; i < 50 && !s.tray?.menu; i++) await new Promise((r) => setTimeout(r, 20));
    expect(s.tray!.tooltip).toMatch(/^Longhaul — Not connected/);
    const labels = s.tray!.menu!.template.map((i) => i.label).filter(Boolean);
    expect(labels).toEqual(expect.arrayContaining(['Open Longhaul', 'Quit']));
  });
});
