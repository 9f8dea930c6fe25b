/**
 * Managed policy: the keys IT can set, their defaults, and the reader that merges sources (highest precedence first).
 * Environment: plain Node. The OS sources (registry, managed preferences, /etc/longhaul/policy.json) plug in as
 * `PolicySource`s; this module knows nothing about where values come from.
 *
 * Around it: `sources.ts` (the sources of each OS, `createOsPolicySources`), `reader.ts` (what the app and CLI use),
 * `json-source.ts` / `plist-source.ts` / `registry*.ts` (one per format), `file-trust.ts` (root-only files),
 * `inline-secrets.ts` (keys are never allowed in a policy), `watcher.ts` (re-read on change and every minute),
 * `provision.ts` (site bundles listed in `sites`), `listing.ts` (the redacted `policy list` view), `findings.ts`.
 * IT documentation: docs/policy.md and docs/deployment.md.
 */
import { z } from 'zod';
import { findInlineSecret } from './inline-secrets';

/** A site bundle path must be absolute on some OS (`/…`, `C:\\…` or a UNC `\\\\server\\share\\…`). */
const absolutePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\'), 'must be an absolute path');

/** Every policy key: schema, default, and whether the value is secret-ish (paths to secrets are redacted in output). */
export const POLICY_KEYS = {
  sites: { schema: z.array(absolutePath).max(64), default: [] as string[], redact: true },
  allowScripts: { schema: z.boolean(), default: false, redact: false },
  allowUserProfiles: { schema: z.boolean(), default: true, redact: false },
  requireGate: { schema: z.boolean(), default: false, redact: false },
  autoConnect: { schema: z.boolean(), default: false, redact: false },
  checkIntervalSec: { schema: z.number().int().min(0).max(86_400), default: 0, redact: false },
  supportUploadUrl: {
    schema: z.string().url().refine((u) => u.startsWith('https://'), 'must be an https:// URL'),
    default: null as string | null,
    redact: false,
  },
  managedByName: { schema: z.string().min(1).max(80), default: null as string | null, redact: false },
  supportUrl: {
    schema: z.string().url().refine((u) => u.startsWith('https://'), 'must be an https:// URL'),
    default: null as string | null,
    redact: false,
  },
  mtuOverrideLocked: { schema: z.boolean(), default: false, redact: false },
  /** Stream fitness (docs/capacity.md): `auto` measures the line before a stream when the site names an iperf3 probe. */
  capacityTest: { schema: z.enum(['auto', 'off']), default: 'auto' as 'auto' | 'off', redact: false },
  /** Payload megabytes (10^6 bytes) one capacity measurement may move. */
  capacityByteBudgetMB: { schema: z.number().int().min(1).max(1000), default: 60, redact: false },
} as const;

export type PolicyKey = keyof typeof POLICY_KEYS;
export type Policy = {
  -readonly [K in PolicyKey]: (typeof POLICY_KEYS)[K]['default'] extends null
    ? z.infer<(typeof POLICY_KEYS)[K]['schema']> | null
    : z.infer<(typeof POLICY_KEYS)[K]['schema']>;
};

export const POLICY_DEFAULTS: Policy = Object.fromEntries(
  Object.entries(POLICY_KEYS).map(([k, v]) => [k, v.default]),
) as Policy;

/** What one source produced: values (already typed), or a refusal of the whole source. */
export type PolicySourceResult =
  | { status: 'absent' }
  | { status: 'ok'; values: Partial<Policy>; unknownKeys: string[] }
  | { status: 'refused'; reason: string };

export interface PolicySource {
  /** Human-readable identity, e.g. `/etc/longhaul/policy.json` or `HKLM\SOFTWARE\Policies\Longhaul`. */
  readonly name: string;
  read(): Promise<PolicySourceResult>;
}

export interface PolicyValue {
  key: PolicyKey;
  value: unknown;
  /** Where the value came from: a source name, or `default`. */
  source: string;
  /** Set by a managed source, so the UI locks the control. */
  locked: boolean;
}

export interface EffectivePolicy {
  policy: Policy;
  values: PolicyValue[];
  refused: { source: string; reason: string }[];
  unknownKeys: { source: string; key: string }[];
}

/**
 * Validate a plain object as a policy document. Whole-or-nothing: any invalid value refuses the source
 * (never half-applied). Unknown keys are reported, not fatal.
 */
export function validatePolicyDocument(doc: unknown): PolicySourceResult {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    return { status: 'refused', reason: 'the policy must be an object of key/value pairs' };
  }
  // Before anything else: an inline key anywhere (even under an unknown key) makes the whole source malformed.
  const secretAt = findInlineSecret(doc);
  if (secretAt) {
    return {
      status: 'refused',
      reason: `an inline WireGuard key (${secretAt}) is not allowed in a policy; deliver keys inside a site bundle readable only by root`,
    };
  }
  const values: Record<string, unknown> = {};
  const unknownKeys: string[] = [];
  for (const [key, raw] of Object.entries(doc as Record<string, unknown>)) {
    if (!Object.prototype.hasOwnProperty.call(POLICY_KEYS, key)) {
      unknownKeys.push(key);
      continue;
    }
    const spec = POLICY_KEYS[key as PolicyKey];
    const parsed = spec.schema.safeParse(raw);
    if (!parsed.success) {
      const why = parsed.error.issues.map((i) => (i.path.length ? `item ${i.path.join('.')}: ` : '') + i.message).join('; ');
      return { status: 'refused', reason: `key "${key}": ${why}` };
    }
    values[key] = parsed.data;
  }
  return { status: 'ok', values: values as Partial<Policy>, unknownKeys };
}

/** Merge sources, highest precedence first, over the defaults. */
export async function readPolicy(sources: readonly PolicySource[]): Promise<EffectivePolicy> {
  const results = await Promise.all(
    sources.map(async (s) => {
      try {
        return { source: s, result: await s.read() };
      } catch (err) {
        return { source: s, result: { status: 'refused', reason: `could not be read: ${(err as Error).message}` } as PolicySourceResult };
      }
    }),
  );
  const policy = { ...POLICY_DEFAULTS } as Record<string, unknown>;
  const origin = new Map<string, string>();
  const refused: EffectivePolicy['refused'] = [];
  const unknownKeys: EffectivePolicy['unknownKeys'] = [];
  // Lowest precedence first, so higher sources overwrite.
  for (const { source, result } of [...results].reverse()) {
    if (result.status === 'refused') refused.unshift({ source: source.name, reason: result.reason });
    if (result.status !== 'ok') continue;
    unknownKeys.unshift(...result.unknownKeys.map((k) => ({ source: source.name, key: k })));
    for (const [k, v] of Object.entries(result.values)) {
      policy[k] = v;
      origin.set(k, source.name);
    }
  }
  const values: PolicyValue[] = (Object.keys(POLICY_KEYS) as PolicyKey[]).map((key) => ({
    key,
    value: policy[key],
    source: origin.get(key) ?? 'default',
    locked: origin.has(key),
  }));
  return { policy: policy as Policy, values, refused, unknownKeys };
}

export interface PolicyReader {
  read(): Promise<EffectivePolicy>;
}

/** The reader used until OS sources are configured: defaults only. */
export function createPolicyReader(sources: readonly PolicySource[] = []): PolicyReader {
  return { read: () => readPolicy(sources) };
}
