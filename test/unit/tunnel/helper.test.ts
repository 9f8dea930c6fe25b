/**
 * The privileged helper's attack surface: only `up NAME`, `down NAME`, `status [NAME]`; profiles only from a root-owned,
 * not group/world-writable directory; re-validated with the profile parser; hooks refused before anything runs.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHelperArgs } from '../../../src-main/helper/args';
import { helperConfig, runHelper } from '../../../src-main/helper/main';
import { readCanonicalProfile } from '../../../src-main/helper/profile-source';
import { validateProfileText } from '../../../src-main/core/tunnel/preflight';
import { isRoot, warnSkippedUnlessRoot } from '../../support/lab';
import { buildProfile } from '../../support/profile';

warnSkippedUnlessRoot('test/unit/tunnel/helper.test.ts: its root-only tests are skipped (run as root)');

function profileText(extra = ''): string {
  return buildProfile({ address: '10.9.0.2/32', dns: '10.9.0.1', extra, endpoint: '192.0.2.1:51820', allowedIPs: '10.9.0.0/24' }).text;
}

describe('helper arguments', () => {
  it('accepts exactly the three verbs with a stored-profile name', () => {
    expect(parseHelperArgs(['up', 'farm'])).toEqual({ ok: true, request: { verb: 'up', name: 'farm' } });
    expect(parseHelperArgs(['down', 'farm-2'])).toEqual({ ok: true, request: { verb: 'down', name: 'farm-2' } });
    expect(parseHelperArgs(['status'])).toEqual({ ok: true, request: { verb: 'status', name: null } });
    expect(parseHelperArgs(['status', 'farm'])).toEqual({ ok: true, request: { verb: 'status', name: 'farm' } });
  });

  it('refuses everything else', () => {
    const bad: string[][] = [
      [],
      ['strip', 'farm'],
      ['UP', 'farm'],
      ['up'],
      ['down'],
      ['up', '/etc/wireguard/farm.conf'],
      ['up', 'farm.conf'],
      ['up', '../farm'],
      ['up', '-f'],
      ['up', '--config=/tmp/x'],
      ['up', 'a-name-that-is-too-long'],
      ['up', 'farm', 'extra'],
      ['up', 'farm;id'],
      ['up', '$(id)'],
      ['up', ''],
      ['up', '.'],
      ['status', 'farm', 'x'],
      ['exec', 'sh'],
    ];
    for (const argv of bad) expect(parseHelperArgs(argv).ok, JSON.stringify(argv)).toBe(false);
  });

  it('refuses to run unless root, and before any work on bad arguments', async () => {
    expect(await runHelper(['up', 'farm'], {}, 1000)).toMatchObject({ code: 2, doc: { error: { code: 'not-root' } } });
    expect(await runHelper(['up', '/tmp/evil.conf'], {}, 0)).toMatchObject({ code: 2, doc: { error: { code: 'invalid-arguments' } } });
  });

  it('ignores directory overrides when started by pkexec', () => {
    expect(helperConfig({ PKEXEC_UID: '1000', LONGHAUL_HELPER_PROFILES_DIR: '/tmp/evil' }).profilesDir).toBe('/var/lib/longhaul/profiles');
    // Without pkexec an override must be an existing root-owned 0700 directory (helper-security.test.ts).
    expect(() => helperConfig({ LONGHAUL_HELPER_PROFILES_DIR: '/tmp/lh-no-such-helper-dir' })).toThrow(/does not exist/);
    if (isRoot) {
      const d = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-helper-cfg-'));
      expect(helperConfig({ LONGHAUL_HELPER_PROFILES_DIR: d }).profilesDir).toBe(d);
    }
  });
});

describe.skipIf(!isRoot)('helper profile source (root)', () => {
  function dir(mode = 0o700): string {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-helper-'));
    fs.chmodSync(d, mode);
    return d;
  }

  it('reads a root-owned 0600 file', () => {
    const d = dir();
    fs.writeFileSync(path.join(d, 'farm.conf'), 'x', { mode: 0o600 });
    expect(readCanonicalProfile(d, 'farm')).toBe('x');
  });

  it('refuses writable directories, foreign owners, symlinks and missing files', () => {
    const open = dir(0o777);
    fs.writeFileSync(path.join(open, 'farm.conf'), 'x', { mode: 0o600 });
    expect(() => readCanonicalProfile(open, 'farm')).toThrow(/writable by group or others/);
    const d = dir();
    fs.writeFileSync(path.join(d, 'farm.conf'), 'x', { mode: 0o600 });
    fs.chownSync(path.join(d, 'farm.conf'), 1000, 1000);
    expect(() => readCanonicalProfile(d, 'farm')).toThrow(/owned by root/);
    fs.symlinkSync('/etc/hostname', path.join(d, 'link.conf'));
    expect(() => readCanonicalProfile(d, 'link')).toThrow(/not a regular file/);
    expect(() => readCanonicalProfile(d, 'none')).toThrow(/no installed profile/);
  });

  it('refuses a profile with hooks before running anything', async () => {
    const d = dir();
    fs.writeFileSync(path.join(d, 'farm.conf'), profileText('PostUp = touch /tmp/pwned'), { mode: 0o600 });
    const rt = dir();
    const out = await runHelper(['up', 'farm'], { LONGHAUL_HELPER_PROFILES_DIR: d, LONGHAUL_HELPER_RUNTIME_DIR: rt, LONGHAUL_HELPER_LOG_DIR: rt }, 0);
    expect(out.code).toBe(1);
    expect(out.doc).toMatchObject({ tunnels: [{ state: 'error', reason: 'hooks-refused' }] });
    expect(fs.readdirSync(rt).filter((f) => f.endsWith('.conf'))).toEqual([]);
  });

  it('refuses an invalid profile with file and line', async () => {
    const d = dir();
    fs.writeFileSync(path.join(d, 'farm.conf'), profileText().replace('AllowedIPs = 10.9.0.0/24', 'AllowedIPs = 10.9.0.0/99'), { mode: 0o600 });
    const rt = dir();
    const out = await runHelper(['up', 'farm'], { LONGHAUL_HELPER_PROFILES_DIR: d, LONGHAUL_HELPER_RUNTIME_DIR: rt, LONGHAUL_HELPER_LOG_DIR: rt }, 0);
    expect(out.code).toBe(1);
    const t = (out.doc.tunnels as { reason: string; message: string }[])[0]!;
    expect(t.reason).toBe('profile-invalid');
    expect(t.message).toMatch(/farm\.conf:\d+/);
  });
});

describe('profile validation', () => {
  it('validates with the import parser and refuses hooks', () => {
    expect(() => validateProfileText('farm', profileText('PreUp = id'))).toThrow(/PreUp|commands/);
    expect(() => validateProfileText('bad/name', profileText())).toThrow(/not a valid profile name/);
    expect(validateProfileText('farm', profileText()).peers).toHaveLength(1);
  });
});

describe('Windows service pipe requests (same language as the helper)', () => {
  it('accepts {verb, name} and nothing more', async () => {
    const { parsePipeRequest } = await import('../../../src-main/helper/args');
    expect(parsePipeRequest('{"verb":"up","name":"farm"}')).toEqual({ ok: true, request: { verb: 'up', name: 'farm' } });
    expect(parsePipeRequest('{"verb":"status"}')).toEqual({ ok: true, request: { verb: 'status', name: null } });
    for (const bad of ['up farm', '[]', '{"verb":"up","name":"farm","file":"C:\\\\x.conf"}', '{"verb":"up","name":"..\\\\x"}', '{"verb":"run","name":"farm"}', '{"verb":"up","name":1}']) {
      expect(parsePipeRequest(bad).ok, bad).toBe(false);
    }
  });
});
