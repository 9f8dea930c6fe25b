/**
 * The tray / menu bar: renders the pure tray model (core/app/tray-model.ts — state icon, tooltip, menu with enabled
 * flags) and raises its notifications. No decisions here. Environment: Electron main (shell).
 */
import { Menu, nativeImage, Notification, Tray, type MenuItemConstructorOptions } from 'electron';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TrayMenuItem, TrayModel, TrayNotification } from '../core/app/tray-model';

export interface TrayController {
  render(model: TrayModel): void;
  notify(n: TrayNotification): void;
}

export function createTray(opts: { iconDir: string; onClick: () => void; onItem: (item: TrayMenuItem) => void }): TrayController {
  const icon = (id: string) => {
    const file = path.join(opts.iconDir, `${id}.png`);
    return nativeImage.createFromPath(fs.existsSync(file) ? file : path.join(opts.iconDir, 'tray.png'));
  };
  const tray = new Tray(icon('tray-disconnected'));
  let shownIcon = 'tray-disconnected';
  tray.on('click', opts.onClick);
  return {
    render(model) {
      if (model.icon !== shownIcon) {
        tray.setImage(icon(model.icon));
        shownIcon = model.icon;
      }
      tray.setToolTip(model.tooltip);
      const items: MenuItemConstructorOptions[] = [{ label: model.status, enabled: false }, { type: 'separator' }];
      for (const item of model.menu) {
        if (item.id === 'open') items.push({ type: 'separator' });
        items.push({ label: item.label, enabled: item.enabled, click: () => opts.onItem(item) });
      }
      tray.setContextMenu(Menu.buildFromTemplate(items));
    },
    notify(n) {
      if (!Notification.isSupported()) return;
      const note = new Notification({ title: n.title, body: n.body, silent: false });
      note.on('click', opts.onClick);
      note.show();
    },
  };
}
