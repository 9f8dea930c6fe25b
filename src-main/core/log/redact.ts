/**
 * Secret redaction applied at write time by the logger (and reused by the process runner and, later, the report
 * anonymiser). Environment: any.
 *
 * What is removed:
 *  - any 44-character base64 WireGuard key that follows `PrivateKey` / `PresharedKey` (config syntax `Key = v`,
 *    JSON `"privateKey":"v"`, `wg show` dump columns are handled through known values);
 *  - every value registered with `addSecret` (the private and preshared keys Longhaul itself holds), wherever it
 *    appears, including inside longer strings and raw command output.
 */

export const REDACTED_KEY = '[REDACTED-KEY]';

/** A canonical WireGuard key: 32 bytes in standard base64 = 43 characters + one '=' (last char from a 16-set). */
export const WG_KEY_PATTERN = '[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=';

const KEY_AFTER_NAME = new RegExp(
  `((?:private|preshared)[ _-]?key["']?\\s*[:=]\\s*["']?)([A-Za-z0-9+/]{43}=)`,
  'gi',
);

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Register a secret value (e.g. a private key) so it is removed wherever it appears. */
  addSecret(value: string): void {
    const v = value.trim();
    if (v.length >= 8) this.secrets.add(v);
  }

  get secretCount(): number {
    return this.secrets.size;
  }

  redact(text: string): string {
    let out = text.replace(KEY_AFTER_NAME, (_m, prefix: string) => `${prefix}${REDACTED_KEY}`);
    for (const s of this.secrets) {
      if (out.includes(s)) out = out.split(s).join(REDACTED_KEY);
    }
    return out;
  }

  /** Deep-redact any JSON-like value (strings anywhere inside objects and arrays; keys named like secrets dropped). */
  redactValue<T>(value: T): T {
    return this.walk(value, undefined) as T;
  }

  private walk(value: unknown, key: string | undefined): unknown {
    if (key !== undefined && /^(private|preshared)[ _-]?key$/i.test(key) && typeof value === 'string') {
      return REDACTED_KEY;
    }
    if (typeof value === 'string') return this.redact(value);
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
