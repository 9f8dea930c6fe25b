/**
 * The Electron shell's security decisions as plain functions (the shell only wires them to Electron events), so each
 * is unit-tested for an allowed and a denied case without Electron. Environment: any.
 */

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** True for the app's own files: `app://longhaul/<path>` without credentials, and nothing else. */
export function isAppUrl(url: string): boolean {
  const u = parse(url);
  return !!u && u.protocol === 'app:' && u.host === 'longhaul' && u.username === '' && u.password === '';
}

/** `will-navigate` / `will-redirect`: only a reload of the app itself; every other navigation is denied. */
export function isNavigationAllowed(url: string): boolean {
  return isAppUrl(url);
}

export type WindowOpenDecision = { action: 'deny'; openExternal: string | null };

/**
 * `setWindowOpenHandler`: never a new Electron window. An https link on the allowlist (the support URL from policy,
 * the Moonlight download page) is handed to the OS browser; everything else is dropped.
 */
export function decideWindowOpen(url: string, externalAllowlist: readonly string[]): WindowOpenDecision {
  const u = parse(url);
  if (!u || u.protocol !== 'https:' || u.username || u.password) return { action: 'deny', openExternal: null };
  const allowed = externalAllowlist.some((a) => {
    const p = parse(a);
    if (!p || p.protocol !== 'https:' || p.origin !== u.origin) return false;
    // Path prefix on a segment boundary: `/help` allows `/help` and `/help/…`, never `/helpdesk-evil`.
    const base = p.pathname.endsWith('/') ? p.pathname : `${p.pathname}/`;
    return u.pathname === p.pathname || u.pathname.startsWith(base);
  });
  return { action: 'deny', openExternal: allowed ? u.toString() : null };
}

/** Permissions the renderer may use: writing the "copy summary" text to the clipboard. Nothing else. */
export const PERMISSION_ALLOWLIST: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

export function isPermissionAllowed(permission: string, requestingUrl: string): boolean {
  return PERMISSION_ALLOWLIST.has(permission) && isAppUrl(requestingUrl);
}

/**
 * `session.webRequest.onBeforeRequest`: the renderer may load only the app's own files (and devtools in development).
 * All network traffic is the core's, in main, never the renderer's.
 */
export function isRendererRequestAllowed(url: string, opts: { development?: boolean } = {}): boolean {
  if (isAppUrl(url)) return true;
  const u = parse(url);
  if (opts.development && u && u.protocol === 'devtools:') return true;
  return false;
}

/** IPC sender check: only the main frame of our own window, showing our own files, may call main. */
export function isTrustedSender(sender: { url: string; isMainFrame: boolean; webContentsId: number }, trustedWebContentsIds: ReadonlySet<number>): boolean {
  return sender.isMainFrame && trustedWebContentsIds.has(sender.webContentsId) && isAppUrl(sender.url);
}
