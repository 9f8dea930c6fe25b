/**
 * One throw-away WireGuard key for tests: a fresh X25519 private key from core/profiles/keys.ts (canonical 44-character
 * base64 of 32 bytes; valid as a private, public or preshared key), never a second generator. Tests whose point is
 * particular bytes keep their literal keys (test/unit/profiles/keys.ts). Environment: plain Node (vitest).
 */
import { generatePrivateKey } from '../../src-main/core/profiles/keys';

export function randomKey(): string {
  return generatePrivateKey();
}
