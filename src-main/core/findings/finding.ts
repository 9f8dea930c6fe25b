/**
 * Findings: the product's unit of diagnosis (Tailscale's health model): a stable code, a severity, plain texts, the
 * evidence that proves it, and what it depends on. Environment: any.
 * Build one with `makeFinding`; the shape is declared once, in the contract.
 */
import type { Finding, FindingCode, Severity, Verdict } from '../../contract/diagnosis';
import { FINDING_DEFINITIONS } from './definitions';
import { TEXTS_EN, type FindingText } from './texts.en';

/** The one Finding shape is the contract's (`contract/diagnosis.ts` FindingSchema). */
export type { Finding, FindingCode, Severity, Verdict } from '../../contract/diagnosis';

export type Catalogue = Record<FindingCode, FindingText>;

export type FindingParams = Record<string, string | number | boolean | null | undefined>;

/** Fill `{name}` placeholders; an unknown placeholder stays visible (a missing param is a bug to notice, not hide). */
export function fillTemplate(template: string, params: FindingParams): string {
  return template.replace(/\{([a-zA-Z][a-zA-Z0-9]*)\}/g, (whole, name: string) => {
    const v = params[name];
    return v === undefined || v === null ? whole : String(v);
  });
}

export function makeFinding(
  code: FindingCode,
  params: FindingParams = {},
  evidence: Record<string, unknown> = {},
  catalogue: Catalogue = TEXTS_EN,
): Finding {
  const def = FINDING_DEFINITIONS[code];
  const text = catalogue[code];
  return {
    code,
    severity: def.severity,
    title: fillTemplate(text.title, params),
    detail: fillTemplate(text.detail, params),
    fix: fillTemplate(text.fix, params),
    evidence,
    dependsOn: [...def.dependsOn],
  };
}

/** Drop every finding that depends (directly or through a chain) on another finding present in the list. */
export function suppressDependents<F extends Finding>(findings: readonly F[]): F[] {
  const present = new Set(findings.map((f) => f.code));
  const blocked = (code: FindingCode, seen: Set<FindingCode>): boolean => {
    for (const dep of FINDING_DEFINITIONS[code].dependsOn as readonly FindingCode[]) {
      if (seen.has(dep)) continue;
      if (present.has(dep)) return true;
      seen.add(dep);
      if (blocked(dep, seen)) return true;
    }
    return false;
  };
  return findings.filter((f) => !blocked(f.code, new Set([f.code])));
}

export function verdictOf(findings: readonly Pick<Finding, 'severity'>[]): Verdict {
  if (findings.some((f) => f.severity === 'error')) return 'broken';
  if (findings.some((f) => f.severity === 'warning')) return 'degraded';
  return 'healthy';
}

const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
export function sortFindings<F extends Finding>(findings: readonly F[]): F[] {
  return [...findings].sort((a, b) => ORDER[a.severity] - ORDER[b.severity] || a.code.localeCompare(b.code));
}
