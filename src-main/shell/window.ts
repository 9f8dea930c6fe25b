/**
 * The main window and its guards. Environment: Electron main (shell). Decisions come from core/security (tested).
 */
import { BrowserWindow, nativeTheme, shell } from 'electron';
import type { Logger } from '../core/log/logger';
import { APP_ORIGIN } from '../core/security/csp';
import { decideWindowOpen, isNavigationAllowed } from '../core/security/policies';
import { mainWindowOptions } from '../core/security/window-options';

export function createMainWindow(opts: {
  preloadPath: string;
  development: boolean;
  externalAllowlist: () => readonly string[];
  logger: Logger;
}): BrowserWindow {
  const win = new BrowserWindow(
    mainWindowOptions({ preloadPath: opts.preloadPath, development: opts.development, dark: nativeTheme.shouldUseDarkColors }),
  );
  const wc = win.webContents;
  const guardNavigation = (event: { preventDefault(): void }, url: string) => {
    if (!isNavigationAllowed(url)) {
      event.preventDefault();
      opts.logger.warn('window: navigation denied', { url: url.slice(0, 200) });
    }
  };
  wc.on('will-navigate', guardNavigation);
  wc.on('will-redirect', guardNavigation);
  wc.on('will-attach-webview', (event) => event.preventDefault());
  wc.setWindowOpenHandler(({ url }) => {
    const decision = decideWindowOpen(url, opts.externalAllowlist());
    if (decision.openExternal) void shell.openExternal(decision.openExternal);
    else opts.logger.warn('window: window.open denied', { url: url.slice(0, 200) });
    return { action: decision.action };
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}
