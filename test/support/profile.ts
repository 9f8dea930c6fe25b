/**
 * One WireGuard profile builder for tests: fresh, valid keys (core/profiles/keys.ts: X25519, canonical base64) and the
 * profile text wg-quick reads, with the fields a test varies. Environment: plain Node (vitest).
 */
import { publicKeyOf } from '../../src-main/core/profiles/keys';
import { randomKey } from './keys';

export interface ProfileSpec {
  /** The [Interface] address, e.g. `10.9.0.2/32`. */
  address: string;
  /** `ip:port` of the peer. */
  endpoint: string;
  allowedIPs: string;
  dns?: string;
  /** Extra [Interface] lines (hooks, MTU, Table), each ending in a newline. */
  extra?: string;
  /** A blank line before [Peer] (as most files IT hands out have). */
  blankBeforePeer?: boolean;
}

export interface BuiltProfile {
  text: string;
  /** The profile's private key (tests assert it never leaves). */
  key: string;
  /** The peer's public key. */
  peer: string;
}

export function buildProfile(spec: ProfileSpec): BuiltProfile {
  const key = randomKey();
  const peer = publicKeyOf(randomKey());
  const iface = [`[Interface]`, `PrivateKey = ${key}`, `Address = ${spec.address}`, ...(spec.dns ? [`DNS = ${spec.dns}`] : [])].join('\n') + '\n';
  const sep = spec.extra ? spec.extra + (spec.blankBeforePeer === false ? '' : '\n') : spec.blankBeforePeer === false ? '' : '\n';
  const text = `${iface}${sep}[Peer]\nPublicKey = ${peer}\nEndpoint = ${spec.endpoint}\nAllowedIPs = ${spec.allowedIPs}\n`;
  return { text, key, peer };
}
