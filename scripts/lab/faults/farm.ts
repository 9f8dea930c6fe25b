/**
 * The farm behind the lab's gateway, for the self-check scenarios (issue 5):
 *  - dnsmasq in the gateway namespace, authoritative (`--local`) for the site domain `farm<id>.test`, listening on the
 *    tunnel interface with `bind-dynamic` (its own pid file and lease file in the lab directory);
 *  - a stream host address 10.200.<id>.10 on the gateway's loopback with Sunshine's ports: TLS on 47984 asking for a
 *    client certificate with a 4-certificate chain (tls-listener.mjs), the Sunshine stand-in (stream issue) on 47989
 *    and, through its --also-listen, 48010;
 *  - `site.json` naming the farm's DNS name and the stream host.
 * Recorded in lab.extra: sitePath, streamHost, dnsNames, farmDomain. Environment: plain Node, root.
 */
import { SUNSHINE_HTTP_PORT, SUNSHINE_HTTPS_PORT, sunshinePorts } from '../../../src-main/core/net/sunshine-ports';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Lab } from '../state';
import type { ScenarioContext } from '../scenarios';
import { makeCertChain } from './cert-chain';

export interface FarmOptions {
  /** Where dnsmasq listens: the tunnel interface (default), the underlay veth (resolver not on the tunnel), or nowhere. */
  dns?: 'tunnel' | 'elsewhere' | 'none';
  /** Start the stream host's listeners (default true). */
  sunshine?: boolean;
  /** Extra names written into site.json that the resolver does not know. */
  unknownNames?: string[];
}

export function farmNames(lab: Lab) {
  const id = lab.names.id;
  const domain = `farm${id}.test`;
  return { domain, ws: `ws1.${domain}`, streamHost: `10.200.${id}.10`, dnsServer: lab.names.addr.gatewayTunnel };
}

/** Repository files from this module (TS under vitest: scripts/lab/faults) or the bundle (dist/lab), else the cwd. */
function findFile(rel: string): string {
  for (const base of [path.resolve(__dirname, '../../..'), path.resolve(__dirname, '../..'), process.cwd()]) {
    const p = path.join(base, rel);
    if (existsSync(p)) return p;
  }
  throw new Error(`${rel} not found (run from the repository root)`);
}

async function waitForLog(file: string, pattern: RegExp, what: string, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      if (pattern.test(readFileSync(file, 'utf8'))) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 50));
  }
  let tail = '';
  try {
    tail = readFileSync(file, 'utf8').slice(-500);
  } catch {}
  throw new Error(`${what} did not start within ${timeoutMs} ms: ${tail}`);
}

export async function startFarm(lab: Lab, ctx: ScenarioContext, opts: FarmOptions = {}): Promise<void> {
  const n = lab.names;
  const f = farmNames(lab);
  await ctx.exec('gateway', 'ip', ['address', 'add', `${f.streamHost}/32`, 'dev', 'lo']);
  const dnsMode = opts.dns ?? 'tunnel';
  if (dnsMode !== 'none') {
    const args = [
      '--keep-in-foreground',
      '--log-facility=-',
      '--conf-file=/dev/null',
      '--no-resolv',
      '--no-hosts',
      '--user=root',
      `--pid-file=${path.join(lab.dir, 'dnsmasq.pid')}`,
      `--dhcp-leasefile=${path.join(lab.dir, 'dnsmasq.leases')}`,
      `--interface=${dnsMode === 'tunnel' ? n.gatewayIf : n.veth.gateway}`,
      '--except-interface=lo',
      '--bind-dynamic',
      `--local=/${f.domain}/`,
      `--host-record=${f.ws},${f.streamHost}`,
    ];
    ctx.startDetached('gateway', 'dnsmasq', args, 'dnsmasq.log');
    await waitForLog(path.join(lab.dir, 'dnsmasq.log'), /started, version/, 'dnsmasq');
  }
  if (opts.sunshine !== false) {
    const chain = await makeCertChain(undefined, path.join(lab.dir, 'tls'));
    ctx.startDetached('gateway', process.execPath, [findFile('scripts/lab/faults/tls-listener.mjs'), '--address', f.streamHost, '--port', String(SUNSHINE_HTTPS_PORT), '--key', chain.keyFile, '--cert', chain.chainFile], 'tls-listener.log');
    ctx.startDetached('gateway', process.execPath, [findFile('scripts/standins/sunshine-standin.mjs'), '--address', f.streamHost, '--port', String(SUNSHINE_HTTP_PORT), '--also-listen', String(sunshinePorts().rtsp)], 'sunshine.log');
    await waitForLog(path.join(lab.dir, 'tls-listener.log'), /listening/, 'tls-listener');
    await waitForLog(path.join(lab.dir, 'sunshine.log'), /listening/, 'sunshine-standin');
  }
  const site = {
    name: `Lab farm ${n.id}`,
    dnsNames: [f.ws, ...(opts.unknownNames ?? [])],
    streamHosts: [{ name: 'ws1', host: f.streamHost }],
  };
  const sitePath = ctx.writeFile('site.json', JSON.stringify(site, null, 2) + '\n', 0o600);
  ctx.record('sitePath', sitePath);
  ctx.record('streamHost', f.streamHost);
  ctx.record('dnsNames', site.dnsNames);
  ctx.record('farmDomain', f.domain);
}

/** Bring the artist's tunnel up (wg-quick, DNS applied through the namespace's own openresolv). */
export async function artistUp(lab: Lab, ctx: ScenarioContext): Promise<void> {
  await ctx.exec('artist', 'wg-quick', ['up', lab.profilePath], { timeoutMs: 30_000 });
  ctx.record('artistTunnelUp', true);
}
