/** Throwaway WireGuard (Curve25519) key pairs for the lab, from Node's crypto (no `wg genkey` child). */
import { generateKeyPairSync } from 'node:crypto';

export interface KeyPair {
  privateKey: string;
  publicKey: string;
}

function b64(jwkField: string | undefined): string {
  if (!jwkField) throw new Error('x25519 export failed');
  return Buffer.from(jwkField, 'base64url').toString('base64');
}

export function generateKeyPair(): KeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('x25519');
  return { privateKey: b64(privateKey.export({ format: 'jwk' }).d), publicKey: b64(publicKey.export({ format: 'jwk' }).x) };
}
