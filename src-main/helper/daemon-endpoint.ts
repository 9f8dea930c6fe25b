/**
 * Where the helper service listens and who may connect. Fixed per OS (macOS: /var/run/studio.longhaul.client.helper.sock
 * + .token, group `staff`; Windows: the named pipe + %ProgramData%\Longhaul\service\token); `--socket PATH`,
 * `--token-file PATH` and `--group NAME|GID` override them (only root starts the daemon: launchd, the SCM, IT, tests).
 * An overridden path must be absolute, in an existing directory owned by root and not writable by group/others (so
 * nobody else can swap the socket or the token). A stale socket is removed only if it is a socket owned by root
 * that no daemon listens on (a live one: refuse to start).
 * Unix: the socket is created under umask 077, then chown root:<group> and chmod 0660. Group names are read from
 * /etc/group (macOS also lists `staff` there; UNVERIFIED on real macOS: Directory Services may hold other groups).
 * Environment: plain Node, root.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { defaultServiceEndpoint } from '../core/tunnel/service-client';
import { PIPE_NAME } from './args';

export const DAEMON_USAGE = 'usage: longhaul-helperd [--socket PATH] [--token-file PATH] [--group NAME|GID] | longhaul-helperd --down-all';
export const MAC_DEFAULT_GROUP = 'staff';

export class DaemonStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DaemonStartError';
  }
}

export interface DaemonEndpointConfig {
  /** Unix socket path, or the Windows pipe name. */
  endpoint: string;
  tokenFile: string;
  /** Unix: the group allowed on the socket and the token (null on Windows). */
  gid: number | null;
}

export interface DaemonArgs {
  socket?: string;
  tokenFile?: string;
  group?: string;
}

export function parseDaemonArgs(argv: readonly string[]): { ok: true; args: DaemonArgs } | { ok: false; error: string } {
  const args: DaemonArgs = {};
  const keys: Record<string, keyof DaemonArgs> = { '--socket': 'socket', '--token-file': 'tokenFile', '--group': 'group' };
  for (let i = 0; i < argv.length; i += 2) {
    const k = keys[argv[i]!];
    const v = argv[i + 1];
    if (!k) return { ok: false, error: `unknown argument ${JSON.stringify(argv[i])}. ${DAEMON_USAGE}` };
    if (v === undefined || v === '' || v.startsWith('--')) return { ok: false, error: `${argv[i]} needs a value. ${DAEMON_USAGE}` };
    if (args[k] !== undefined) return { ok: false, error: `${argv[i]} given twice. ${DAEMON_USAGE}` };
    args[k] = v;
  }
  return { ok: true, args };
}

/** A group by decimal gid or by name (from `groupFile`, /etc/group format `name:x:gid:members`). */
export function resolveGroup(spec: string, groupFile = '/etc/group'): number {
  if (/^\d{1,10}$/.test(spec) && Number(spec) < 0xffffffff) return Number(spec);
  let text = '';
  try {
    text = fs.readFileSync(groupFile, 'utf8');
  } catch {}
  for (const line of text.split('\n')) {
    const [name, , gid] = line.split(':');
    if (name === spec && gid && /^\d+$/.test(gid)) return Number(gid);
  }
  throw new DaemonStartError(`--group ${spec}: no such group in ${groupFile}; give an existing group name or a numeric gid.`);
}

/** An overridden path's directory must exist, be a directory owned by `owner`, and not group/world-writable. */
export function checkParentDir(flag: string, p: string, owner = 0): void {
  if (!path.isAbsolute(p)) throw new DaemonStartError(`${flag} ${p}: not an absolute path.`);
  const dir = path.dirname(p);
  let st: fs.Stats;
  try {
    st = fs.lstatSync(dir);
  } catch {
    throw new DaemonStartError(`${flag} ${p}: the directory ${dir} does not exist; create it as root (install -d -m 755 -o root ${dir}).`);
  }
  if (!st.isDirectory()) throw new DaemonStartError(`${flag} ${p}: ${dir} is not a directory (symlinks are not accepted).`);
  if (st.uid !== owner || (st.mode & 0o022) !== 0) {
    throw new DaemonStartError(`${flag} ${p}: ${dir} must be owned by root and not writable by group or others (it is uid ${st.uid}, mode ${(st.mode & 0o7777).toString(8)}).`);
  }
}

/** Resolve the endpoint for this OS and these arguments; throws DaemonStartError with the fix. */
export function daemonEndpoint(platform: NodeJS.Platform, a: DaemonArgs, env: Record<string, string | undefined>, o: { owner?: number; groupFile?: string } = {}): DaemonEndpointConfig {
  const def = defaultServiceEndpoint(platform, env);
  if (platform === 'win32') {
    if (a.socket !== undefined && a.socket !== PIPE_NAME) throw new DaemonStartError(`--socket: on Windows the service listens only on ${PIPE_NAME}.`);
    if (a.group !== undefined) throw new DaemonStartError('--group: not used on Windows (the installer sets the ACL of the token directory).');
    return { endpoint: PIPE_NAME, tokenFile: a.tokenFile ?? def!.tokenFile, gid: null };
  }
  const endpoint = a.socket ?? def?.path;
  const tokenFile = a.tokenFile ?? (a.socket !== undefined ? `${a.socket}.token` : def?.tokenFile);
  if (!endpoint || !tokenFile) throw new DaemonStartError(`no built-in endpoint on ${platform} (Linux uses pkexec): give --socket PATH and --group. ${DAEMON_USAGE}`);
  const groupSpec = a.group ?? (platform === 'darwin' ? MAC_DEFAULT_GROUP : undefined);
  if (groupSpec === undefined) throw new DaemonStartError(`--group is required on ${platform}: the group whose members may use the service. ${DAEMON_USAGE}`);
  // Overrides only: the built-in /var/run is the OS's (on macOS 0775 root:daemon, which this check would refuse).
  if (a.socket !== undefined) checkParentDir('--socket', endpoint, o.owner ?? 0);
  if (a.socket !== undefined || a.tokenFile !== undefined) checkParentDir('--token-file', tokenFile, o.owner ?? 0);
  if (Buffer.byteLength(endpoint) > 100) throw new DaemonStartError(`--socket ${endpoint}: too long for a Unix socket path (max 100 bytes).`);
  return { endpoint, tokenFile, gid: resolveGroup(groupSpec, o.groupFile) };
}

/** Remove a stale socket: only a socket owned by `owner`; anything else is refused, never deleted. */
export function removeStaleSocket(p: string, owner = 0): void {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(p);
  } catch {
    return;
  }
  if (!st.isSocket() || st.uid !== owner) throw new DaemonStartError(`${p} exists and is not a socket owned by root; nothing was removed. Remove it yourself if it is not needed.`);
  fs.unlinkSync(p);
}

/** Does something accept connections on this path? (A stale socket refuses: ECONNREFUSED / ENOENT.) */
export function socketIsLive(p: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createConnection({ path: p });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Listen on the endpoint: Unix under umask 077, then root:<gid> 0660; Windows: the pipe, writable by all (token). */
export async function listenOn(server: net.Server, c: DaemonEndpointConfig, o: { platform: NodeJS.Platform; owner?: number }): Promise<void> {
  if (o.platform === 'win32') {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ path: c.endpoint, readableAll: true, writableAll: true }, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return;
  }
  if (await socketIsLive(c.endpoint)) throw new DaemonStartError(`${c.endpoint}: another longhaul-helperd is already listening there; stop it first.`);
  removeStaleSocket(c.endpoint, o.owner ?? 0);
  const old = process.umask(0o077);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ path: c.endpoint }, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } finally {
    process.umask(old);
  }
  fs.chownSync(c.endpoint, o.owner ?? 0, c.gid ?? 0);
  fs.chmodSync(c.endpoint, 0o660);
}
