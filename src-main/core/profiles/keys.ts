/**
 * WireGuard keys: canonical 44-character standard base64 of 32 bytes (what `wg`'s `key_from_base64` accepts), and the
 * public key derived from a private key (X25519 through node:crypto; X25519 clamps the scalar exactly as WireGuard
 * does). Environment: plain Node.
 */
import * as crypto from 'node:crypto';

const CANONICAL_KEY = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;

const PKCS8_X25519_HEADER = Buffer.from('302e020100300506032b656e04220420', 'hex');

export type KeyProblem = 'format' | 'non-canonical' | 'zero';

/** Null when the key is fine; else why not. */
export function checkKey(value: string): KeyProblem | null {
  if (!/^[A-Za-z0-9+/]{43}=$/.test(value)) return 'format';
  if (!CANONICAL_KEY.test(value)) return 'non-canonical';
  if (Buffer.from(value, 'base64').every((b) => b === 0)) return 'zero';
  return null;
}

export function isValidKey(value: string): boolean {
  return checkKey(value) === null;
}

export function publicKeyOf(privateKeyBase64: string): string {
  const problem = checkKey(privateKeyBase64);
  if (problem) throw new Error(`not a valid WireGuard private key (${problem})`);
  // PKCS#8 wrapping of a raw X25519 scalar (RFC 8410): fixed 16-byte header + 32 key bytes.
  const der = Buffer.concat([PKCS8_X25519_HEADER, Buffer.from(privateKeyBase64, 'base64')]);
  const priv = crypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  const jwk = crypto.createPublicKey(priv).export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new Error('X25519 public key export failed');
  return Buffer.from(jwk.x, 'base64url').toString('base64');
}

/** A fresh private key (tests, demos). */
export function generatePrivateKey(): string {
  const { privateKey } = crypto.generateKeyPairSync('x25519');
  const jwk = privateKey.export({ format: 'jwk' });
  return Buffer.from(String(jwk.d), 'base64url').toString('base64');
}
