/**
 * The registry source. No `reg query` recording exists here: the parser is tested on the output shape documented by
 * Microsoft (reg query reference, registry value types) and reproduced by Wine's reg.exe — see registry.ts (UNVERIFIED).
 * The sources themselves read through the in-process `RegistryReader` interface.
 */
import { describe, expect, it } from 'vitest';
import { policyFindings } from '../../../src-main/core/policy/findings';
import { readPolicy } from '../../../src-main/core/policy/policy';
import { parseRegQueryOutput, regQueryCommand, POLICY_SUBKEY, type RegistryReader, type RegistryValue } from '../../../src-main/core/policy/registry';
import { createRegistrySource, registryValuesToResult, rejoinPathList } from '../../../src-main/core/policy/registry-source';
import { createOsPolicySources } from '../../../src-main/core/policy/sources';
import { createRunner } from '../../../src-main/core/platform/runner';
import { SAMPLE_KEY } from './helpers';

const HKLM_OUTPUT = [
  '',
  'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Longhaul',
  '    managedByName    REG_SZ    Northlight VFX IT',
  '    requireGate    REG_DWORD    0x1',
  '    autoConnect    REG_DWORD    0x0',
  '    checkIntervalSec    REG_DWORD    0x12c',
  '    sites    REG_MULTI_SZ    C:\\ProgramData\\Longhaul\\Sites\\london.zip\\0\\\\fs01\\it\\Sites\\paris',
  '    supportUrl    REG_SZ    https://help.northlight.example/longhaul',
  '',
  'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Longhaul\\Extra',
  '    ignored    REG_SZ    x',
  '',
].join('\r\n');

describe('reg query output parser (documented shapes, UNVERIFIED)', () => {
  it('parses REG_SZ, REG_DWORD (0x hex) and REG_MULTI_SZ (\\0-separated), ignoring subkeys', () => {
    expect(parseRegQueryOutput(HKLM_OUTPUT)).toEqual<RegistryValue[]>([
      { name: 'managedByName', type: 'REG_SZ', data: 'Northlight VFX IT' },
      { name: 'requireGate', type: 'REG_DWORD', data: 1 },
      { name: 'autoConnect', type: 'REG_DWORD', data: 0 },
      { name: 'checkIntervalSec', type: 'REG_DWORD', data: 300 },
      { name: 'sites', type: 'REG_MULTI_SZ', data: ['C:\\ProgramData\\Longhaul\\Sites\\london.zip', '\\\\fs01\\it\\Sites\\paris'] },
      { name: 'supportUrl', type: 'REG_SZ', data: 'https://help.northlight.example/longhaul' },
    ]);
  });

  it('keeps names and data with spaces, empty strings, QWORD, EXPAND_SZ and unknown types', () => {
    const out = [
      'HKEY_CURRENT_USER\\SOFTWARE\\Policies\\Longhaul',
      '    Managed By Name    REG_SZ    Studio One IT   ',
      '    empty    REG_SZ    ',
      '    emptyList    REG_MULTI_SZ    ',
      '    big    REG_QWORD    0x100000000',
      '    path    REG_EXPAND_SZ    %ProgramData%\\Longhaul',
      '    blob    REG_BINARY    0A0B',
      '    (Default)    REG_SZ    (value not set)',
    ].join('\n');
    expect(parseRegQueryOutput(out)).toEqual([
      { name: 'Managed By Name', type: 'REG_SZ', data: 'Studio One IT' },
      { name: 'empty', type: 'REG_SZ', data: '' },
      { name: 'emptyList', type: 'REG_MULTI_SZ', data: [] },
      { name: 'big', type: 'REG_QWORD', data: 4294967296 },
      { name: 'path', type: 'REG_EXPAND_SZ', data: '%ProgramData%\\Longhaul' },
      { name: 'blob', type: 'other', rawType: 'REG_BINARY', data: '0A0B' },
      { name: '(Default)', type: 'REG_SZ', data: '(value not set)' },
    ]);
  });

  it('builds `reg query HIVE\\SOFTWARE\\Policies\\Longhaul`, with reg.exe from %SystemRoot% when known', () => {
    expect(regQueryCommand('HKLM', POLICY_SUBKEY, 'C:\\Windows')).toEqual({
      program: 'C:\\Windows\\System32\\reg.exe',
      args: ['query', 'HKLM\\SOFTWARE\\Policies\\Longhaul'],
    });
    expect(regQueryCommand('HKCU', POLICY_SUBKEY)).toEqual({ program: 'reg', args: ['query', 'HKCU\\SOFTWARE\\Policies\\Longhaul'] });
  });

  it('re-joins list pieces split at a literal \\0 inside a path', () => {
    expect(rejoinPathList(['C:\\Sites', '001.zip', 'D:\\b.zip'])).toEqual(['C:\\Sites\\0001.zip', 'D:\\b.zip']);
  });
});

/** An in-process reader over fixed hives (the interface the Windows source uses). */
function reader(hives: Partial<Record<'HKLM' | 'HKCU', RegistryValue[]>>): RegistryReader {
  return { readValues: async (hive) => hives[hive] ?? null };
}

describe('registry policy sources', () => {
  it('maps value types onto keys case-insensitively', () => {
    const res = registryValuesToResult('HKLM', parseRegQueryOutput(HKLM_OUTPUT));
    expect(res).toEqual({
      status: 'ok',
      unknownKeys: [],
      values: {
        managedByName: 'Northlight VFX IT',
        requireGate: true,
        autoConnect: false,
        checkIntervalSec: 300,
        sites: ['C:\\ProgramData\\Longhaul\\Sites\\london.zip', '\\\\fs01\\it\\Sites\\paris'],
        supportUrl: 'https://help.northlight.example/longhaul',
      },
    });
    expect(registryValuesToResult('x', [{ name: 'REQUIREGATE', type: 'REG_DWORD', data: 1 }])).toMatchObject({ values: { requireGate: true } });
  });

  it.each<[string, RegistryValue, RegExp]>([
    ['a boolean as REG_SZ', { name: 'requireGate', type: 'REG_SZ', data: '1' }, /"requireGate" is REG_SZ, expected REG_DWORD 0 or 1/],
    ['a boolean DWORD other than 0/1', { name: 'autoConnect', type: 'REG_DWORD', data: 2 }, /"autoConnect" is REG_DWORD 2, expected REG_DWORD 0 or 1/],
    ['a list as REG_SZ', { name: 'sites', type: 'REG_SZ', data: 'C:\\a.zip' }, /expected REG_MULTI_SZ/],
    ['a URL as REG_EXPAND_SZ', { name: 'supportUrl', type: 'REG_EXPAND_SZ', data: 'https://x' }, /expected REG_SZ/],
    ['an http support upload URL', { name: 'supportUploadUrl', type: 'REG_SZ', data: 'http://x.example/' }, /https:\/\//],
  ])('refuses the whole hive for %s', (_l, bad, why) => {
    const values: RegistryValue[] = [{ name: 'managedByName', type: 'REG_SZ', data: 'IT' }, bad];
    const res = registryValuesToResult('HKLM\\SOFTWARE\\Policies\\Longhaul', values);
    expect(res.status).toBe('refused');
    if (res.status === 'refused') expect(res.reason).toMatch(why);
  });

  it('reports unknown values and refuses inline keys in them', () => {
    expect(registryValuesToResult('h', [{ name: 'telemetry', type: 'REG_DWORD', data: 0 }])).toEqual({ status: 'ok', values: {}, unknownKeys: ['telemetry'] });
    const res = registryValuesToResult('h', [{ name: 'PrivateKey', type: 'REG_SZ', data: SAMPLE_KEY }]);
    expect(res.status).toBe('refused');
    const res2 = registryValuesToResult('h', [{ name: 'note', type: 'REG_MULTI_SZ', data: ['a', `PresharedKey = ${SAMPLE_KEY}`] }]);
    expect(res2.status).toBe('refused');
  });

  it('HKLM wins over HKCU key by key; HKCU fills the rest; a missing hive is absent', async () => {
    const sources = [
      createRegistrySource('HKLM', reader({ HKLM: [{ name: 'requireGate', type: 'REG_DWORD', data: 1 }] })),
      createRegistrySource('HKCU', reader({ HKCU: [{ name: 'requireGate', type: 'REG_DWORD', data: 0 }, { name: 'autoConnect', type: 'REG_DWORD', data: 1 }] })),
    ];
    const eff = await readPolicy(sources);
    expect(eff.values.find((v) => v.key === 'requireGate')).toMatchObject({ value: true, source: 'HKLM\\SOFTWARE\\Policies\\Longhaul', locked: true });
    expect(eff.values.find((v) => v.key === 'autoConnect')).toMatchObject({ value: true, source: 'HKCU\\SOFTWARE\\Policies\\Longhaul', locked: true });
    const none = await readPolicy([createRegistrySource('HKLM', reader({}))]);
    expect(none.refused).toEqual([]);
    expect(none.values.every((v) => !v.locked)).toBe(true);
  });

  it('a refused HKLM does not block HKCU, and is reported', async () => {
    const eff = await readPolicy([
      createRegistrySource('HKLM', reader({ HKLM: [{ name: 'requireGate', type: 'REG_SZ', data: 'yes' }] })),
      createRegistrySource('HKCU', reader({ HKCU: [{ name: 'autoConnect', type: 'REG_DWORD', data: 1 }] })),
    ]);
    expect(eff.policy.requireGate).toBe(false);
    expect(eff.policy.autoConnect).toBe(true);
    expect(eff.refused).toEqual([{ source: 'HKLM\\SOFTWARE\\Policies\\Longhaul', reason: expect.stringMatching(/"requireGate" is REG_SZ/) }]);
  });

  it('createOsPolicySources on win32 yields HKLM then HKCU', () => {
    const names = createOsPolicySources('win32', createRunner(), { env: {}, registry: reader({}) }).map((s) => s.name);
    expect(names).toEqual(['HKLM\\SOFTWARE\\Policies\\Longhaul', 'HKCU\\SOFTWARE\\Policies\\Longhaul']);
  });
});

describe('policy findings', () => {
  it('one policy.source-refused finding per refused source, naming source and reason', async () => {
    const eff = await readPolicy([createRegistrySource('HKLM', reader({ HKLM: [{ name: 'requireGate', type: 'REG_SZ', data: 'yes' }] }))]);
    const [f, ...rest] = policyFindings(eff);
    expect(rest).toEqual([]);
    expect(f?.code).toBe('policy.source-refused');
    expect(f?.severity).toBe('warning');
    expect(f?.detail).toContain('HKLM\\SOFTWARE\\Policies\\Longhaul');
    expect(f?.detail).toMatch(/"requireGate" is REG_SZ/);
  });
});
