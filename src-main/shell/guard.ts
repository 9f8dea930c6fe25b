/**
 * The one guard for every WebContents this process ever creates — the main window's, devtools', any future window's
 * or `partition:` session's: `app.on('web-contents-created')`, registered before the app is ready, so nothing can
 * exist unguarded. Each gets: navigation and redirects only within app://longhaul (also for subframes), no
 * `<webview>`, `window.open` never a new window (allowlisted https links go to the OS browser), and its session's
 * permission and request denial. Decisions come from core/security/policies.ts (tested without Electron).
 * Environment: Electron main (shell).
 */
import { app, session, shell, type Session, type WebContents } from 'electron';
import type { Logger } from '../core/log/logger';
import { decideWindowOpen, isNavigationAllowed } from '../core/security/policies';
import { guardSessionRequests } from './session';

export interface GuardOptions {
  externalAllowlist: () => readonly string[];
  development: boolean;
  logger: Logger;
}

const guarded = new WeakSet<WebContents>();
const guardedSessions = new WeakSet<Session>();

/** Call once, before `app.whenReady()`. */
export function guardAllWebContents(opts: GuardOptions): void {
  app.on('web-contents-created', (_event, wc) => guardWebContents(wc, opts));
}

/** Idempotent: a WebContents is guarded once, whichever path reaches it first. */
export function guardWebContents(wc: WebContents, opts: GuardOptions): void {
  if (guarded.has(wc)) return;
  guarded.add(wc);
  const deny = (what: string, url: string) => opts.logger.warn(`window: ${what} denied`, { url: url.slice(0, 200) });
  const guardNavigation = (event: { preventDefault(): void }, url: string) => {
    if (!isNavigationAllowed(url)) {
      event.preventDefault();
      deny('navigation', url);
    }
  };
  wc.on('will-navigate', guardNavigation);
  wc.on('will-redirect', guardNavigation);
  wc.on('will-frame-navigate', (details) => {
    if (!isNavigationAllowed(details.url)) {
      details.preventDefault();
      deny('frame navigation', details.url);
    }
  });
  wc.on('will-attach-webview', (event) => {
    event.preventDefault();
    opts.logger.warn('window: webview denied');
  });
  wc.setWindowOpenHandler(({ url }) => {
    const decision = decideWindowOpen(url, opts.externalAllowlist());
    if (decision.openExternal) void shell.openExternal(decision.openExternal);
    else deny('window.open', url);
    return { action: decision.action };
  });
  // The default session is hardened at ready (session.ts); any other session a WebContents brings gets the same.
  const ses = wc.session;
  if (ses && ses !== session.defaultSession && !guardedSessions.has(ses)) {
    guardedSessions.add(ses);
    guardSessionRequests(ses, opts.development, opts.logger);
  }
}
