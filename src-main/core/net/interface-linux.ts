/**
 * The tunnel interface on Linux: `ip -j link show dev IF` (MTU, state; parsed by the one iproute2 parser,
 * core/net/ip-json.ts, recording test/fixtures/samples/linux-ip-j-link.txt) and `wg show IF latest-handshakes`
 * (`<public key>\t<unix seconds>` per peer, 0 = never; no private key in this output, unlike `dump`; recording
 * test/fixtures/samples/linux-wg-show-all-latest-handshakes.txt, with the interface column for `all`).
 * Environment: plain Node.
 */
import { parseIpLink, type NetInterface } from './ip-json';
import type { ProcessRunner } from '../platform/runner';

export interface HandshakeInfo {
  publicKey: string;
  /** Unix seconds; 0 = never. */
  latest: number;
}

/** Parse `wg show IF latest-handshakes` (two columns) or `wg show all latest-handshakes` (three). */
export function parseLatestHandshakes(stdout: string): HandshakeInfo[] {
  const out: HandshakeInfo[] = [];
  for (const line of stdout.split('\n')) {
    const cols = line.trim().split('\t');
    if (cols.length < 2) continue;
    const [key, secs] = cols.slice(-2) as [string, string];
    if (!/^[A-Za-z0-9+/]{43}=$/.test(key) || !/^\d+$/.test(secs)) continue;
    out.push({ publicKey: key, latest: Number(secs) });
  }
  return out;
}

/** `ip -j link show dev IF`: the link (null when it does not exist) and what `ip` said (for evidence). */
export async function readLinkWithOutput(runner: ProcessRunner, name: string, signal?: AbortSignal): Promise<{ link: NetInterface | null; received: string }> {
  const r = await runner.run('ip', ['-j', 'link', 'show', 'dev', name], { timeoutMs: 5000, signal, okCodes: 'any' });
  return { link: r.code === 0 ? parseIpLink(r.stdout, name) : null, received: r.stderr.trim() || r.stdout.trim() };
}

/** `ip -j link show dev IF`; null when the interface does not exist. */
export async function readLink(runner: ProcessRunner, name: string, signal?: AbortSignal): Promise<NetInterface | null> {
  return (await readLinkWithOutput(runner, name, signal)).link;
}
