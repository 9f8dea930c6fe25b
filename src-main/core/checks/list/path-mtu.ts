/**
 * Check `path-mtu`: the largest packet that crosses the tunnel with DF, exact to the byte (see probes/path-mtu.ts),
 * bounded by the tunnel interface MTU. Below the tunnel MTU = a blackhole: big packets vanish.
 * Environment: plain Node.
 */
import { readLink } from '../../net/interface-linux';
import { moonlightPacketSize, pingPayloadFor } from '../../net/packet-size';
import { searchPathMtu } from '../probes/path-mtu';
import type { Check } from '../types';
import { gatewayTarget, noGateway } from './targets';
import { tunnelMtuOf } from './tunnel';

/** WireGuard pads inner packets to a multiple of 16 bytes (wireguard-go device/send.go, `PaddingMultiple = 16`). */
const WIREGUARD_PADDING = 16;

export const pathMtuCheck: Check = {
  id: 'path-mtu',
  title: 'Large packets through the tunnel (path MTU)',
  dependsOn: ['tunnel'],
  async run(ctx, signal) {
    const host = gatewayTarget(ctx.target);
    if (!host) return noGateway();
    // The interface MTU read directly (not awaiting the tunnel check's handshake watch): the search starts at t=0.
    const link = ctx.system.platform === 'linux' ? await readLink(ctx.system.runner, ctx.target.interfaceName, signal) : null;
    const tunnelMtu = tunnelMtuOf(link ? { mtu: link.mtu } : {}, ctx.target.mtu);
    const r = await searchPathMtu(
      async (size, timeoutMs, sig) => {
        const res = await ctx.system.ping.ping({ host, payload: pingPayloadFor(size), timeoutMs, signal: sig });
        if (res.outcome === 'reply' && res.rttMs !== null) ctx.timing.sample(res.rttMs, 'icmp');
        return res;
      },
      {
        upper: tunnelMtu,
        parallel: 15,
        step: WIREGUARD_PADDING,
        signal,
        firstSignal: ctx.timing.deadline({ defaultMs: 2500, rttMultiple: 4, minMs: 800 }, signal),
        roundTimeout: (rtt) => Math.max(250, 1.5 * rtt + 100),
      },
    );
    const evidence = {
      target: host,
      tunnelMtu,
      pathMtu: r.pathMtu,
      rounds: r.rounds,
      sent: `${r.probes.length} ICMP echoes with DF, total lengths ${Math.min(...r.probes.map((p) => p.size))}–${tunnelMtu}`,
      probes: [...r.probes].sort((a, b) => a.size - b.size).map((p) => `${p.size}:${p.outcome}`),
    };
    if (r.pathMtu === null) return { status: 'warn', summary: `${host} does not answer ping: path MTU unknown (the TLS check decides)`, evidence: { ...evidence, reason: 'icmp-filtered' } };
    if (r.pathMtu < tunnelMtu) {
      return {
        status: 'fail',
        summary: `packets above ${r.pathMtu} bytes vanish (tunnel MTU ${tunnelMtu})`,
        evidence: { ...evidence, reason: 'blackhole', moonlightPacketSize: moonlightPacketSize(r.pathMtu) },
      };
    }
    return { status: 'pass', summary: `full ${tunnelMtu}-byte packets cross`, evidence };
  },
};
