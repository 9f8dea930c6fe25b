/**
 * Find Moonlight on this computer and read its version without ever opening a dialog. Environment: plain Node.
 * Places (fact sheet §5): a user-chosen path first; Windows `C:\Program Files\Moonlight Game Streaming\Moonlight.exe`;
 * macOS `/Applications/Moonlight.app`; Linux `moonlight` on PATH, Snap `/snap/bin/moonlight`, Flatpak
 * `com.moonlight_stream.Moonlight` (`flatpak run …`), an AppImage in the usual folders.
 * Version: Windows → the exe's FileVersion (PE resource, never run: 6.1.0 can open a modal box); macOS → the bundle's
 * Info.plist; elsewhere → `--version` (prints `Moonlight 6.1.0`, exit 0, no dialog off Windows); AppImage → its file
 * name as a last resort.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as parsePlist } from 'plist';
import type { ProcessRunner } from '../platform/runner';
import { readPeVersion } from './pe-version';
import { formatVersion, parseVersion, type Version } from './version';

export const FLATPAK_ID = 'com.moonlight_stream.Moonlight';

export type MoonlightKind = 'user' | 'installed' | 'path' | 'flatpak' | 'appimage' | 'snap';

export interface MoonlightInstall {
  kind: MoonlightKind;
  /** What to spawn. */
  executable: string;
  /** Arguments before Moonlight's own (`run com.moonlight_stream.Moonlight` for Flatpak). */
  prefixArgs: string[];
  /** Working directory to start it in: the app folder for a Windows portable build (`portable.dat` beside the exe). */
  cwd?: string;
  version: Version | null;
  versionText: string | null;
  versionSource: 'file-version' | 'info-plist' | '--version' | 'file-name' | null;
  /** Why the version is unknown, if it is. */
  versionError?: string;
}

export type LocateResult = { found: true; install: MoonlightInstall; tried: string[] } | { found: false; hint: string; tried: string[] };

export interface LocateOptions {
  runner: ProcessRunner;
  platform?: NodeJS.Platform;
  env?: Record<string, string | undefined>;
  homedir?: string;
  /** The user-chosen path (Settings, or `LONGHAUL_MOONLIGHT`). */
  userPath?: string | null;
  /** Directory a relative user path is resolved against (the CLI's cwd); default process.cwd(). */
  cwd?: string;
  /** Extra environment for the `--version` run (tests point the stand-in at a version). */
  runEnv?: Record<string, string | undefined>;
}

export function installHint(platform: NodeJS.Platform): string {
  if (platform === 'win32') {
    return 'Moonlight is not installed. Install it from https://moonlight-stream.org (or `winget install MoonlightGameStreamingProject.Moonlight`), or choose Moonlight.exe with Choose Moonlight… on the Stream page.';
  }
  if (platform === 'darwin') {
    return 'Moonlight is not installed. Download Moonlight for macOS from https://moonlight-stream.org and drag Moonlight.app into Applications, or choose it with Choose Moonlight… on the Stream page.';
  }
  return `Moonlight is not installed. Install it with \`flatpak install flathub ${FLATPAK_ID}\` (or the AppImage from https://moonlight-stream.org, or \`snap install moonlight\`), or choose it with Choose Moonlight… on the Stream page.`;
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function findAppImage(home: string): string | null {
  for (const dir of ['Applications', '.local/bin', 'Downloads', 'bin', '.']) {
    let names: string[];
    try {
      names = fs.readdirSync(path.join(home, dir));
    } catch {
      continue;
    }
    const hit = names.filter((n) => /^moonlight.*\.appimage$/i.test(n)).sort().pop();
    if (hit) return path.join(home, dir, hit);
  }
  return null;
}

async function readVersion(install: Omit<MoonlightInstall, 'version' | 'versionText' | 'versionSource'>, opts: LocateOptions, platform: NodeJS.Platform): Promise<Pick<MoonlightInstall, 'version' | 'versionText' | 'versionSource' | 'versionError'>> {
  const none = (why: string) => ({ version: null, versionText: null, versionSource: null, versionError: why });
  try {
    if (platform === 'win32' || /\.exe$/i.test(install.executable)) {
      const pe = await readPeVersion(install.executable);
      if (!pe) return none('the executable has no version resource');
      return { version: parseVersion(pe.fileVersion), versionText: pe.fileVersion, versionSource: 'file-version' };
    }
    const bundle = /^(.*\.app)\/Contents\/MacOS\/[^/]+$/.exec(install.executable);
    if (bundle) {
      const info = parsePlist(fs.readFileSync(path.join(bundle[1], 'Contents', 'Info.plist'), 'utf8')) as Record<string, unknown>;
      const text = String(info.CFBundleShortVersionString ?? info.CFBundleVersion ?? '');
      return { version: parseVersion(text), versionText: text || null, versionSource: 'info-plist' };
    }
    const res = await opts.runner.run(install.executable, [...install.prefixArgs, '--version'], { timeoutMs: 15_000, env: opts.runEnv });
    const line = res.stdout.split('\n').find((l) => /^Moonlight\s+\d/.test(l.trim()));
    if (line) return { version: parseVersion(line), versionText: line.trim(), versionSource: '--version' };
    if (install.kind === 'appimage') {
      const v = parseVersion(path.basename(install.executable).replace(/[-_]/g, ' '));
      if (v) return { version: v, versionText: formatVersion(v), versionSource: 'file-name' };
    }
    return none(`\`--version\` printed no "Moonlight X.Y.Z" line`);
  } catch (err) {
    return none((err as Error).message);
  }
}

export async function locateMoonlight(opts: LocateOptions): Promise<LocateResult> {
  const platform = opts.platform ?? process.platform;
  const env = opts.env ?? process.env;
  const home = opts.homedir ?? os.homedir();
  const tried: string[] = [];
  const candidates: Omit<MoonlightInstall, 'version' | 'versionText' | 'versionSource'>[] = [];
  const consider = (kind: MoonlightKind, file: string | null, prefixArgs: string[] = []): boolean => {
    if (!file) return false;
    tried.push(file);
    if (!isFile(file)) return false;
    candidates.push({ kind, executable: file, prefixArgs });
    return true;
  };

  // A user-chosen path is made absolute here (the runner only runs absolute or PATH-resolved programs).
  const chosen = opts.userPath ?? env.LONGHAUL_MOONLIGHT ?? null;
  const userPath = chosen ? path.resolve(opts.cwd ?? process.cwd(), chosen) : null;
  if (userPath) {
    const p = /\.app\/?$/.test(userPath) ? path.join(userPath, 'Contents', 'MacOS', 'Moonlight') : userPath;
    if (!consider('user', p)) {
      return { found: false, tried, hint: `The chosen Moonlight (${userPath}) does not exist. Choose Moonlight again on the Stream page (or pass --moonlight PATH to the CLI). ${installHint(platform)}` };
    }
  } else if (platform === 'win32') {
    for (const root of [env.ProgramFiles, env['ProgramFiles(x86)'], env.ProgramW6432, 'C:\\Program Files']) {
      if (root && consider('installed', path.win32.join(root, 'Moonlight Game Streaming', 'Moonlight.exe'))) break;
    }
    if (!candidates.length) consider('path', opts.runner.which('Moonlight'));
  } else if (platform === 'darwin') {
    const steps = [
      () => consider('installed', '/Applications/Moonlight.app/Contents/MacOS/Moonlight'),
      () => consider('installed', path.join(home, 'Applications', 'Moonlight.app', 'Contents', 'MacOS', 'Moonlight')),
      () => consider('path', opts.runner.which('moonlight')),
    ];
    steps.some((step) => step());
  } else {
    const flatpak = opts.runner.which('flatpak');
    const flatpakInstalled = [path.join(home, '.local/share/flatpak/app', FLATPAK_ID), path.join('/var/lib/flatpak/app', FLATPAK_ID)].some((d) => {
      tried.push(d);
      return fs.existsSync(d);
    });
    const steps = [
      () => consider('path', opts.runner.which('moonlight')),
      () => flatpak !== null && flatpakInstalled && consider('flatpak', flatpak, ['run', FLATPAK_ID]),
      () => consider('snap', '/snap/bin/moonlight'),
      () => consider('appimage', findAppImage(home)),
    ];
    steps.some((step) => step()); // first hit wins
  }
  const first = candidates[0];
  if (!first) return { found: false, hint: installHint(platform), tried };
  const dir = path.dirname(first.executable);
  if (/\.exe$/i.test(first.executable) && isFile(path.join(dir, 'portable.dat'))) first.cwd = dir;
  return { found: true, tried, install: { ...first, ...(await readVersion(first, opts, platform)) } };
}
