/**
 * Findings for the support report and the Diagnostics page: one `policy.source-refused` per refused source, with the
 * reason (already free of secrets: refusal reasons never quote values). Environment: plain Node.
 */
import { makeFinding, type Finding } from '../findings/finding';
import { globalRedactor } from '../log/redact';
import type { EffectivePolicy } from './policy';

export function policyFindings(eff: EffectivePolicy): Finding[] {
  return eff.refused.map((r) => {
    const reason = globalRedactor.redact(r.reason);
    return makeFinding('policy.source-refused', { source: r.source, reason }, { source: r.source, reason });
  });
}
