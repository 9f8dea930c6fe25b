import { describe, expect, it } from 'vitest';
import { decidePacketSize, MIN_PATH_MTU } from '../../../src-main/core/stream/packet-size';

describe('Moonlight packet size over the tunnel', () => {
  it('needs a 1068-byte path for the smallest packet (1024 + 44)', () => {
    expect(MIN_PATH_MTU).toBe(1068);
  });

  it('blocks with the tunnel-MTU fix when no Moonlight packet fits (1067)', () => {
    const d = decidePacketSize({ pathMtu: 1067, optIn: false, vpnDetectionApplies: true });
    expect(d.blocked).toBe(true);
    expect(d.packetSize).toBeNull();
    expect(d.fix).toMatch(/tunnel MTU to 1067/);
  });

  it('passes nothing by default over a VPN route, and the maximum only on opt-in', () => {
    for (const [mtu, max] of [[1420, 1376], [1280, 1232], [1232, 1184]] as const) {
      const auto = decidePacketSize({ pathMtu: mtu, optIn: false, vpnDetectionApplies: true });
      expect(auto).toMatchObject({ blocked: false, packetSize: null, maxPacketSize: max });
      const opt = decidePacketSize({ pathMtu: mtu, optIn: true, vpnDetectionApplies: true });
      expect(opt).toMatchObject({ blocked: false, packetSize: max, maxPacketSize: max });
      expect(opt.explanation).toMatch(/LAN mode/);
    }
  });

  it('passes the maximum when Moonlight would not detect the VPN and 1392 does not fit', () => {
    expect(decidePacketSize({ pathMtu: 1420, optIn: false, vpnDetectionApplies: false }).packetSize).toBe(1376);
    expect(decidePacketSize({ pathMtu: 1500, optIn: false, vpnDetectionApplies: false }).packetSize).toBeNull();
  });

  it('never invents a size without a measured path MTU', () => {
    expect(decidePacketSize({ pathMtu: null, optIn: true, vpnDetectionApplies: true })).toMatchObject({ packetSize: null, maxPacketSize: null, blocked: false });
  });
});
