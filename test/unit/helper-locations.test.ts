/**
 * Where the helper keeps its files on each OS, and which trust rule applies there: POSIX owner/mode checks on Linux
 * and macOS; on Windows (no owner or mode bits in Node's stat) the installer's folder ACLs are the boundary, so the
 * same files are accepted there and refused under the POSIX rule.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readRootOwnedFile } from '../../src-main/core/policy/file-trust';
import { windowsTokenPath } from '../../src-main/core/tunnel/service-client';
import { helperConfig } from '../../src-main/helper/config';
import { checkOwner, DARWIN_RUNTIME_DIR, DEFAULT_RUNTIME_DIR, helperDirs } from '../../src-main/helper/profile-source';
import { isRoot, warnSkippedUnlessRoot } from '../support/lab';

warnSkippedUnlessRoot('test/unit/helper-locations.test.ts: its root-only tests are skipped (run as root)');

describe('helper directories per OS', () => {
  it('Linux /run, macOS /var/run (no /run there), Windows under %ProgramData%\\Longhaul\\service', () => {
    expect(helperDirs('linux', {})).toEqual({ profilesDir: '/var/lib/longhaul/profiles', runtimeDir: DEFAULT_RUNTIME_DIR, logDir: '/var/log/longhaul' });
    expect(helperDirs('darwin', {}).runtimeDir).toBe(DARWIN_RUNTIME_DIR);
    expect(DARWIN_RUNTIME_DIR.startsWith('/var/run/')).toBe(true);
    expect(helperDirs('win32', { ProgramData: 'D:\\PD' })).toEqual({
      profilesDir: 'D:\\PD\\Longhaul\\service\\profiles',
      runtimeDir: 'D:\\PD\\Longhaul\\service\\run',
      logDir: 'D:\\PD\\Longhaul\\service\\logs',
    });
    expect(helperConfig({}, 'darwin')).toMatchObject({ runtimeDir: DARWIN_RUNTIME_DIR });
  });

  it('the Windows access token is outside the service folder that holds keys', () => {
    const token = windowsTokenPath({ ProgramData: 'D:\\PD' });
    expect(token).toBe('D:\\PD\\Longhaul\\access\\token');
    expect(token.startsWith(helperDirs('win32', { ProgramData: 'D:\\PD' }).profilesDir)).toBe(false);
    expect(token.startsWith('D:\\PD\\Longhaul\\service\\')).toBe(false);
  });
});

describe('the Windows installer sets the ACLs these locations rely on (resources/windows/installer.nsh)', () => {
  const nsh = fs.readFileSync(path.join(__dirname, '../../resources/windows/installer.nsh'), 'utf8');
  const aclOf = (folder: string) => nsh.split('\n').find((l) => l.includes('icacls.exe') && l.includes(`"$COMMONAPPDATA\\Longhaul\\${folder}"`)) ?? '';
  const sub = (p: string) => p.replace('D:\\PD\\Longhaul\\', '').split('\\')[0]!;

  it('service (keys) and Sites: SYSTEM + Administrators only, inheritance removed; access: + INTERACTIVE read', () => {
    const service = sub(helperDirs('win32', { ProgramData: 'D:\\PD' }).profilesDir);
    const access = sub(windowsTokenPath({ ProgramData: 'D:\\PD' }));
    expect([service, access]).toEqual(['service', 'access']);
    for (const f of [service, 'Sites']) {
      expect(aclOf(f)).toMatch(/\/inheritance:r \/grant:r \*S-1-5-18:\(OI\)\(CI\)F \*S-1-5-32-544:\(OI\)\(CI\)F'$/);
    }
    expect(aclOf(access)).toMatch(/\/inheritance:r .*\*S-1-5-4:\(OI\)\(CI\)RX'$/);
    // The ACLs come before the service is installed (it writes the token at start).
    expect(nsh.indexOf(`Longhaul\\${access}" /inheritance`)).toBeLessThan(nsh.indexOf('longhaul-service.exe" install'));
  });

  it('uninstall takes the tunnels down before the service goes', () => {
    const un = nsh.slice(nsh.indexOf('!macro customUnInstall'));
    expect(un.indexOf('longhaul-helperd.exe" --down-all')).toBeGreaterThan(0);
    expect(un.indexOf('longhaul-helperd.exe" --down-all')).toBeLessThan(un.indexOf('longhaul-service.exe" uninstall'));
    // Not on an update (electron-builder runs the old uninstaller first): the --down-all block is inside ${ifNot} ${isUpdated}.
    const guarded = /\$\{ifNot\} \$\{isUpdated\}([\s\S]*?)\$\{endIf\}/.exec(un)?.[1] ?? '';
    expect(guarded).toContain('longhaul-helperd.exe" --down-all');
    expect(guarded).not.toContain('longhaul-service.exe" uninstall');
  });
});

describe.skipIf(!isRoot)('trust rule per OS', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-trust-'));
    fs.chmodSync(dir, 0o755);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a group/world-writable key file: refused under the POSIX rule, accepted on Windows (ACL is the boundary)', async () => {
    const f = path.join(dir, 'farm.conf');
    fs.writeFileSync(f, '[Interface]\n');
    fs.chmodSync(f, 0o666);
    expect(await readRootOwnedFile(f, { secret: true, platform: 'linux' })).toMatchObject({ status: 'refused', reason: expect.stringMatching(/writable by group or others/) });
    expect(await readRootOwnedFile(f, { secret: true, platform: 'win32' })).toMatchObject({ status: 'ok' });
    // Still only regular files on Windows.
    expect(await readRootOwnedFile(dir, { platform: 'win32' })).toMatchObject({ status: 'refused', reason: expect.stringMatching(/not a regular file/) });
  });

  it('checkOwner: refuses a writable directory under POSIX, skips on Windows', () => {
    fs.chmodSync(dir, 0o777);
    const st = fs.statSync(dir);
    expect(() => checkOwner(st, dir, 0, 'linux')).toThrow(/must not be writable by group or others/);
    expect(() => checkOwner(st, dir, 0, 'win32')).not.toThrow();
  });
});
