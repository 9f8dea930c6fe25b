/**
 * Upload a bundle to support: `PUT <url>/<supportId>.zip`, `Content-Type: application/zip`, HTTPS only, 50 MiB cap,
 * success on 2xx (redirects are not followed: a 3xx is a failure). Environment: plain Node.
 *
 * Extra trust anchors (a private support server's CA, and the tests' CA): `extraCaPem` option, or the environment
 * variable `LONGHAUL_EXTRA_CA_CERTS` naming a PEM file. They are added to Node's bundled roots, never replacing them.
 * (Node's own NODE_EXTRA_CA_CERTS works too, but only when set before the process starts.)
 */
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as tls from 'node:tls';

export const UPLOAD_MAX_BYTES = 50 * 1024 * 1024;
export const EXTRA_CA_ENV = 'LONGHAUL_EXTRA_CA_CERTS';

export class UploadError extends Error {
  constructor(
    readonly kind: 'not-https' | 'too-large' | 'http-status' | 'network' | 'timeout' | 'bad-url' | 'ca',
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

export interface UploadOptions {
  /** Base URL from policy `supportUploadUrl`. */
  baseUrl: string;
  supportId: string;
  body: Uint8Array;
  extraCaPem?: string;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  maxBytes?: number;
  signal?: AbortSignal;
}

export interface UploadResult {
  url: string;
  status: number;
}

export function uploadUrl(baseUrl: string, supportId: string): URL {
  let u: URL;
  try {
    u = new URL(baseUrl);
  } catch {
    throw new UploadError('bad-url', `supportUploadUrl "${baseUrl}" is not a URL`);
  }
  if (u.protocol !== 'https:') throw new UploadError('not-https', `refusing to upload over ${u.protocol.replace(':', '')}: supportUploadUrl must be an https:// URL`);
  if (u.username || u.password) throw new UploadError('bad-url', 'supportUploadUrl must not carry credentials');
  u.pathname = `${u.pathname.replace(/\/+$/, '')}/${encodeURIComponent(supportId)}.zip`;
  return u;
}

function trustAnchors(opts: UploadOptions): string[] | undefined {
  const extra: string[] = [];
  if (opts.extraCaPem) extra.push(opts.extraCaPem);
  const file = (opts.env ?? process.env)[EXTRA_CA_ENV];
  if (file) {
    try {
      extra.push(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      throw new UploadError('ca', `${EXTRA_CA_ENV}=${file}: ${(err as Error).message}`);
    }
  }
  return extra.length ? [...tls.rootCertificates, ...extra] : undefined;
}

export async function uploadBundle(opts: UploadOptions): Promise<UploadResult> {
  const url = uploadUrl(opts.baseUrl, opts.supportId);
  const max = opts.maxBytes ?? UPLOAD_MAX_BYTES;
  if (opts.body.byteLength > max) {
    throw new UploadError('too-large', `the report is ${opts.body.byteLength} bytes, over the ${max}-byte upload limit; send the file another way`);
  }
  const ca = trustAnchors(opts);
  const timeoutMs = opts.timeoutMs ?? 60_000;
  return await new Promise<UploadResult>((resolve, reject) => {
    const req = https.request(
      url,
      {
        method: 'PUT',
        headers: { 'Content-Type': 'application/zip', 'Content-Length': String(opts.body.byteLength) },
        ca,
        timeout: timeoutMs,
        signal: opts.signal,
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve({ url: url.toString(), status });
          else reject(new UploadError('http-status', `upload to ${url.origin} failed: HTTP ${status}`, status));
        });
      },
    );
    req.on('timeout', () => req.destroy(new UploadError('timeout', `upload to ${url.origin} timed out after ${timeoutMs} ms`)));
    req.on('error', (err) => reject(err instanceof UploadError ? err : new UploadError('network', `upload to ${url.origin} failed: ${err.message}`)));
    req.end(Buffer.from(opts.body.buffer, opts.body.byteOffset, opts.body.byteLength));
  });
}
