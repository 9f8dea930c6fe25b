/**
 * Packet-size arithmetic over the tunnel: IPv4 total length ↔ ping payload, Moonlight's video datagram, WireGuard's
 * outer overhead. The one copy (path-MTU check, stream gate, packet-size decision, capacity measurement). Environment:
 * any. Facts: IPv4 header 20 bytes (RFC 791, no options), UDP 8 (RFC 768), ICMP echo 8 (RFC 792); WireGuard data
 * message = 16-byte header + ciphertext padded to 16 + 16-byte tag (whitepaper §5.4.6), carried in UDP/IPv4; Moonlight
 * video = packetSize + 16 (RTP) + UDP/IPv4, packetSize a multiple of 16 (fact sheet §4).
 */
export const IPV4_HEADER_BYTES = 20;
export const UDP_HEADER_BYTES = 8;
/** IPv4 + ICMP echo headers: the IPv4 packet of a ping is payload + 28. */
export const ICMP_IPV4_OVERHEAD = IPV4_HEADER_BYTES + 8;
/** IPv4 + UDP headers: an IPv4 datagram is UDP payload + 28. */
export const UDP_IPV4_OVERHEAD = IPV4_HEADER_BYTES + UDP_HEADER_BYTES;
/** WireGuard's data-message header (type, receiver, counter) and Poly1305 tag. */
export const WIREGUARD_HEADER_BYTES = 32;
/** WireGuard's outer overhead on IPv4 (20 IP + 8 UDP + 32 WireGuard). */
export const WIREGUARD_IPV4_OVERHEAD = UDP_IPV4_OVERHEAD + WIREGUARD_HEADER_BYTES;
/** Moonlight's RTP header in front of every video packet (video UDP payload = packetSize + 16). */
export const RTP_HEADER_BYTES = 16;
/** A Moonlight video datagram on IPv4 is packetSize + 44 bytes (16 RTP + 8 UDP + 20 IPv4). */
export const MOONLIGHT_VIDEO_IPV4_OVERHEAD = RTP_HEADER_BYTES + UDP_IPV4_OVERHEAD;

/** The ICMP payload size the ping tools take (`-s`, `-l`) for an IPv4 packet of `totalLength` bytes. */
export function pingPayloadFor(totalLength: number): number {
  return totalLength - ICMP_IPV4_OVERHEAD;
}

/** 16·⌊(pathMtu − 44)/16⌋: the largest Moonlight packet size whose datagram crosses a path of this MTU (≥ 0). */
export function moonlightPacketSize(pathMtu: number): number {
  if (!Number.isInteger(pathMtu) || pathMtu <= 0) throw new RangeError(`path MTU must be a positive integer, got ${pathMtu}`);
  return Math.max(0, 16 * Math.floor((pathMtu - MOONLIGHT_VIDEO_IPV4_OVERHEAD) / 16));
}

/** The truth through WireGuard: with outer cap C, inner packets up to min(tunnelMtu, 16·⌊(C − 60)/16⌋) cross. */
export function expectedInnerMtu(tunnelMtu: number, outerCap: number): number {
  return Math.min(tunnelMtu, 16 * Math.floor((outerCap - WIREGUARD_IPV4_OVERHEAD) / 16));
}

/** The outer (underlay) packet size that carries an inner IPv4 packet of `innerTotal` bytes through WireGuard. */
export function outerSizeFor(innerTotal: number): number {
  return innerTotal + WIREGUARD_IPV4_OVERHEAD;
}
