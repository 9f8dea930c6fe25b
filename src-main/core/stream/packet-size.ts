/**
 * Moonlight video packet size over the tunnel (the arithmetic: core/net/packet-size.ts). Environment: any. Facts (sheet §4): the video datagram is
 * packetSize + 16 (RTP) + 8 (UDP) + 20 (IPv4) = packetSize + 44 bytes; Moonlight rounds to a multiple of 16 (FEC);
 * `--packet-size` must be ≥ 1024; over a VPN route (WireGuard: point-to-point, MTU < 1500) Moonlight detects the VPN
 * and streams in REMOTE mode with 1024-byte packets; an explicit `--packet-size` switches it to LOCAL mode (full
 * bitrate, DSCP/QoS tagging, which some ISP equipment drops). Without VPN detection Moonlight's default is 1392.
 */
import { MOONLIGHT_VIDEO_IPV4_OVERHEAD, moonlightPacketSize, outerSizeFor } from '../net/packet-size';

export const MOONLIGHT_MIN_PACKET = 1024;
export const MOONLIGHT_DEFAULT_PACKET = 1392;
/** The smallest path MTU (IPv4 total length) that carries a 1024-byte Moonlight packet. */
export const MIN_PATH_MTU = MOONLIGHT_MIN_PACKET + MOONLIGHT_VIDEO_IPV4_OVERHEAD;

export interface PacketSizeInputs {
  /** Largest IPv4 packet (total length) measured across the tunnel; null when not measured. */
  pathMtu: number | null;
  /** The artist opted into "maximum packet size". */
  optIn: boolean;
  /** Moonlight will detect the route as a VPN (true for a WireGuard tunnel: point-to-point, MTU < 1500). */
  vpnDetectionApplies: boolean;
}

export interface PacketSizeDecision {
  /** The largest size that fits, or null when the path MTU is unknown. */
  maxPacketSize: number | null;
  /** The value passed as `--packet-size`, or null (Moonlight decides). */
  packetSize: number | null;
  blocked: boolean;
  /** What Moonlight will do, in words for the artist. */
  explanation: string;
  /** The fix when blocked. */
  fix?: string;
}

export function decidePacketSize(inp: PacketSizeInputs): PacketSizeDecision {
  if (inp.pathMtu === null) {
    return {
      maxPacketSize: null,
      packetSize: null,
      blocked: false,
      explanation: inp.optIn
        ? 'The tunnel\'s path MTU was not measured, so no maximum packet size can be set safely; Moonlight chooses (1024-byte packets over a VPN).'
        : 'Moonlight chooses the packet size (1024 bytes over a VPN).',
    };
  }
  const max = moonlightPacketSize(inp.pathMtu);
  if (max < MOONLIGHT_MIN_PACKET) {
    return {
      maxPacketSize: max,
      packetSize: null,
      blocked: true,
      explanation: `The tunnel carries packets of at most ${inp.pathMtu} bytes; Moonlight's smallest video packet needs ${MIN_PATH_MTU} (1024 bytes + 44 bytes of headers). No Moonlight packet size fits.`,
      fix: `Set the tunnel MTU to ${inp.pathMtu} so other traffic stops stalling, and connect from a network whose path to the gateway carries at least ${outerSizeFor(MIN_PATH_MTU)}-byte packets (IT: check the uplink, PPPoE or mobile-network MTU, or clamp MSS on the gateway).`,
    };
  }
  if (inp.optIn) {
    return {
      maxPacketSize: max,
      packetSize: max,
      blocked: false,
      explanation: `Passing --packet-size ${max} (the largest that fits a ${inp.pathMtu}-byte path). This also switches Moonlight to its LAN mode: full bitrate and QoS (DSCP) tagging, which some ISP equipment drops — turn it off if the stream stutters.`,
    };
  }
  if (!inp.vpnDetectionApplies && max < MOONLIGHT_DEFAULT_PACKET) {
    return {
      maxPacketSize: max,
      packetSize: max,
      blocked: false,
      explanation: `Moonlight would not see this route as a VPN and would send ${MOONLIGHT_DEFAULT_PACKET}-byte packets, which do not fit the ${inp.pathMtu}-byte path; passing --packet-size ${max}.`,
    };
  }
  return {
    maxPacketSize: max,
    packetSize: null,
    blocked: false,
    explanation: inp.vpnDetectionApplies
      ? `Moonlight detects the tunnel as a VPN and uses 1024-byte packets (fits; up to ${max} would). Turn on "maximum packet size" to send ${max}-byte packets.`
      : `Moonlight's default ${MOONLIGHT_DEFAULT_PACKET}-byte packets fit the ${inp.pathMtu}-byte path.`,
  };
}
