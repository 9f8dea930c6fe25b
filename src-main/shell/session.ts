/**
 * Session hardening: the app:// protocol (our files, with the CSP header), permission handlers and the renderer
 * network filter. Environment: Electron main (shell).
 */
import { protocol, session, type Session } from 'electron';
import * as fs from 'node:fs/promises';
import type { Logger } from '../core/log/logger';
import { contentTypeOf, resolveAsset } from '../core/security/assets';
import { CSP } from '../core/security/csp';
import { isPermissionAllowed, isRendererRequestAllowed } from '../core/security/policies';

/** Must run before `app.ready`. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: false } }]);
}

export function hardenSession(rendererRoot: string, development: boolean, logger: Logger): void {
  const ses = session.defaultSession;
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    const file = url.host === 'longhaul' ? resolveAsset(rendererRoot, url.pathname) : null;
    if (!file) return new Response('not found', { status: 404 });
    try {
      const body = await fs.readFile(file);
      return new Response(body, {
        headers: { 'content-type': contentTypeOf(file), 'content-security-policy': CSP, 'x-content-type-options': 'nosniff' },
      });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
  guardSessionRequests(ses, development, logger);
}

/** Permissions denied except clipboard write by the app itself; every renderer request that is not the app cancelled. */
export function guardSessionRequests(ses: Session, development: boolean, logger: Logger): void {
  ses.setPermissionRequestHandler((wc, permission, callback) => {
    const ok = isPermissionAllowed(permission, wc.getURL());
    if (!ok) logger.warn('session: permission denied', { permission });
    callback(ok);
  });
  ses.setPermissionCheckHandler((wc, permission) => isPermissionAllowed(permission, wc?.getURL() ?? ''));
  ses.webRequest.onBeforeRequest((details, callback) => {
    const ok = isRendererRequestAllowed(details.url, { development });
    if (!ok) logger.warn('session: renderer request blocked', { url: details.url.slice(0, 200) });
    callback({ cancel: !ok });
  });
}
