/** The IT templates under resources/policy: well-formed, complete (every key), and accepted by our own parsers. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { build, parse } from 'plist';
import { describe, expect, it } from 'vitest';
import { APP_ID } from '../../../src-main/core/app/identity';
import { parsePolicyJson } from '../../../src-main/core/policy/json-source';
import { parsePolicyPlist } from '../../../src-main/core/policy/plist-source';
import { POLICY_KEYS, type PolicyKey } from '../../../src-main/core/policy/policy';
import { REGISTRY_KINDS } from '../../../src-main/core/policy/registry-source';

const root = path.resolve(__dirname, '../../..');
const read = (p: string) => fs.readFileSync(path.join(root, p), 'utf8');
const KEYS = Object.keys(POLICY_KEYS) as PolicyKey[];
const XML_FILES = [
  'resources/policy/windows/Longhaul.admx',
  'resources/policy/windows/en-US/Longhaul.adml',
  'resources/policy/longhaul.mobileconfig',
  'resources/mac/entitlements.mac.plist',
];

describe('policy templates', () => {
  it.each(XML_FILES)('%s is well-formed XML', (file) => {
    expect(XMLValidator.validate(read(file))).toBe(true);
  });

  it('the sample policy.json sets every key and is accepted as is', () => {
    const res = parsePolicyJson('resources/policy/policy.json', read('resources/policy/policy.json'));
    expect(res).toMatchObject({ status: 'ok', unknownKeys: [] });
    if (res.status === 'ok') expect(Object.keys(res.values).sort()).toEqual([...KEYS].sort());
  });

  it('the sample .mobileconfig targets the appId and its payload is accepted with every key', () => {
    const profile = parse(read('resources/policy/longhaul.mobileconfig')) as Record<string, unknown>;
    expect(profile.PayloadType).toBe('Configuration');
    expect(profile.PayloadScope).toBe('System');
    const [payload] = profile.PayloadContent as Record<string, unknown>[];
    expect(payload?.PayloadType).toBe(APP_ID);
    const res = parsePolicyPlist('mobileconfig payload', build(payload as Parameters<typeof build>[0]));
    expect(res).toMatchObject({ status: 'ok', unknownKeys: [] });
    if (res.status === 'ok') expect(Object.keys(res.values).sort()).toEqual([...KEYS].sort());
  });

  it('the ADMX defines every key with the registry type the reader expects, and the ADML has every string', () => {
    const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['policy', 'string', 'presentation'].includes(name) });
    const admx = parser.parse(read('resources/policy/windows/Longhaul.admx'));
    const adml = parser.parse(read('resources/policy/windows/en-US/Longhaul.adml'));
    const policies: Record<string, unknown>[] = admx.policyDefinitions.policies.policy;
    expect(policies.map((p) => p.name).sort()).toEqual([...KEYS].sort());
    const element = { bool: 'enabledValue', int: 'decimal', string: 'text', list: 'multiText' } as const;
    for (const p of policies) {
      const key = p.name as PolicyKey;
      expect(p.key).toBe('Software\\Policies\\Longhaul');
      expect(p.class).toBe('Both');
      const kind = REGISTRY_KINDS[key];
      if (kind === 'bool') {
        expect(p.valueName).toBe(key);
        expect(p.enabledValue).toEqual({ decimal: { value: '1' } });
        expect(p.disabledValue).toEqual({ decimal: { value: '0' } });
      } else {
        const el = (p.elements as Record<string, { valueName: string }>)[element[kind]];
        expect(el?.valueName, key).toBe(key);
      }
    }
    const strings = new Set(adml.policyDefinitionResources.resources.stringTable.string.map((s: { id: string }) => s.id));
    const presentations = new Set(adml.policyDefinitionResources.resources.presentationTable.presentation.map((s: { id: string }) => s.id));
    const text = read('resources/policy/windows/Longhaul.admx');
    for (const [, id] of text.matchAll(/\$\(string\.([A-Za-z0-9_]+)\)/g)) expect(strings.has(id), id).toBe(true);
    for (const [, id] of text.matchAll(/\$\(presentation\.([A-Za-z0-9_]+)\)/g)) expect(presentations.has(id), id).toBe(true);
  });
});

describe('docs/policy.md', () => {
  it('documents every key with type, default and example', () => {
    const doc = read('docs/policy.md');
    for (const key of KEYS) {
      const section = doc.split(`### \`${key}\``)[1]?.split('\n### ')[0];
      expect(section, key).toBeDefined();
      expect(section).toMatch(/\*\*Type:\*\*/);
      expect(section).toMatch(/\*\*Default:\*\*/);
      expect(section).toMatch(/\*\*Example:\*\*/);
    }
    expect(doc).toMatch(/no telemetry/i);
  });
});
