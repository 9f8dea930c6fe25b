/**
 * Binds the contract to Electron IPC. Environment: Electron main (shell).
 * One invoke channel for calls and one send channel for events; the sender is checked before anything is parsed,
 * and `dispatch` validates every payload.
 */
import { ipcMain, type WebContents } from 'electron';
import type { CallContext, EventEmitterFn, MainHandlers } from '../contract';
import { checkEvent, dispatch } from '../contract/dispatch';
import type { Logger } from '../core/log/logger';
import { isTrustedSender } from '../core/security/policies';

export const CALL_CHANNEL = 'longhaul:call';
export const EVENT_CHANNEL = 'longhaul:event';

export function bindContract(handlers: Partial<MainHandlers>, trusted: Set<number>, logger: Logger): void {
  const ctx: CallContext = { host: 'electron' };
  ipcMain.handle(CALL_CHANNEL, async (event, name: unknown, payload: unknown) => {
    const frame = event.senderFrame;
    const sender = { url: frame?.url ?? '', isMainFrame: !!frame && frame === event.sender.mainFrame, webContentsId: event.sender.id };
    if (!isTrustedSender(sender, trusted)) {
      logger.warn('ipc: refused call from untrusted sender', { url: sender.url.slice(0, 200) });
      return { ok: false, error: { code: 'forbidden', message: 'caller is not the Longhaul window' } };
    }
    return dispatch(handlers, name, payload, ctx, logger);
  });
}

export function createEmitter(targets: () => WebContents[], logger: Logger): EventEmitterFn {
  return (name, payload) => {
    const checked = checkEvent(name, payload);
    if (!checked.ok) {
      logger.error('ipc: event outside its schema not sent', { name, why: checked.message });
      return;
    }
    for (const wc of targets()) if (!wc.isDestroyed()) wc.send(EVENT_CHANNEL, name, checked.payload);
  };
}
