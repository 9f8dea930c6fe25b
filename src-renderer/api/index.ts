/** The one API instance of this window. Components import `api` from here (or use store actions). */
import { createApi } from './client';
import { detectTransport } from './transport';

export const api = createApi(detectTransport(window));

/** Forward renderer logs and uncaught errors to the main log (redacted there). */
export function log(level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>): void {
  void api.call('log.write', { level, msg: msg.slice(0, 4000), fields });
}

window.addEventListener('error', (e) => log('error', `uncaught: ${e.message}`, { source: e.filename, line: e.lineno }));
window.addEventListener('unhandledrejection', (e) => log('error', `unhandled rejection: ${String(e.reason)}`));
