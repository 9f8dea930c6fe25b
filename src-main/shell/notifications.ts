/** Desktop notifications for `app.notice` events (stale tunnel, fix applied…). Environment: Electron main (shell). */
import { Notification } from 'electron';

export function notify(title: string, body: string): void {
  if (Notification.isSupported()) new Notification({ title, body, silent: false }).show();
}
