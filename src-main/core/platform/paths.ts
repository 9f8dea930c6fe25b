/**
 * The data directory shared by the app, the CLI and the harness. Environment: plain Node.
 * `$LONGHAUL_DATA_DIR`, else the per-OS default.
 */
import * as os from 'node:os';
import * as path from 'node:path';

export interface DataDirInputs {
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  homedir: string;
}

export function resolveDataDir(inputs: DataDirInputs = defaultInputs()): string {
  const { env, platform, homedir } = inputs;
  const override = env.LONGHAUL_DATA_DIR;
  if (override && override.trim() !== '') return path.resolve(override);
  if (platform === 'win32') {
    const appData = env.APPDATA && env.APPDATA !== '' ? env.APPDATA : path.win32.join(homedir, 'AppData', 'Roaming');
    return path.win32.join(appData, 'Longhaul');
  }
  if (platform === 'darwin') return path.posix.join(homedir, 'Library', 'Application Support', 'Longhaul');
  const xdg = env.XDG_CONFIG_HOME;
  // XDG base-dir spec: a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const base = xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(homedir, '.config');
  return path.posix.join(base, 'longhaul');
}

function defaultInputs(): DataDirInputs {
  return { env: process.env, platform: process.platform, homedir: os.homedir() };
}

/** Well-known sub-directories of the data directory. */
export function dataPaths(dataDir: string) {
  return {
    root: dataDir,
    logs: path.join(dataDir, 'logs'),
    profiles: path.join(dataDir, 'profiles'),
    reports: path.join(dataDir, 'reports'),
    state: path.join(dataDir, 'state'),
  };
}
