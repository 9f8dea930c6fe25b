/**
 * The shareable view of the effective policy (`longhaul policy list --json`, and the support report): values with
 * their source and lock, refused sources with reasons, unknown keys. Paths to secrets (site bundles hold keys) are
 * replaced by a placeholder, and every string passes the secret redactor. Environment: plain Node.
 */
import { globalRedactor, type Redactor } from '../log/redact';
import { POLICY_KEYS, type EffectivePolicy } from './policy';

export const REDACTED_PATH = '[REDACTED-PATH]';

export interface PolicyListing {
  values: { key: string; value: unknown; source: string; locked: boolean }[];
  refused: { source: string; reason: string }[];
  unknownKeys: { source: string; key: string }[];
}

function redactValue(key: keyof typeof POLICY_KEYS, value: unknown, redactor: Redactor): unknown {
  if (POLICY_KEYS[key].redact) {
    if (Array.isArray(value)) return value.map(() => REDACTED_PATH);
    if (typeof value === 'string') return REDACTED_PATH;
  }
  return redactor.redactValue(value);
}

export function policyListing(eff: EffectivePolicy, redactor: Redactor = globalRedactor): PolicyListing {
  return {
    values: eff.values.map((v) => ({ key: v.key, value: redactValue(v.key, v.value, redactor), source: v.source, locked: v.locked })),
    refused: eff.refused.map((r) => ({ source: r.source, reason: redactor.redact(r.reason) })),
    unknownKeys: eff.unknownKeys.map((u) => ({ source: u.source, key: redactor.redact(u.key) })),
  };
}
