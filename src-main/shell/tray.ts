/**
 * Tray entry point: shows the state and offers open/quit (connect/disconnect are added by the tunnel domain through
 * `setItems`). Environment: Electron main (shell).
 */
import { Menu, nativeImage, Tray, type MenuItemConstructorOptions } from 'electron';
import * as path from 'node:path';

export interface TrayController {
  setStatus(text: string): void;
  setItems(items: MenuItemConstructorOptions[]): void;
}

export function createTray(opts: { iconDir: string; onOpen: () => void; onQuit: () => void }): TrayController {
  const tray = new Tray(nativeImage.createFromPath(path.join(opts.iconDir, 'tray.png')));
  let status = 'Disconnected';
  let extra: MenuItemConstructorOptions[] = [];
  const render = () => {
    tray.setToolTip(`Longhaul — ${status}`);
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: `Longhaul: ${status}`, enabled: false },
        { type: 'separator' },
        ...extra,
        { label: 'Open Longhaul', click: opts.onOpen },
        { label: 'Quit', click: opts.onQuit },
      ]),
    );
  };
  tray.on('click', opts.onOpen);
  render();
  return {
    setStatus(text) {
      status = text;
      render();
    },
    setItems(items) {
      extra = items.length ? [...items, { type: 'separator' }] : [];
      render();
    },
  };
}
