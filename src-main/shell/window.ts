/**
 * The main window. Environment: Electron main (shell). Its WebContents is guarded like every other one (guard.ts:
 * `web-contents-created`); guarding it here too is a no-op then, and keeps the window safe on its own.
 */
import { BrowserWindow, nativeTheme } from 'electron';
import { APP_ORIGIN } from '../core/security/csp';
import { mainWindowOptions } from '../core/security/window-options';
import { guardWebContents, type GuardOptions } from './guard';

export function createMainWindow(opts: GuardOptions & { preloadPath: string }): BrowserWindow {
  const win = new BrowserWindow(
    mainWindowOptions({ preloadPath: opts.preloadPath, development: opts.development, dark: nativeTheme.shouldUseDarkColors }),
  );
  guardWebContents(win.webContents, opts);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}
