/**
 * Secret redaction applied at write time by the logger (and reused by the process runner and, later, the report
 * anonymiser). Environment: any.
 *
 * What is removed:
 *  - every value registered with `addSecret` (the private and preshared keys Longhaul itself holds), wherever it
 *    appears, including inside longer strings and raw command output;
 *  - any 44-character base64 WireGuard key that follows `PrivateKey` / `PresharedKey` (config syntax `Key = v`,
 *    JSON `"privateKey":"v"`);
 *  - every other key-shaped token (43 base64 characters and `=`, in any letter case, glued to other text or not)
 *    unless it is a known public key: one registered with `addPublicKey` (the parser registers the peers' keys and the
 *    public key it derives), or the whole value of a field named `publicKey` (`peerPublicKey`, …) in `redactValue`.
 *    A key cannot be told from a public key by its shape, so an unknown one is treated as secret (docs/report.md).
 */

export const REDACTED_KEY = '[REDACTED-KEY]';

/** A canonical WireGuard key: 32 bytes in standard base64 = 43 characters + one '=' (last char from a 16-set). */
export const WG_KEY_PATTERN = '[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=';

const KEY_AFTER_NAME = new RegExp(
  `((?:private|preshared)[ _-]?key["']?\\s*[:=]\\s*["']?)([A-Za-z0-9+/]{43}=)`,
  'gi',
);

/**
 * A base64 run of 43+ characters ending in `=`: its last 44 characters are key-shaped (a key glued to a name, like
 * `privatekey:KEY` compacted to `privatekeyKEY`, is still found). Matched from the start of a run only, so the scan
 * is linear (trying every offset inside a long run would be 43 steps per character).
 */
const KEY_SHAPED = /(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{43,}=/g;
const WHOLE_KEY = /^[A-Za-z0-9+/]{43}=$/;
/** Field names whose whole value is a public key by construction (`publicKey`, `peerPublicKey`, `public_key`). */
export const PUBLIC_KEY_FIELD = /public[ _-]?key$/i;

export interface RedactOptions {
  /** Which key-shaped tokens are known public keys (default: the ones registered with this redactor). */
  isPublicKey?: (token: string) => boolean;
  /** What a key-shaped token that is not a registered secret becomes (default: kept when public, else REDACTED_KEY). */
  replaceKey?: (token: string) => string;
}

export class Redactor {
  private readonly secrets = new Set<string>();
  private readonly publicKeys = new Set<string>();

  /** Register a secret value (e.g. a private key) so it is removed wherever it appears. */
  addSecret(value: string): void {
    const v = value.trim();
    if (v.length >= 8) this.secrets.add(v);
  }

  /** Register a known public key (kept by `redact`); never one registered as a secret. */
  addPublicKey(value: string): void {
    const v = value.trim();
    if (WHOLE_KEY.test(v) && !this.secrets.has(v)) this.publicKeys.add(v);
  }

  isPublicKey(token: string): boolean {
    return this.publicKeys.has(token) && !this.secrets.has(token);
  }

  get secretCount(): number {
    return this.secrets.size;
  }

  redact(text: string, opts: RedactOptions = {}): string {
    let out = text;
    for (const s of this.secrets) {
      if (out.includes(s)) out = out.split(s).join(REDACTED_KEY);
    }
    out = out.replace(KEY_AFTER_NAME, (_m, prefix: string) => `${prefix}${REDACTED_KEY}`);
    const isPublic = opts.isPublicKey ?? ((t: string) => this.isPublicKey(t));
    const replace = opts.replaceKey ?? ((t: string) => (isPublic(t) ? t : REDACTED_KEY));
    // A longer run keeps nothing of its head: the key's 44 characters go, and so does what was glued to them.
    return out.replace(KEY_SHAPED, (run) => (run.length === 44 ? replace(run) : REDACTED_KEY));
  }

  /** A field named like a public key holding exactly one key that is not a secret: kept as it is. */
  isPublicKeyField(key: string | undefined, value: string): boolean {
    return key !== undefined && PUBLIC_KEY_FIELD.test(key) && WHOLE_KEY.test(value) && !this.secrets.has(value);
  }

  /** Deep-redact any JSON-like value (strings anywhere inside objects and arrays; keys named like secrets dropped). */
  redactValue<T>(value: T): T {
    return this.walk(value, undefined) as T;
  }

  private walk(value: unknown, key: string | undefined): unknown {
    if (key !== undefined && /^(private|preshared)[ _-]?key$/i.test(key) && typeof value === 'string') {
      return REDACTED_KEY;
    }
    if (typeof value === 'string') return this.isPublicKeyField(key, value) ? value : this.redact(value);
    if (Array.isArray(value)) return value.map((v) => this.walk(v, undefined));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = this.walk(v, k);
      return out;
    }
    return value;
  }
}

/** The process-wide redactor: the logger, the runner and the report share it so a key registered once is gone everywhere. */
export const globalRedactor = new Redactor();
