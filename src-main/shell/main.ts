/**
 * Electron main entry: the thin shell. Builds the shared core services, hardens the session, binds the contract and
 * owns windows, tray and notifications. Everything else lives in the core (plain Node). Environment: Electron main.
 */
import { app, BrowserWindow, dialog, powerMonitor, shell } from 'electron';
import * as path from 'node:path';
import type { EventEmitterFn } from '../contract';
import { createTrayFeed, type TrayFeed } from '../core/app/tray-feed';
import { createAppServices, createMainHandlers } from '../core/app/handlers';
import type { HostDelegate } from '../core/app/host';
import { startTunnelServices } from '../core/app/lifecycle';
import { startPolicyWatch } from '../core/app/policy-watch';
import { createCoreServices } from '../core/app/services';
import { bindContract, createEmitter } from './ipc';
import { guardAllWebContents } from './guard';
import { hardenSession, registerAppScheme } from './session';
import { createTray } from './tray';
import { createMainWindow } from './window';

const development = !app.isPackaged && process.env.LONGHAUL_DEV === '1';

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.enableSandbox();
  registerAppScheme();
  let win: BrowserWindow | null = null;
  const trusted = new Set<number>();
  const core = createCoreServices({ face: 'main' });
  const log = core.logger;
  const sendEvent: EventEmitterFn = createEmitter(() => BrowserWindow.getAllWindows().map((w) => w.webContents), log);
  let trayFeed: TrayFeed | null = null;
  const emit: EventEmitterFn = (name, payload) => {
    sendEvent(name, payload);
    // The tray follows what main emits (tunnel status, checks, profiles): core/app/tray-feed.ts.
    trayFeed?.onEvent(name, payload);
  };
  let supportUrl: string | null = null;
  const externalAllowlist = () => ['https://moonlight-stream.org/', ...(supportUrl ? [supportUrl] : [])];
  // Before ready, so every WebContents ever created (this window's, devtools', any later one) is guarded.
  guardAllWebContents({ externalAllowlist, development, logger: log });

  const showWindow = () => {
    if (!win || win.isDestroyed()) {
      win = createMainWindow({
        preloadPath: path.join(__dirname, 'preload.cjs'),
        development,
        externalAllowlist,
        logger: log,
      });
      const id = win.webContents.id;
      trusted.add(id);
      win.on('closed', () => trusted.delete(id));
    } else {
      if (win.isMinimized()) win.restore();
      win.show();
      win.focus();
    }
  };

  app.on('second-instance', showWindow);
  app.on('window-all-closed', () => {
    // Stay in the tray: a connected tunnel outlives the window.
  });

  void app.whenReady().then(async () => {
    hardenSession(path.join(__dirname, '..', 'renderer'), development, log);
    const host: HostDelegate = {
      emit,
      // In the window; the desktop notifications (stale handshake, tunnel dropped, fix available) come from the tray model.
      notify: (level, text) => emit('app.notice', { level, text }),
      openPath: async (file) => {
        const err = await shell.openPath(file);
        if (err) throw new Error(err);
      },
      showItemInFolder: (file) => shell.showItemInFolder(file),
      // The OS open dialog, owned by main: the artist picks the file, the renderer never names it.
      chooseFile: async ({ title }) => {
        const options = { title, properties: ['openFile' as const] };
        const r = win && !win.isDestroyed() ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
        return r.canceled ? null : (r.filePaths[0] ?? null);
      },
    };
    const services = createAppServices(core, host);
    const handlers = createMainHandlers(core, host, services);
    bindContract(handlers, trusted, log);
    // The window first: policy, tray and tunnel status (which may go through the helper) arrive as events after it.
    showWindow();
    const policyWatch = await startPolicyWatch(core, host, { onChange: (eff) => (supportUrl = eff.policy.supportUrl) });
    supportUrl = policyWatch.current()?.policy.supportUrl ?? null;
    app.on('will-quit', () => policyWatch.close());
    const tray = createTray({ iconDir: path.join(process.resourcesPath ?? __dirname, 'icons'), onClick: showWindow, onItem: (item) => void feed.act(item) });
    const feed = createTrayFeed({
      actions: services.tray,
      logger: log,
      render: (m) => tray.render(m),
      notify: (n) => tray.notify(n),
      open: showWindow,
      quit: () => app.quit(),
      reportWritten: (r) => shell.showItemInFolder(r.path),
    });
    trayFeed = feed;
    await feed.refresh();
    const tunnels = await startTunnelServices(core, host, services, () => policyWatch.current());
    powerMonitor.on('resume', () => tunnels.resume());
    app.on('will-quit', () => tunnels.stop());
    log.info('app started', { version: app.getVersion() });
  });
}
