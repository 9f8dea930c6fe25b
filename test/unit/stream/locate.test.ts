import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRunner } from '../../../src-main/core/platform/runner';
import { FLATPAK_ID, installHint, locateMoonlight } from '../../../src-main/core/stream/locate';
import { MOONLIGHT_STANDIN } from './standin';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-locate-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('locate Moonlight', () => {
  it('uses the user-chosen path and reads the version with --version', async () => {
    const r = await locateMoonlight({ runner: createRunner({ searchPath: '' }), platform: 'linux', env: {}, homedir: tmp, userPath: MOONLIGHT_STANDIN });
    expect(r.found && r.install).toMatchObject({ kind: 'user', executable: MOONLIGHT_STANDIN, version: [6, 1, 0], versionText: 'Moonlight 6.1.0', versionSource: '--version' });
  });

  it('makes a relative user path absolute (against the given cwd) before running it', async () => {
    const rel = path.relative(path.dirname(path.dirname(MOONLIGHT_STANDIN)), MOONLIGHT_STANDIN);
    const r = await locateMoonlight({ runner: createRunner({ searchPath: '' }), platform: 'linux', env: {}, homedir: tmp, userPath: rel, cwd: path.dirname(path.dirname(MOONLIGHT_STANDIN)) });
    expect(r.found && r.install).toMatchObject({ kind: 'user', executable: MOONLIGHT_STANDIN, version: [6, 1, 0] });
  });

  it('takes LONGHAUL_MOONLIGHT and passes the version environment', async () => {
    const r = await locateMoonlight({ runner: createRunner({ searchPath: '' }), platform: 'linux', env: { LONGHAUL_MOONLIGHT: MOONLIGHT_STANDIN }, homedir: tmp, runEnv: { MOONLIGHT_STANDIN_VERSION: '5.0.1' } });
    expect(r.found && r.install.version).toEqual([5, 0, 1]);
  });

  it('finds `moonlight` on PATH (Linux)', async () => {
    const bin = path.join(tmp, 'bin');
    fs.mkdirSync(bin, { recursive: true });
    fs.symlinkSync(MOONLIGHT_STANDIN, path.join(bin, 'moonlight'));
    const r = await locateMoonlight({ runner: createRunner({ searchPath: bin, extraDirs: [] }), platform: 'linux', env: {}, homedir: tmp });
    expect(r.found && r.install).toMatchObject({ kind: 'path', executable: path.join(bin, 'moonlight'), version: [6, 1, 0] });
  });

  it('builds `flatpak run com.moonlight_stream.Moonlight` for a Flatpak install', async () => {
    const home = path.join(tmp, 'fp-home');
    fs.mkdirSync(path.join(home, '.local/share/flatpak/app', FLATPAK_ID), { recursive: true });
    const bin = path.join(tmp, 'fp-bin');
    fs.mkdirSync(bin, { recursive: true });
    fs.symlinkSync(MOONLIGHT_STANDIN, path.join(bin, 'flatpak')); // only its path is used here; the version run is not asserted
    const r = await locateMoonlight({ runner: createRunner({ searchPath: bin, extraDirs: [] }), platform: 'linux', env: {}, homedir: home });
    expect(r.found && r.install).toMatchObject({ kind: 'flatpak', executable: path.join(bin, 'flatpak'), prefixArgs: ['run', FLATPAK_ID] });
  });

  it('finds an AppImage in ~/Applications', async () => {
    const home = path.join(tmp, 'ai-home');
    fs.mkdirSync(path.join(home, 'Applications'), { recursive: true });
    const file = path.join(home, 'Applications', 'Moonlight-6.1.0-x86_64.AppImage');
    fs.copyFileSync(MOONLIGHT_STANDIN, file);
    fs.chmodSync(file, 0o755);
    const r = await locateMoonlight({ runner: createRunner({ searchPath: '', extraDirs: [] }), platform: 'linux', env: {}, homedir: home });
    expect(r.found && r.install).toMatchObject({ kind: 'appimage', executable: file, version: [6, 1, 0] });
  });

  it('reads a Windows Moonlight.exe version from its resources, never running it', async () => {
    // Windows paths on a Linux test host: a relative %ProgramFiles% makes path.win32.join produce a (backslash-named)
    // relative file, created inside the temp directory we chdir into, never in the repository.
    const cwd = process.cwd();
    process.chdir(tmp);
    const root = 'Program Files';
    const exe = path.resolve(__dirname, 'fixtures/w64.exe');
    let r;
    try {
      fs.mkdirSync(path.win32.join(root, 'Moonlight Game Streaming'), { recursive: true });
      fs.copyFileSync(exe, path.win32.join(root, 'Moonlight Game Streaming', 'Moonlight.exe'));
      r = await locateMoonlight({ runner: createRunner({ searchPath: '' }), platform: 'win32', env: { ProgramFiles: root }, homedir: tmp });
    } finally {
      process.chdir(cwd);
    }
    expect(r.found && r.install).toMatchObject({ kind: 'installed', versionText: '1.1.0.14', version: [1, 1, 0], versionSource: 'file-version' });
  });

  it('starts a Windows portable build in its own folder (portable.dat beside Moonlight.exe)', async () => {
    const dir = path.join(tmp, 'MoonlightPortable-x64-6.1.0');
    fs.mkdirSync(dir, { recursive: true });
    fs.copyFileSync(path.resolve(__dirname, 'fixtures/w64.exe'), path.join(dir, 'Moonlight.exe'));
    fs.writeFileSync(path.join(dir, 'portable.dat'), '');
    const r = await locateMoonlight({ runner: createRunner({ searchPath: '' }), platform: 'win32', env: {}, homedir: tmp, userPath: path.join(dir, 'Moonlight.exe') });
    expect(r.found && r.install).toMatchObject({ kind: 'user', cwd: dir, versionSource: 'file-version' });
  });

  it('gives a per-OS install hint when missing, and names a chosen path that vanished', async () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      const r = await locateMoonlight({ runner: createRunner({ searchPath: '', extraDirs: [] }), platform, env: {}, homedir: path.join(tmp, 'empty') });
      expect(r.found).toBe(false);
      if (!r.found) expect(r.hint).toBe(installHint(platform));
    }
    expect(installHint('linux')).toMatch(/flatpak install flathub com\.moonlight_stream\.Moonlight/);
    expect(installHint('win32')).toMatch(/winget/);
    const gone = await locateMoonlight({ runner: createRunner({ searchPath: '' }), platform: 'linux', env: {}, homedir: tmp, userPath: '/nowhere/moonlight' });
    expect(!gone.found && gone.hint).toMatch(/\/nowhere\/moonlight/);
  });
});
