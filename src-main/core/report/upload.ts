/**
 * Upload a bundle to support: `PUT <url>/<supportId>.zip`, `Content-Type: application/zip`, HTTPS only, 50 MiB cap,
 * success on 2xx (redirects are not followed: a 3xx is a failure). Environment: plain Node.
 *
 * Extra trust anchors (a private support server's CA, and the tests' CA): `extraCaPem` option, or the environment
 * variable `LONGHAUL_EXTRA_CA_CERTS` naming a PEM file. They are added to Node's bundled roots, never replacing them.
 * (Node's own NODE_EXTRA_CA_CERTS works too, but only when set before the process starts.)
 *
 * Deadlines (the shared net client): connect and answer `timeoutMs` each (default 30 s / 60 s: the server may take a
 * while to store 50 MiB before it answers), the whole upload `overallTimeoutMs` (default 15 min: 50 MiB at 1 Mbit/s is
 * about 7 min); the server's answer body is read up to 64 KiB and dropped.
 */
import * as fs from 'node:fs';
import * as tls from 'node:tls';
import { httpRequest, NetError, type NetErrorCode } from '../platform/net-client';

export const UPLOAD_MAX_BYTES = 50 * 1024 * 1024;
export const EXTRA_CA_ENV = 'LONGHAUL_EXTRA_CA_CERTS';

export class UploadError extends Error {
  constructor(
    readonly kind: 'not-https' | 'too-large' | 'http-status' | 'network' | 'timeout' | 'cancelled' | 'bad-url' | 'ca',
    message: string,
    readonly status?: number,
    /** The net client's code behind a network, timeout or cancelled failure. */
    readonly netCode?: NetErrorCode,
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
  /** Connect deadline and answer deadline (each); defaults 30 s and 60 s. */
  timeoutMs?: number;
  /** The whole upload, connect to answer (default 15 min). */
  overallTimeoutMs?: number;
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
  const limits = {
    connectTimeoutMs: opts.timeoutMs ?? 30_000,
    answerTimeoutMs: opts.timeoutMs ?? 60_000,
    overallTimeoutMs: opts.overallTimeoutMs ?? 15 * 60_000,
    maxBytes: 64 * 1024,
    signal: opts.signal,
  };
  let status: number;
  try {
    const res = await httpRequest(
      { url, method: 'PUT', headers: { 'Content-Type': 'application/zip', 'Content-Length': String(opts.body.byteLength) }, body: opts.body, ca },
      limits,
    );
    status = res.status;
  } catch (err) {
    if (!(err instanceof NetError)) throw err;
    const kind = err.code === 'cancelled' ? 'cancelled' : err.code === 'connect-timeout' || err.code === 'answer-timeout' || err.code === 'deadline' ? 'timeout' : 'network';
    const what = kind === 'timeout' ? 'timed out' : kind === 'cancelled' ? 'was cancelled' : 'failed';
    throw new UploadError(kind, `upload ${what}: ${err.message}`, undefined, err.code);
  }
  if (status >= 200 && status < 300) return { url: url.toString(), status };
  throw new UploadError('http-status', `upload to ${url.origin} failed: HTTP ${status}`, status);
}
