/**
 * The tunnel interface on Linux: `ip -j link show dev IF` (MTU, state) and `wg show IF latest-handshakes`
 * (`<public key>\t<unix seconds>` per peer, 0 = never; no private key in this output, unlike `dump`).
 * `ip -j link` format: the recording test/fixtures/samples/linux-ip-j-link.txt; `latest-handshakes`:
 * test/fixtures/samples/linux-wg-show-all-latest-handshakes.txt (with the interface column for `all`).
 * Environment: plain Node.
 */
import type { ProcessRunner } from '../platform/runner';
export interface LinkInfo {
  name: string;
  mtu: number;
  operstate: string;
  flags: string[];
}

export function parseIpLinkJson(stdout: string, name: string): LinkInfo | null {
  let doc: unknown;
  try {
    doc = JSON.parse(stdout);
  } catch {
    return null;
  }
  if (!Array.isArray(doc)) return null;
  for (const l of doc as Record<string, unknown>[]) {
    if (l.ifname === name && typeof l.mtu === 'number') {
      return { name, mtu: l.mtu, operstate: String(l.operstate ?? 'UNKNOWN'), flags: Array.isArray(l.flags) ? l.flags.map(String) : [] };
    }
  }
  return null;
}

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

/** `ip -j link show dev IF`; null when the interface does not exist. */
export async function readLink(runner: ProcessRunner, name: string, signal?: AbortSignal): Promise<LinkInfo | null> {
  const r = await runner.run('ip', ['-j', 'link', 'show', 'dev', name], { timeoutMs: 5000, signal, okCodes: 'any' });
  return r.code === 0 ? parseIpLinkJson(r.stdout, name) : null;
}
