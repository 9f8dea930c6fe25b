/**
 * Which WireGuard tunnels are up in this network namespace (Linux `wg show interfaces`, keeping only interfaces that
 * exist here: wireguard-go's sockets in /var/run/wireguard are shared by every namespace, so `wg show interfaces` alone
 * would also list other namespaces' tunnels). The profile resolver's "the connected tunnel". Environment: plain Node.
 */
import { readLink } from '../net/interface-linux';
import type { ProcessRunner } from '../platform/runner';
import { ProfileResolveError } from '../profiles/resolve-error';

export async function connectedTunnels(runner: ProcessRunner, platform: NodeJS.Platform = process.platform): Promise<string[]> {
  if (platform !== 'linux') throw new ProfileResolveError('profile.connected-unknown', 'pass --profile NAME: finding the connected tunnel by itself works on Linux only so far');
  const r = await runner.run('wg', ['show', 'interfaces'], { timeoutMs: 5000, okCodes: 'any' }).catch((err: Error) => {
    throw new ProfileResolveError('profile.connected-unknown', `cannot list WireGuard interfaces: ${err.message}`);
  });
  if (r.code !== 0) throw new ProfileResolveError('profile.connected-unknown', `cannot list WireGuard interfaces (wg show interfaces): ${r.stderr.trim() || `exit ${r.code}`}`);
  const names = r.stdout.split(/\s+/).filter(Boolean);
  const here = await Promise.all(names.map(async (n) => ((await readLink(runner, n)) ? n : null)));
  return here.filter((n): n is string => n !== null);
}
