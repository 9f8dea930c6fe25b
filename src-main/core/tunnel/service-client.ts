/**
 * The unprivileged side of Longhaul's helper SERVICE (macOS: a launchd daemon on a Unix socket; Windows: a service on
 * a named pipe), the transport `callHelperDoc` uses on darwin/win32 instead of pkexec. Same language and the same one
 * JSON document back as `pkexec longhaul-helper …` (src-main/helper/daemon.ts is the other end):
 *   client → `{"verb":"up","name":"farm","token":"<hex>"}\n` then, `up` only, the canonical profile bytes, then it
 *   half-closes; daemon → one JSON line `{schemaVersion:1, tunnels|provisioned|error…}`, then it closes.
 * The token is read from a file only the allowed group (Unix: 0640 root:<group>; Windows: the ACL the installer sets
 * on %ProgramData%\Longhaul\access) can read; the key travels only inside the socket, never argv nor a file.
 * On Unix the socket must be a socket owned by root, so nothing else can pose as the service and receive a key.
 * Windows named pipes give no such check from Node (pipe squatting: UNVERIFIED, docs/tunnel.md).
 *
 * Test-only override (like LONGHAUL_TEST_POLICY_PATH): in test/harness builds only (`process.env.LONGHAUL_TEST_BUILD`
 * is the literal "1", defined at bundle time), LONGHAUL_TEST_HELPER_SOCKET (+ LONGHAUL_TEST_HELPER_TOKEN, the token
 * file) selects this transport on any OS. Release bundles compile the comparison to false. Environment: plain Node.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import type { TunnelReason } from '../../contract/tunnel';
import { isTestBuild } from '../policy/sources';

export const MAC_SOCKET_PATH = '/var/run/studio.longhaul.client.helper.sock';
export const MAC_TOKEN_PATH = '/var/run/studio.longhaul.client.helper.token';
/** Windows: the Longhaul service's named pipe (Node grants Everyone; the token is what restricts it). */
export const SERVICE_PIPE_NAME = '\\\\.\\pipe\\longhaul-tunnel';
/** A request line: `{"verb","name","token"}` is < 150 bytes; anything longer is refused. */
export const MAX_REQUEST_LINE = 512;
/** A token is 64 hex characters; a token file larger than this is not one. */
export const MAX_TOKEN_BYTES = 256;
/** The daemon's answer: one JSON document (status of all tunnels + provisioned sites). */
export const MAX_RESPONSE_BYTES = 1024 * 1024;

export interface ServiceEndpoint {
  /** Unix socket path or Windows pipe name. */
  path: string;
  tokenFile: string;
}

/**
 * Windows: the token lives in %ProgramData%\Longhaul\access, the one folder the installer lets interactive users
 * read (S-1-5-4); the service's own folder (profiles, keys, logs) is SYSTEM/Administrators only. UNVERIFIED.
 */
export function windowsTokenPath(env: Record<string, string | undefined>): string {
  return `${env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData'}\\Longhaul\\access\\token`;
}

/** The built-in endpoint of the OS (null on Linux, where the helper runs through pkexec). */
export function defaultServiceEndpoint(platform: NodeJS.Platform, env: Record<string, string | undefined>): ServiceEndpoint | null {
  if (platform === 'darwin') return { path: MAC_SOCKET_PATH, tokenFile: MAC_TOKEN_PATH };
  if (platform === 'win32') return { path: SERVICE_PIPE_NAME, tokenFile: windowsTokenPath(env) };
  return null;
}

/** The test override, or null when overrides are compiled out of this build or none is set. */
export function testServiceOverride(env: Record<string, string | undefined> = process.env): ServiceEndpoint | null {
  if (!isTestBuild()) return null;
  const p = env.LONGHAUL_TEST_HELPER_SOCKET;
  const t = env.LONGHAUL_TEST_HELPER_TOKEN;
  return p && t ? { path: p, tokenFile: t } : null;
}

/** The service endpoint to use, or null: use pkexec. */
export function serviceEndpointOf(platform: NodeJS.Platform = process.platform, env: Record<string, string | undefined> = process.env): ServiceEndpoint | null {
  return testServiceOverride(env) ?? defaultServiceEndpoint(platform, env);
}

export type ServiceReply = { ok: true; text: string } | { ok: false; reason: TunnelReason; message: string };

export interface ServiceCallOptions {
  input?: string;
  /** Whole exchange (an `up` waits for the first handshake, like the pkexec helper). */
  timeoutMs?: number;
  platform?: NodeJS.Platform;
}

export const NOT_RUNNING = "Longhaul's helper service is not running; reinstall Longhaul or ask IT.";
const groupHint = (platform: NodeJS.Platform) =>
  platform === 'win32' ? 'ask IT to repair the Longhaul installation' : `ask IT to add your account to the group allowed to use Longhaul${platform === 'darwin' ? ' (by default: staff)' : ''}, then log out and back in`;

/** Read the service token: trimmed hex, or a plain-words failure. */
export function readServiceToken(file: string, platform: NodeJS.Platform = process.platform): { ok: true; token: string } | { ok: false; reason: TunnelReason; message: string } {
  let buf: Buffer;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      buf = Buffer.alloc(MAX_TOKEN_BYTES + 1);
      buf = buf.subarray(0, fs.readSync(fd, buf, 0, buf.length, 0));
    } finally {
      fs.closeSync(fd);
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, reason: 'tools-missing', message: NOT_RUNNING };
    if (code === 'EACCES' || code === 'EPERM') {
      return { ok: false, reason: 'permission-denied', message: `Your account may not use Longhaul's helper service (its access file ${file} is not readable for you): ${groupHint(platform)}.` };
    }
    return { ok: false, reason: 'up-failed', message: `Cannot read the access file of Longhaul's helper service (${file}: ${code ?? (e as Error).message}); reinstall Longhaul or ask IT.` };
  }
  const token = buf.toString('utf8').trim();
  if (buf.length > MAX_TOKEN_BYTES || !/^[0-9a-f]{32,128}$/.test(token)) {
    return { ok: false, reason: 'up-failed', message: `The access file of Longhaul's helper service (${file}) is damaged; restart the service (reboot) or reinstall Longhaul.` };
  }
  return { ok: true, token };
}

/** Unix: the endpoint must be a socket owned by root, else nothing is sent (a key must never go to an impostor). */
function checkSocketOwner(p: string): { ok: true } | { ok: false; reason: TunnelReason; message: string } {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, reason: 'tools-missing', message: NOT_RUNNING };
    return { ok: false, reason: 'permission-denied', message: `Cannot reach Longhaul's helper service at ${p} (${code ?? 'error'}); ask IT.` };
  }
  if (!st.isSocket() || st.uid !== 0) {
    return { ok: false, reason: 'permission-denied', message: `${p} is not Longhaul's helper service (not a socket owned by root); nothing was sent. Reinstall Longhaul or ask IT.` };
  }
  return { ok: true };
}

/** One request to the service: its answer line, or a plain-words failure. */
export function callService(ep: ServiceEndpoint, verb: 'up' | 'down' | 'status', name: string | null, o: ServiceCallOptions = {}): Promise<ServiceReply> {
  const platform = o.platform ?? process.platform;
  const tok = readServiceToken(ep.tokenFile, platform);
  if (!tok.ok) return Promise.resolve(tok);
  if (platform !== 'win32') {
    const own = checkSocketOwner(ep.path);
    if (!own.ok) return Promise.resolve(own);
  }
  const line = JSON.stringify({ verb, ...(name === null ? {} : { name }), token: tok.token }) + '\n';
  return new Promise<ServiceReply>((resolve) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let settled = false;
    const sock = net.createConnection({ path: ep.path, allowHalfOpen: true });
    const done = (r: ServiceReply) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(r);
    };
    const timer = setTimeout(
      () => done({ ok: false, reason: 'up-failed', message: `Longhaul's helper service did not answer within ${Math.round((o.timeoutMs ?? 120_000) / 1000)} s; try again, or restart the computer if it keeps happening.` }),
      o.timeoutMs ?? 120_000,
    );
    sock.on('connect', () => {
      sock.write(line);
      if (verb === 'up' && o.input !== undefined) sock.write(o.input);
      sock.end(); // half-close: "that is all"
    });
    sock.on('data', (c: Buffer) => {
      total += c.length;
      if (total > MAX_RESPONSE_BYTES) return done({ ok: false, reason: 'up-failed', message: `Longhaul's helper service sent an answer larger than ${MAX_RESPONSE_BYTES} bytes; reinstall Longhaul.` });
      chunks.push(c);
    });
    sock.on('end', () => done({ ok: true, text: Buffer.concat(chunks).toString('utf8') }));
    sock.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT' || e.code === 'ECONNREFUSED') return done({ ok: false, reason: 'tools-missing', message: NOT_RUNNING });
      if (e.code === 'EACCES' || e.code === 'EPERM') {
        return done({ ok: false, reason: 'permission-denied', message: `Your account may not use Longhaul's helper service (${ep.path}: permission denied): ${groupHint(platform)}.` });
      }
      // The answer may already be complete when the daemon closes hard (EPIPE/ECONNRESET after its line).
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.endsWith('\n')) return done({ ok: true, text });
      done({ ok: false, reason: 'up-failed', message: `Longhaul's helper service closed the connection (${e.code ?? e.message}); try again, or restart the computer if it keeps happening.` });
    });
  });
}
