import * as fs from 'node:fs';
import * as path from 'node:path';
import { build, buildBinary } from 'plist';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPlistFileSource, managedPreferencesPath, parsePolicyPlist, plutilCommand } from '../../../src-main/core/policy/plist-source';
import { readPolicy } from '../../../src-main/core/policy/policy';
import { MAC_POLICY_PATH } from '../../../src-main/core/policy/sources';
import { isRoot, SAMPLE_KEY, tempDir, writeFile } from './helpers';

const VALUES = {
  managedByName: 'Northlight VFX IT',
  supportUrl: 'https://help.northlight.example/longhaul',
  allowUserProfiles: false,
  checkIntervalSec: 120,
  sites: ['/Library/Application Support/Longhaul/Sites/london-farm.zip'],
};

describe('macOS managed preferences (plist)', () => {
  it('lives only in /Library/Managed Preferences under the appId', () => {
    expect(MAC_POLICY_PATH).toBe('/Library/Managed Preferences/studio.longhaul.client.plist');
    expect(managedPreferencesPath('x.y')).toBe('/Library/Managed Preferences/x.y.plist');
  });

  it('parses an XML plist: booleans, integers, strings and arrays', () => {
    const res = parsePolicyPlist('mp', build(VALUES));
    expect(res).toEqual({ status: 'ok', values: VALUES, unknownKeys: [] });
  });

  it('parses a binary plist in-process; profile bookkeeping keys are not reported as unknown', () => {
    const res = parsePolicyPlist('mp', buildBinary({ ...VALUES, PayloadUUID: 'ABC', colour: 'blue' }));
    expect(res).toEqual({ status: 'ok', values: VALUES, unknownKeys: ['colour'] });
  });

  it('refuses a malformed plist as a whole', () => {
    const xml = build(VALUES).replace('</dict>', '<key>requireGate</key><true/>');
    const res = parsePolicyPlist('/Library/Managed Preferences/studio.longhaul.client.plist', xml);
    expect(res.status).toBe('refused');
    if (res.status === 'refused') expect(res.reason).toMatch(/^\/Library\/Managed Preferences\/studio\.longhaul\.client\.plist: not a valid property list/);
  });

  it('refuses a wrongly typed value (string "true" for a boolean) as a whole', () => {
    const res = parsePolicyPlist('mp', build({ ...VALUES, requireGate: 'true' }));
    expect(res).toMatchObject({ status: 'refused' });
    if (res.status === 'refused') expect(res.reason).toMatch(/key "requireGate"/);
  });

  it('refuses a top level that is not a dict', () => {
    expect(parsePolicyPlist('mp', build(['a']))).toMatchObject({ status: 'refused' });
  });

  it('refuses inline keys nested anywhere', () => {
    const res = parsePolicyPlist('mp', build({ ...VALUES, Peers: [{ PresharedKey: SAMPLE_KEY }] }));
    expect(res.status).toBe('refused');
    if (res.status === 'refused') expect(res.reason).toContain('Peers[0].PresharedKey');
  });

  it('documents the external converter argv (UNVERIFIED on macOS)', () => {
    expect(plutilCommand('/Library/Managed Preferences/a.plist')).toEqual({
      program: '/usr/bin/plutil',
      args: ['-convert', 'xml1', '-o', '-', '/Library/Managed Preferences/a.plist'],
    });
  });

  describe.skipIf(!isRoot)('as a file (root)', () => {
    let dir: string;
    beforeEach(() => {
      dir = tempDir();
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('reads a root-owned binary plist file', async () => {
      const file = writeFile(path.join(dir, 'studio.longhaul.client.plist'), buildBinary(VALUES));
      const eff = await readPolicy([createPlistFileSource(file)]);
      expect(eff.refused).toEqual([]);
      expect(eff.policy.allowUserProfiles).toBe(false);
      expect(eff.values.find((v) => v.key === 'allowUserProfiles')?.source).toBe(file);
    });

    it('refuses a plist writable by non-root', async () => {
      const file = writeFile(path.join(dir, 'studio.longhaul.client.plist'), build(VALUES), 0o666);
      const eff = await readPolicy([createPlistFileSource(file)]);
      expect(eff.policy.allowUserProfiles).toBe(true);
      expect(eff.refused[0]?.reason).toMatch(/writable by group or others \(mode 0666\)/);
      fs.chmodSync(file, 0o644);
      fs.chownSync(file, 501, 20);
      const eff2 = await readPolicy([createPlistFileSource(file)]);
      expect(eff2.refused[0]?.reason).toMatch(/owned by uid 501, not root/);
    });
  });
});
