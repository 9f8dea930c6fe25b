/**
 * Stream-fitness scenarios (issue 14): a stock `iperf3 -s` in the gateway namespace (on the tunnel address, ports
 * 5201 and 5202 — iperf3 runs one test at a time, so two servers let a test show the busy path), and the
 * farm-to-artist underlay shaped the way home links are:
 *
 * - rate cap: the kernel's `tbf` qdisc on the path namespace's veth toward the artist (lhNp0): every datagram there is
 *   the relay forwarding WireGuard's encrypted UDP to the artist, so the cap applies to the tunnel's wire bytes. tbf
 *   counts each packet's length at that device (IP + 14 bytes of Ethernet header), so a 1040-byte iperf3 payload costs
 *   1040 + 28 (inner UDP/IP) → 1072 (WireGuard pads to 16) + 32 (WireGuard header and tag) + 28 (outer UDP/IP) + 14 =
 *   1146 bytes: payload goodput inside the tunnel is at most 1040 / 1146 = 0.91 × the cap.
 *   tbf's `limit` bounds its queue: 50 ms at the rate, at most 80 KB (FINITE_QUEUE_BYTES), is a finite, ordinary
 *   queue; 800 ms is a deep one (bufferbloat).
 * - random loss: `iptables -m statistic --mode random --probability P -j DROP` on what the path namespace sends to
 *   the artist (the relay's datagrams toward lhNp0), so loss is independent of the rate.
 * (tc netem is not available on this kernel; the relay's rttMs adds latency.)
 *
 * `stream-capacity` adds the farm (farm.ts: dnsmasq, the Sunshine stand-in, site.json) to the iperf3 servers, and a
 * second site file naming them as its capacityProbe, for the stream gate's capacity item.
 *
 * Recorded in lab.extra: iperfHost (the gateway's tunnel address), iperfPorts, shape; stream-capacity also farm.ts's
 * sitePath (no capacityProbe), streamHost, …, and capacitySitePath (the same site with capacityProbe).
 * Environment: plain Node, root.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { nsRun, sleep } from '../netns';
import type { LabScenario, ScenarioContext } from '../scenarios';
import type { Lab } from '../state';
import { artistUp, startFarm } from './farm';

export const IPERF_PORTS = [5201, 5202] as const;

export interface DownlinkShape {
  /** tbf rate, Mbit/s of wire bytes at the path's veth toward the artist. */
  rateMbit: number;
  /** Queue length in time at that rate, ms: tbf's limit = rate × latencyMs … */
  latencyMs: number;
  /** … but at most this many bytes (default FINITE_QUEUE_BYTES; Infinity for a deep queue). */
  maxQueueBytes?: number;
}

/**
 * Why the finite queue is capped in bytes: the relay is the LOCAL sender on the shaped veth, and Linux charges each
 * queued datagram to the relay's socket (≈ 2.3 KB of truesize each, 208 KB send buffer by default). A tbf queue larger
 * than the socket can hold makes the relay's send block instead of tbf dropping, and Node then queues in user space
 * without bound — a deep queue where a finite one was meant. 80 KB (≈ 70 datagrams) stays below it and still holds a
 * whole frame burst at 0.9 × 25 Mbit/s and 60 fps (47 KB).
 */
export const FINITE_QUEUE_BYTES = 80_000;

/** tbf's bucket: 32 KB lets the head of a frame burst through at line rate, as a real shaper's bucket does. */
const TBF_BURST = '32kb';

async function waitForListening(file: string, port: number, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      if (readFileSync(file, 'utf8').includes(`Server listening on ${port}`)) return;
    } catch {}
    await sleep(50);
  }
  throw new Error(`iperf3 -s -p ${port} did not start within ${timeoutMs} ms; see ${file}`);
}

/** Start `iperf3 -s` on the gateway's tunnel address, one per port (foreground; labDown stops them). */
export async function startIperf3(lab: Lab, ctx: ScenarioContext): Promise<void> {
  const host = lab.names.addr.gatewayTunnel;
  for (const port of IPERF_PORTS) {
    const log = `iperf3-${port}.log`;
    ctx.startDetached('gateway', 'iperf3', ['-s', '-B', host, '-p', String(port), '--forceflush'], log);
    await waitForListening(path.join(lab.dir, log), port);
  }
  ctx.record('iperfHost', host);
  ctx.record('iperfPorts', [...IPERF_PORTS]);
}

/** Put (or, with null, remove) the tbf cap on the path's veth toward the artist. Takes effect at once. */
export async function setDownlinkShape(lab: Lab, shape: DownlinkShape | null): Promise<void> {
  const dev = lab.names.veth.pathA;
  await nsRun(lab.names.ns.path, 'tc', ['qdisc', 'del', 'dev', dev, 'root'], { okCodes: 'any' });
  if (shape) {
    const limit = Math.round(Math.min((shape.rateMbit * 1e6) / 8 * (shape.latencyMs / 1000), shape.maxQueueBytes ?? FINITE_QUEUE_BYTES));
    await nsRun(lab.names.ns.path, 'tc', ['qdisc', 'add', 'dev', dev, 'root', 'tbf', 'rate', `${shape.rateMbit}mbit`, 'burst', TBF_BURST, 'limit', String(limit)]);
  }
}

/** Drop this share (0–1) of what the path sends toward the artist, at random; 0 removes the rule. */
export async function setDownlinkLoss(lab: Lab, probability: number): Promise<void> {
  const rule = ['OUTPUT', '-o', lab.names.veth.pathA, '-p', 'udp', '-m', 'comment', '--comment', 'longhaul-capacity-loss'];
  // Remove any earlier rule (iptables -D deletes one match per call).
  for (let i = 0; i < 4; i++) {
    const r = await nsRun(lab.names.ns.path, 'iptables', ['-S', 'OUTPUT'], { okCodes: 'any' });
    const line = r.stdout.split('\n').find((l) => l.includes('longhaul-capacity-loss'));
    if (!line) break;
    await nsRun(lab.names.ns.path, 'iptables', ['-D', ...line.replace(/^-A /, '').split(' ')], { okCodes: 'any' });
  }
  if (probability > 0) {
    await nsRun(lab.names.ns.path, 'iptables', ['-A', ...rule, '-m', 'statistic', '--mode', 'random', '--probability', String(probability), '-j', 'DROP']);
  }
}

/**
 * Carry WireGuard's UDP through the path namespace's KERNEL instead of the relay: the relay (one Node process) cannot
 * forward the frame bursts of 100 Mbit/s on a 2-core machine, so above ~50 Mbit/s the lab, not the cap, would be the
 * bottleneck. `net.ipv4.ip_forward=1` in the path namespace; datagrams to the relay's address and port are DNATed to
 * the gateway's underlay address (nat PREROUTING) and leave toward it from the path's own address (nat POSTROUTING
 * SNAT), so the gateway answers the path as it answered the relay, and conntrack takes the answers back to the
 * artist. Must be applied before the first handshake: a flow the relay already carried has a conntrack entry without
 * NAT, and NAT is decided on a flow's first packet. The relay's own faults (rttMs, capBytes, block) no longer apply;
 * tbf and the loss rule on the path's veth toward the artist still do (forwarded packets leave through it).
 */
export async function useKernelPath(lab: Lab): Promise<void> {
  const n = lab.names;
  const port = n.endpoint.slice(n.endpoint.lastIndexOf(':') + 1);
  await nsRun(n.ns.path, 'sysctl', ['-q', '-w', 'net.ipv4.ip_forward=1']);
  await nsRun(n.ns.path, 'iptables', ['-t', 'nat', '-A', 'PREROUTING', '-i', n.veth.pathA, '-p', 'udp', '-d', n.addr.pathArtistSide, '--dport', port, '-j', 'DNAT', '--to-destination', `${n.addr.gatewayUnderlay}:${port}`]);
  await nsRun(n.ns.path, 'iptables', ['-t', 'nat', '-A', 'POSTROUTING', '-o', n.veth.pathG, '-p', 'udp', '-d', n.addr.gatewayUnderlay, '--dport', port, '-j', 'SNAT', '--to-source', n.addr.pathGatewaySide]);
}

/** The deep-queue scenario: 20 Mbit/s behind 800 ms (2 MB) of queue. */
export const DEEP_QUEUE: DownlinkShape = { rateMbit: 20, latencyMs: 800, maxQueueBytes: Number.POSITIVE_INFINITY };

function shaped(name: string, summary: string, shape: DownlinkShape | null, loss = 0): LabScenario {
  return {
    name,
    summary,
    apply: async (lab, ctx) => {
      await startIperf3(lab, ctx);
      await setDownlinkShape(lab, shape);
      await setDownlinkLoss(lab, loss);
      ctx.record('shape', { rateMbit: shape?.rateMbit ?? null, latencyMs: shape?.latencyMs ?? null, loss });
      await artistUp(lab, ctx);
    },
  };
}

/** The farm's site file plus `capacityProbe` naming the gateway's iperf3 servers (docs/site-file.md). */
function writeCapacitySite(lab: Lab, ctx: ScenarioContext): void {
  const site = JSON.parse(readFileSync(lab.extra.sitePath as string, 'utf8')) as Record<string, unknown>;
  site.capacityProbe = { host: lab.names.addr.gatewayTunnel, ports: [...IPERF_PORTS] };
  ctx.record('capacitySitePath', ctx.writeFile('site-capacity.json', JSON.stringify(site, null, 2) + '\n', 0o600));
}

/** The farm, its iperf3 servers and the site naming them; the artist's tunnel up (wg-quick) or left to Longhaul. */
function streamCapacity(name: string, summary: string, tunnelUp: boolean): LabScenario {
  return {
    name,
    summary,
    apply: async (lab, ctx) => {
      await startFarm(lab, ctx);
      await startIperf3(lab, ctx);
      writeCapacitySite(lab, ctx);
      if (tunnelUp) await artistUp(lab, ctx);
    },
  };
}

export const CAPACITY_SCENARIOS: LabScenario[] = [
  streamCapacity('stream-capacity', 'the farm (stream host, site.json) and iperf3 -s on the gateway (5201, 5202), tunnel up, nothing shaped; site-capacity.json names the iperf3 servers', true),
  streamCapacity('stream-capacity-no-interface', 'stream-capacity without the artist tunnel: Longhaul itself connects (e2e journeys)', false),
  shaped('capacity-fast', 'iperf3 -s on the gateway (5201, 5202), tunnel up, nothing shaped: the fast path', null),
  ...[10, 25, 50, 100].map((mbit) =>
    shaped(`capacity-cap-${mbit}`, `iperf3 -s on the gateway, downlink capped at ${mbit} Mbit/s by tbf (50 ms queue, at most 80 KB)`, { rateMbit: mbit, latencyMs: 50 }),
  ),
  {
    name: 'capacity-kernel-path',
    summary: 'iperf3 -s on the gateway, WireGuard carried by the path namespace\'s kernel (DNAT/SNAT, no relay), nothing shaped: a lab path fast enough for a 100 Mbit/s cap',
    apply: async (lab, ctx) => {
      await startIperf3(lab, ctx);
      await useKernelPath(lab);
      ctx.record('kernelPath', true);
      await artistUp(lab, ctx);
    },
  },
  shaped('capacity-loss-3', 'iperf3 -s on the gateway, 3 % of the downlink datagrams dropped at random', null, 0.03),
  shaped('capacity-bufferbloat', 'iperf3 -s on the gateway, downlink capped at 20 Mbit/s behind an 800 ms queue', DEEP_QUEUE),
];
