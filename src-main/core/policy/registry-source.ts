/**
 * One registry hive's `SOFTWARE\Policies\Longhaul` as a policy source. Value types per key (what the ADMX template
 * writes): booleans REG_DWORD 0/1, numbers REG_DWORD, strings REG_SZ, lists REG_MULTI_SZ. A value of the wrong type
 * refuses the whole hive (never half-applied); value names match keys case-insensitively, as the registry does.
 * Environment: plain Node.
 */
import { POLICY_KEYS, validatePolicyDocument, type PolicyKey, type PolicySource, type PolicySourceResult } from './policy';
import { POLICY_SUBKEY, type RegistryHive, type RegistryReader, type RegistryValue } from './registry';

type Kind = 'bool' | 'int' | 'string' | 'list';

/** The registry shape of every key; the `satisfies` makes a new key in POLICY_KEYS fail to compile until it is listed. */
export const REGISTRY_KINDS = {
  sites: 'list',
  allowScripts: 'bool',
  allowUserProfiles: 'bool',
  requireGate: 'bool',
  autoConnect: 'bool',
  checkIntervalSec: 'int',
  supportUploadUrl: 'string',
  managedByName: 'string',
  supportUrl: 'string',
  mtuOverrideLocked: 'bool',
  capacityTest: 'string',
  capacityByteBudgetMB: 'int',
} as const satisfies Record<PolicyKey, Kind>;

const EXPECTED: Record<Kind, string> = {
  bool: 'REG_DWORD 0 or 1',
  int: 'REG_DWORD',
  string: 'REG_SZ',
  list: 'REG_MULTI_SZ',
};

const WINDOWS_ABSOLUTE = /^(?:[A-Za-z]:[\\/]|\\\\)/;

/** Undo the `\0` ambiguity of reg.exe's text output: a piece that is not an absolute path belongs to the previous one. */
export function rejoinPathList(pieces: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of pieces) {
    if (out.length > 0 && !WINDOWS_ABSOLUTE.test(p) && !p.startsWith('/')) out[out.length - 1] += `\\0${p}`;
    else out.push(p);
  }
  return out;
}

function convert(kind: Kind, v: RegistryValue): { ok: true; value: unknown } | { ok: false } {
  switch (kind) {
    case 'bool':
      return v.type === 'REG_DWORD' && (v.data === 0 || v.data === 1) ? { ok: true, value: v.data === 1 } : { ok: false };
    case 'int':
      return v.type === 'REG_DWORD' || v.type === 'REG_QWORD' ? { ok: true, value: v.data } : { ok: false };
    case 'string':
      return v.type === 'REG_SZ' ? { ok: true, value: v.data } : { ok: false };
    case 'list':
      return v.type === 'REG_MULTI_SZ' ? { ok: true, value: rejoinPathList(v.data) } : { ok: false };
  }
}

/** Registry values → a policy document (or a refusal naming the value, its type and the expected type). */
export function registryValuesToResult(name: string, values: readonly RegistryValue[]): PolicySourceResult {
  const byLower = new Map((Object.keys(POLICY_KEYS) as PolicyKey[]).map((k) => [k.toLowerCase(), k]));
  const doc: Record<string, unknown> = {};
  for (const v of values) {
    if (v.name === '(Default)' || v.name === '') continue;
    const key = byLower.get(v.name.toLowerCase());
    if (!key) {
      // Unknown: kept with its raw data so the inline-key scan and the unknown-key report see it.
      doc[v.name] = v.data;
      continue;
    }
    const kind = REGISTRY_KINDS[key];
    const got = convert(kind, v);
    if (!got.ok) {
      const actual = v.type === 'other' ? v.rawType : v.type;
      const shown = kind === 'bool' && v.type === 'REG_DWORD' ? ` ${v.data}` : '';
      return {
        status: 'refused',
        reason: `${name}: value "${v.name}" is ${actual}${shown}, expected ${EXPECTED[kind]}; fix it with the ADMX template or reg add … /t ${EXPECTED[kind].split(' ')[0]}`,
      };
    }
    doc[key] = got.value;
  }
  const result = validatePolicyDocument(doc);
  return result.status === 'refused' ? { status: 'refused', reason: `${name}: ${result.reason}` } : result;
}

export function createRegistrySource(hive: RegistryHive, reader: RegistryReader): PolicySource {
  const name = `${hive}\\${POLICY_SUBKEY}`;
  return {
    name,
    async read() {
      const values = await reader.readValues(hive, POLICY_SUBKEY);
      if (values === null) return { status: 'absent' };
      return registryValuesToResult(name, values);
    },
  };
}
