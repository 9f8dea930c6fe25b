/** Packet-size arithmetic (core/net/packet-size.ts): ping payload, Moonlight packet, WireGuard overhead. */
import { describe, expect, it } from 'vitest';
import { expectedInnerMtu, moonlightPacketSize, outerSizeFor, pingPayloadFor, WIREGUARD_IPV4_OVERHEAD } from '../../../src-main/core/net/packet-size';

describe('packet sizes over the tunnel', () => {
  it('ping payload = IPv4 total length − 28', () => {
    expect(pingPayloadFor(1420)).toBe(1392);
    expect(pingPayloadFor(84)).toBe(56);
  });
  it('Moonlight packet: 16·⌊(pathMtu − 44)/16⌋', () => {
    expect(moonlightPacketSize(1420)).toBe(1376); // WireGuard default MTU (fact sheet: 1376)
    expect(moonlightPacketSize(1280)).toBe(1232); // Tailscale / IPv6 minimum (fact sheet: 1232)
    expect(moonlightPacketSize(1328)).toBe(1280);
    expect(moonlightPacketSize(1232)).toBe(1184);
    expect(moonlightPacketSize(1067)).toBe(1008);
    expect(moonlightPacketSize(1068)).toBe(1024);
    expect(moonlightPacketSize(30)).toBe(0);
    expect(() => moonlightPacketSize(0)).toThrow(RangeError);
  });
  it('WireGuard: 60 bytes outside, inner padded to 16', () => {
    expect(WIREGUARD_IPV4_OVERHEAD).toBe(60);
    expect(outerSizeFor(1068)).toBe(1128);
    expect(expectedInnerMtu(1420, 1400)).toBe(1328);
    expect(expectedInnerMtu(1420, 1337)).toBe(1264);
    expect(expectedInnerMtu(1420, 1200)).toBe(1136);
    expect(expectedInnerMtu(1420, 1500)).toBe(1420);
  });
});
