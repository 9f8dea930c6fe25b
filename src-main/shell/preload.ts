/**
 * Preload (sandboxed, CommonJS bundle). Exposes exactly one object, `window.longhaul`, with two functions; the typed
 * API is derived on the renderer side from the contract. Environment: Electron preload.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

const CALL_CHANNEL = 'longhaul:call';
const EVENT_CHANNEL = 'longhaul:event';

contextBridge.exposeInMainWorld('longhaul', {
  invoke: (name: string, payload: unknown): Promise<unknown> => ipcRenderer.invoke(CALL_CHANNEL, name, payload),
  subscribe: (listener: (name: string, payload: unknown) => void): (() => void) => {
    const wrapped = (_e: IpcRendererEvent, name: string, payload: unknown) => listener(name, payload);
    ipcRenderer.on(EVENT_CHANNEL, wrapped);
    return () => ipcRenderer.removeListener(EVENT_CHANNEL, wrapped);
  },
});
