/** Fresh WireGuard (X25519) key pairs for e2e profiles, made with node:crypto — never checked in. */
import * as crypto from 'node:crypto';

const b64 = (b64url: string) => Buffer.from(b64url, 'base64url').toString('base64');

export function wgKeyPair(): { privateKey: string; publicKey: string } {
  const { privateKey } = crypto.generateKeyPairSync('x25519');
  const jwk = privateKey.export({ format: 'jwk' }) as { d: string; x: string };
  return { privateKey: b64(jwk.d), publicKey: b64(jwk.x) };
}

export function profileText(opts: { address?: string; endpoint?: string; dns?: string } = {}) {
  const me = wgKeyPair();
  const peer = wgKeyPair();
  const text = [
    '[Interface]',
    `PrivateKey = ${me.privateKey}`,
    `Address = ${opts.address ?? '10.77.0.2/32'}`,
    `DNS = ${opts.dns ?? '10.77.0.1'}`,
    '',
    '[Peer]',
    `PublicKey = ${peer.publicKey}`,
    'AllowedIPs = 10.77.0.0/24',
    `Endpoint = ${opts.endpoint ?? '192.0.2.10:51820'}`,
    'PersistentKeepalive = 25',
    '',
  ].join('\n');
  return { text, me, peer };
}
