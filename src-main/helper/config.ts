/**
 * The helper's directories: the built-in defaults (created 0700 root when missing), or — only when root started the
 * helper directly (CI, the lab, IT scripts; never under pkexec, which sets PKEXEC_UID and clears the environment) —
 * LONGHAUL_HELPER_{PROFILES,RUNTIME,LOG}_DIR. An overridden directory is never created nor chmod-ed: it must already
 * exist as a real directory (no symlink) owned by root (uid 0) with mode 0700 exactly, else the helper refuses to run
 * (a kept environment must not make root chmod /etc, or write keys into a directory others can read).
 * Environment: plain Node.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { helperDirs } from './profile-source';

export interface HelperConfig {
  profilesDir: string;
  runtimeDir: string;
  logDir: string | null;
  /** Owner required for the profile directory and files. */
  ownerUid: number;
}

export class HelperConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HelperConfigError';
  }
}

/** An overridden directory must exist, be a directory (not a symlink), owned by root, mode 0700 exactly. */
export function checkOverrideDir(key: string, dir: string): string {
  const fix = `create it as root with \`install -d -m 700 -o root ${dir}\`, or unset ${key} to use the built-in directory`;
  if (!path.isAbsolute(dir)) throw new HelperConfigError(`${key}=${dir} is not an absolute path; ${fix}.`);
  let st: fs.Stats;
  try {
    st = fs.lstatSync(dir);
  } catch {
    throw new HelperConfigError(`${key}=${dir} does not exist; the helper only creates its built-in directories: ${fix}.`);
  }
  if (!st.isDirectory()) throw new HelperConfigError(`${key}=${dir} is not a directory (symlinks are not accepted); ${fix}.`);
  if (st.uid !== 0) throw new HelperConfigError(`${key}=${dir} must be owned by root (uid 0), not uid ${st.uid}; ${fix}.`);
  const mode = st.mode & 0o7777;
  if (mode !== 0o700) throw new HelperConfigError(`${key}=${dir} must have mode 0700 exactly (it has ${mode.toString(8).padStart(4, '0')}); the helper never changes it. Use a directory made for the helper: ${fix}.`);
  return dir;
}

export function helperConfig(env: Record<string, string | undefined>, platform: NodeJS.Platform = process.platform): HelperConfig {
  const viaPkexec = env.PKEXEC_UID !== undefined;
  const dirs = helperDirs(platform, env);
  const pick = (key: string, def: string) => {
    const v = viaPkexec ? undefined : env[key];
    return v ? checkOverrideDir(key, v) : def;
  };
  return {
    profilesDir: pick('LONGHAUL_HELPER_PROFILES_DIR', dirs.profilesDir),
    runtimeDir: pick('LONGHAUL_HELPER_RUNTIME_DIR', dirs.runtimeDir),
    logDir: pick('LONGHAUL_HELPER_LOG_DIR', dirs.logDir),
    ownerUid: 0,
  };
}
