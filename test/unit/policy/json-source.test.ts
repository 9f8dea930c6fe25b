import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createJsonFileSource, parsePolicyJson } from '../../../src-main/core/policy/json-source';
import { readPolicy } from '../../../src-main/core/policy/policy';
import { globalRedactor } from '../../../src-main/core/log/redact';
import { isRoot, SAMPLE_KEY, tempDir, writeFile } from './helpers';

const GOOD = {
  managedByName: 'Northlight VFX IT',
  supportUrl: 'https://help.northlight.example/longhaul',
  requireGate: true,
  checkIntervalSec: 300,
  sites: ['/etc/longhaul/sites/london-farm.zip'],
};

describe.skipIf(!isRoot)('Linux /etc/longhaul/policy.json source (real files, root)', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = tempDir();
    file = path.join(dir, 'policy.json');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads a root-owned 0644 file and applies its values over the defaults', async () => {
    writeFile(file, JSON.stringify(GOOD, null, 2));
    const eff = await readPolicy([createJsonFileSource(file)]);
    expect(eff.refused).toEqual([]);
    expect(eff.policy.requireGate).toBe(true);
    expect(eff.policy.checkIntervalSec).toBe(300);
    expect(eff.policy.sites).toEqual(['/etc/longhaul/sites/london-farm.zip']);
    expect(eff.values.find((v) => v.key === 'requireGate')).toEqual({ key: 'requireGate', value: true, source: file, locked: true });
    expect(eff.values.find((v) => v.key === 'autoConnect')).toEqual({ key: 'autoConnect', value: false, source: 'default', locked: false });
  });

  it('treats a missing file as no policy (absent, not refused)', async () => {
    expect(await createJsonFileSource(path.join(dir, 'nope.json')).read()).toEqual({ status: 'absent' });
  });

  it.each([
    ['group-writable', 0o664],
    ['world-writable', 0o646],
  ])('refuses a %s file with the reason and the fix', async (_label, mode) => {
    writeFile(file, JSON.stringify(GOOD), mode);
    const res = await createJsonFileSource(file).read();
    expect(res.status).toBe('refused');
    if (res.status === 'refused') {
      expect(res.reason).toContain(file);
      expect(res.reason).toMatch(/writable by group or others/);
      expect(res.reason).toContain('chmod 0644');
    }
    const eff = await readPolicy([createJsonFileSource(file)]);
    expect(eff.policy.requireGate).toBe(false);
    expect(eff.refused).toHaveLength(1);
  });

  it('refuses a file not owned by root', async () => {
    writeFile(file, JSON.stringify(GOOD));
    fs.chownSync(file, 1000, 1000);
    const res = await createJsonFileSource(file).read();
    expect(res).toMatchObject({ status: 'refused' });
    if (res.status === 'refused') expect(res.reason).toMatch(/owned by uid 1000, not root; fix: chown root/);
  });

  it('refuses a file whose directory others can write (they could replace it)', async () => {
    writeFile(file, JSON.stringify(GOOD));
    fs.chmodSync(dir, 0o777);
    const res = await createJsonFileSource(file).read();
    expect(res).toMatchObject({ status: 'refused' });
    if (res.status === 'refused') expect(res.reason).toContain(`its directory ${dir} is writable by group or others`);
    fs.chownSync(dir, 1000, 1000);
    fs.chmodSync(dir, 0o755);
    const res2 = await createJsonFileSource(file).read();
    if (res2.status === 'refused') expect(res2.reason).toContain(`its directory ${dir} is owned by uid 1000`);
    else expect.fail('expected a refusal');
  });

  it('accepts a sticky world-writable ancestor (like /tmp) but follows symlinks to check the real file', async () => {
    const open = path.join(dir, 'open');
    fs.mkdirSync(open, { mode: 0o777 });
    fs.chmodSync(open, 0o777);
    const real = writeFile(path.join(open, 'real.json'), JSON.stringify(GOOD));
    fs.symlinkSync(real, file);
    const res = await createJsonFileSource(file).read();
    expect(res).toMatchObject({ status: 'refused' });
    if (res.status === 'refused') expect(res.reason).toContain(`its directory ${open} is writable`);
    fs.chmodSync(open, 0o1777);
    expect((await createJsonFileSource(file).read()).status).toBe('ok');
  });

  it('ignores a malformed file as a whole, naming the file, the line and the fix', async () => {
    writeFile(file, '{\n  "requireGate": true,\n  "autoConnect": true,\n}\n');
    const res = await createJsonFileSource(file).read();
    expect(res.status).toBe('refused');
    if (res.status === 'refused') {
      expect(res.reason).toContain(file);
      expect(res.reason).toMatch(/not valid JSON: .*line 4 column 1/);
      expect(res.reason).toMatch(/fix the file/);
    }
  });

  it('never half-applies: one invalid value refuses every value of the source', async () => {
    writeFile(file, JSON.stringify({ ...GOOD, supportUploadUrl: 'http://upload.example/' }));
    const eff = await readPolicy([createJsonFileSource(file)]);
    expect(eff.policy.requireGate).toBe(false);
    expect(eff.policy.managedByName).toBeNull();
    expect(eff.refused[0]?.reason).toMatch(/key "supportUploadUrl": .*https:\/\//);
  });

  it('reports unknown keys without failing', async () => {
    writeFile(file, JSON.stringify({ requireGate: true, telemetry: false, AutoConnect: true }));
    const eff = await readPolicy([createJsonFileSource(file)]);
    expect(eff.refused).toEqual([]);
    expect(eff.policy.requireGate).toBe(true);
    expect(eff.unknownKeys).toEqual([
      { source: file, key: 'telemetry' },
      { source: file, key: 'AutoConnect' },
    ]);
  });
});

describe('inline keys make a policy source malformed', () => {
  const cases: [string, unknown][] = [
    ['a PrivateKey member under an unknown key', { managedByName: 'IT', peer: { PrivateKey: SAMPLE_KEY } }],
    ['a preshared_key member at top level', { preshared_key: SAMPLE_KEY }],
    ['a config line inside a site path', { sites: [`/etc/longhaul/a.zip\nPrivateKey = ${SAMPLE_KEY}`] }],
    ['a bare key inside a nested string', { extra: ['x', { note: `use ${SAMPLE_KEY} please` }] }],
    ['a bare key as a site path', { sites: [SAMPLE_KEY] }],
  ];
  it.each(cases)('%s', (_label, doc) => {
    const res = parsePolicyJson('/etc/longhaul/policy.json', JSON.stringify(doc));
    expect(res.status).toBe('refused');
    if (res.status === 'refused') {
      expect(res.reason).toMatch(/inline WireGuard key \(.+\) is not allowed/);
      expect(res.reason).not.toContain(SAMPLE_KEY);
    }
    // The value is now known to the redactor: no later log line can carry it.
    expect(globalRedactor.redact(`x ${SAMPLE_KEY} y`)).not.toContain(SAMPLE_KEY);
  });

  it('does not trip on ordinary values', () => {
    const res = parsePolicyJson('p', JSON.stringify(GOOD));
    expect(res.status).toBe('ok');
  });

  it('refuses relative site paths', () => {
    const res = parsePolicyJson('p', JSON.stringify({ sites: ['sites/london.zip'] }));
    expect(res).toMatchObject({ status: 'refused' });
    if (res.status === 'refused') expect(res.reason).toMatch(/key "sites": item 0: must be an absolute path/);
  });

  it('accepts Windows and UNC site paths', () => {
    const res = parsePolicyJson('p', JSON.stringify({ sites: ['C:\\ProgramData\\Longhaul\\sites\\a.zip', '\\\\fs01\\it\\b.zip'] }));
    expect(res.status).toBe('ok');
  });
});
