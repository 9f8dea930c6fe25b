import { describe, expect, it } from 'vitest';
import { resolveDataDir } from './paths';

describe('data directory', () => {
  it('honours LONGHAUL_DATA_DIR first', () => {
    expect(resolveDataDir({ env: { LONGHAUL_DATA_DIR: '/tmp/lh' }, platform: 'linux', homedir: '/home/a' })).toBe('/tmp/lh');
  });
  it('uses XDG_CONFIG_HOME on Linux, ignoring a relative one', () => {
    expect(resolveDataDir({ env: { XDG_CONFIG_HOME: '/x/cfg' }, platform: 'linux', homedir: '/home/a' })).toBe('/x/cfg/longhaul');
    expect(resolveDataDir({ env: { XDG_CONFIG_HOME: 'rel' }, platform: 'linux', homedir: '/home/a' })).toBe('/home/a/.config/longhaul');
    expect(resolveDataDir({ env: {}, platform: 'linux', homedir: '/home/a' })).toBe('/home/a/.config/longhaul');
  });
  it('uses %APPDATA% on Windows and Application Support on macOS', () => {
    expect(resolveDataDir({ env: { APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, platform: 'win32', homedir: 'C:\\Users\\a' })).toBe(
      'C:\\Users\\a\\AppData\\Roaming\\Longhaul',
    );
    expect(resolveDataDir({ env: {}, platform: 'darwin', homedir: '/Users/a' })).toBe('/Users/a/Library/Application Support/Longhaul');
  });
});
