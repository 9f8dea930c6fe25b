import { describe, expect, it } from 'vitest';
import { buildCsp, CSP } from './csp';
import {
  decideWindowOpen,
  isAppUrl,
  isNavigationAllowed,
  isPermissionAllowed,
  isRendererRequestAllowed,
  isTrustedSender,
} from './policies';
import { mainWindowOptions } from './window-options';

describe('shell security policies', () => {
  it('recognises only the app origin as the app', () => {
    expect(isAppUrl('app://longhaul/index.html')).toBe(true);
    expect(isAppUrl('app://evil/index.html')).toBe(false);
    expect(isAppUrl('app://user:pw@longhaul/index.html')).toBe(false);
    expect(isAppUrl('file:///etc/passwd')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });

  it('navigation: allows reloading the app, denies everything else', () => {
    expect(isNavigationAllowed('app://longhaul/index.html#/checks')).toBe(true);
    expect(isNavigationAllowed('https://example.com/')).toBe(false);
    expect(isNavigationAllowed('file:///home/artist/profile.conf')).toBe(false);
    expect(isNavigationAllowed('javascript:alert(1)')).toBe(false);
  });

  it('window.open: never a window; allowlisted https goes to the OS browser, the rest is dropped', () => {
    const allow = ['https://support.farm.example/help', 'https://moonlight-stream.org/'];
    expect(decideWindowOpen('https://support.farm.example/help/vpn', allow)).toEqual({ action: 'deny', openExternal: 'https://support.farm.example/help/vpn' });
    expect(decideWindowOpen('https://support.farm.example/other', allow)).toEqual({ action: 'deny', openExternal: null });
    expect(decideWindowOpen('https://support.farm.example/helpdesk-evil', allow)).toEqual({ action: 'deny', openExternal: null });
    expect(decideWindowOpen('https://support.farm.example/help', allow)).toEqual({ action: 'deny', openExternal: 'https://support.farm.example/help' });
    expect(decideWindowOpen('http://support.farm.example/help', allow)).toEqual({ action: 'deny', openExternal: null });
    expect(decideWindowOpen('https://evil.example/help', allow)).toEqual({ action: 'deny', openExternal: null });
    expect(decideWindowOpen('file:///etc/passwd', allow)).toEqual({ action: 'deny', openExternal: null });
  });

  it('permissions: only clipboard write, only for the app', () => {
    expect(isPermissionAllowed('clipboard-sanitized-write', 'app://longhaul/index.html')).toBe(true);
    expect(isPermissionAllowed('clipboard-sanitized-write', 'https://example.com/')).toBe(false);
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'hid', 'serial']) {
      expect(isPermissionAllowed(p, 'app://longhaul/index.html'), p).toBe(false);
    }
  });

  it('network: the renderer may load only its own files', () => {
    expect(isRendererRequestAllowed('app://longhaul/assets/index.js')).toBe(true);
    expect(isRendererRequestAllowed('https://fonts.example.com/x.woff2')).toBe(false);
    expect(isRendererRequestAllowed('http://10.0.0.1:47989/serverinfo')).toBe(false);
    expect(isRendererRequestAllowed('ws://127.0.0.1:9999/')).toBe(false);
    expect(isRendererRequestAllowed('file:///etc/passwd')).toBe(false);
    expect(isRendererRequestAllowed('devtools://devtools/bundled/x.js')).toBe(false);
    expect(isRendererRequestAllowed('devtools://devtools/bundled/x.js', { development: true })).toBe(true);
  });

  it('IPC sender: our main frame on our origin only', () => {
    const trusted = new Set([1]);
    expect(isTrustedSender({ url: 'app://longhaul/index.html', isMainFrame: true, webContentsId: 1 }, trusted)).toBe(true);
    expect(isTrustedSender({ url: 'app://longhaul/index.html', isMainFrame: false, webContentsId: 1 }, trusted)).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.example/', isMainFrame: true, webContentsId: 1 }, trusted)).toBe(false);
    expect(isTrustedSender({ url: 'app://longhaul/index.html', isMainFrame: true, webContentsId: 2 }, trusted)).toBe(false);
  });

  it('window options are hardened', () => {
    const o = mainWindowOptions({ preloadPath: '/app/preload.cjs', development: false, dark: false });
    expect(o.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      devTools: false,
    });
    expect(o.show).toBe(false);
    expect(mainWindowOptions({ preloadPath: 'p', development: true, dark: true }).webPreferences.devTools).toBe(true);
  });

  it('CSP: no inline script, no remote origins; the harness may add only its own socket', () => {
    expect(CSP).toContain("script-src 'self'");
    expect(CSP).not.toContain('unsafe-inline');
    expect(CSP).not.toContain('unsafe-eval');
    expect(CSP).toContain("default-src 'none'");
    expect(buildCsp(['ws://127.0.0.1:4000'])).toContain("connect-src 'self' ws://127.0.0.1:4000");
  });
});

import { resolveAsset } from './assets';
describe('asset resolution', () => {
  it('serves files under the root and refuses traversal', () => {
    expect(resolveAsset('/app/renderer', '/')).toBe('/app/renderer/index.html');
    expect(resolveAsset('/app/renderer', '/assets/a.js')).toBe('/app/renderer/assets/a.js');
    expect(resolveAsset('/app/renderer', '/../../etc/passwd')).toBeNull();
    expect(resolveAsset('/app/renderer', '/%2e%2e/%2e%2e/etc/passwd')).toBeNull();
    expect(resolveAsset('/app/renderer', '/a%00.js')).toBeNull();
    expect(resolveAsset('/app/renderer', '/%E0%A4%A')).toBeNull();
  });
});
