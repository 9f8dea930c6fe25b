/**
 * Support ID and hashed machine identifier. Environment: plain Node.
 *  - Support ID: `LH-` + UTC date `YYYYMMDD` + `-` + 8 random lowercase hex characters (crypto.randomBytes).
 *  - Machine id: `node-machine-id`'s `machineIdSync(true)` (the original OS id), hashed with sha256 over an
 *    app-specific salt, so the raw id never leaves this function and the hash cannot be joined with other products'.
 *    Note: node-machine-id reads the id through child_process.execSync (a shell) — the one exception to the
 *    runner rule, taken because the issue names this library; it runs a fixed command with no user input.
 */
import { createHash, randomBytes } from 'node:crypto';
import { machineIdSync } from 'node-machine-id';

export const SUPPORT_ID_PATTERN = /^LH-\d{8}-[0-9a-f]{8}$/;
export const MACHINE_ID_SALT = 'studio.longhaul.client/report/machine-id/v1';

export function newSupportId(now: Date = new Date(), random: (n: number) => Buffer = randomBytes): string {
  const y = now.getUTCFullYear().toString().padStart(4, '0');
  const m = String(now.getUTCMonth() + 1).padStart(2, '0');
  const d = String(now.getUTCDate()).padStart(2, '0');
  return `LH-${y}${m}${d}-${random(4).toString('hex')}`;
}

export function hashMachineId(rawId: string, salt: string = MACHINE_ID_SALT): string {
  return createHash('sha256').update(salt).update('\0').update(rawId.trim().toLowerCase()).digest('hex');
}

/** The salted hash of this machine's id, or null when the OS id cannot be read. */
export function machineIdHash(read: () => string = () => machineIdSync(true)): string | null {
  try {
    const raw = read();
    return raw && raw.trim() ? hashMachineId(raw) : null;
  } catch {
    return null;
  }
}
