/**
 * The one Content-Security-Policy of the renderer. Environment: any.
 * Applied through response headers: by the shell's `app://` protocol handler and by the browser harness (which adds
 * only its own WebSocket origin to `connect-src`).
 */
export const APP_ORIGIN = 'app://longhaul';

export const CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
  'object-src': ["'none'"],
};

/** Build the header value; `extraConnect` is for the harness's own `ws://127.0.0.1:PORT` only. */
export function buildCsp(extraConnect: readonly string[] = []): string {
  return Object.entries(CSP_DIRECTIVES)
    .map(([k, v]) => `${k} ${[...v, ...(k === 'connect-src' ? extraConnect : [])].join(' ')}`)
    .join('; ');
}

export const CSP = buildCsp();
