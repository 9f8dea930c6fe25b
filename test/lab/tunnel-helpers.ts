/**
 * Lab-test helpers for tunnel control: the release-built CLI (test/support/bundle.ts)
 * run `longhaul …` INSIDE the artist namespace with a private data directory, as an artist (root here) would.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TunnelStatus } from '../../src-main/contract/tunnel';
import { createRunner } from '../../src-main/core/platform/runner';
import type { Lab } from '../../scripts/lab';
import { cliBundle, helperBundle } from '../support/bundle';

export { cliBundle };

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  dataDir: string;
  /** Run in a private mount namespace where these programs are hidden (/dev/null bound over them: not executable). */
  hideFiles?: string[];
}

export async function longhaul(lab: Lab, argv: string[], o: CliOptions): Promise<CliRun> {
  const cli = await cliBundle();
  const runner = createRunner();
  const env = { LONGHAUL_DATA_DIR: o.dataDir, LONGHAUL_SECRET_STORE: 'file', LONGHAUL_TUNNEL_BACKEND: 'wg-quick' };
  if (!o.hideFiles || o.hideFiles.length === 0) {
    const r = await runner.run('ip', ['netns', 'exec', lab.names.ns.artist, process.execPath, cli, ...argv], { okCodes: 'any', timeoutMs: 90_000, env });
    return { code: r.code ?? -1, stdout: r.stdout, stderr: r.stderr };
  }
  // A private mount namespace where the tools are hidden, entered together with the artist's network namespace.
  const mnt = await privateMountNamespace(lab);
  try {
    for (const f of o.hideFiles) await mnt.bind('/dev/null', f);
    const r = await runner.run('nsenter', [`--mount=${mnt.nsFile}`, `--net=/var/run/netns/${lab.names.ns.artist}`, process.execPath, cli, ...argv], {
      okCodes: 'any',
      timeoutMs: 90_000,
      env,
    });
    return { code: r.code ?? -1, stdout: r.stdout, stderr: r.stderr };
  } finally {
    await mnt.close();
  }
}

/**
 * A persistent private mount namespace bound to a file in the lab directory (`nsenter --mount=<nsFile>` enters it):
 * bind mounts made there never reach the host.
 */
export async function privateMountNamespace(lab: Lab): Promise<{ nsFile: string; bind(from: string, onto: string): Promise<void>; close(): Promise<void> }> {
  const runner = createRunner();
  const anchor = path.join(lab.dir, 'mnt');
  fs.mkdirSync(anchor, { recursive: true });
  const nsFile = path.join(anchor, 'mntns');
  fs.writeFileSync(nsFile, '');
  await runner.run('mount', ['--bind', anchor, anchor]);
  await runner.run('mount', ['--make-private', anchor]);
  await runner.run('unshare', [`--mount=${nsFile}`, '--propagation', 'private', 'true']);
  return {
    nsFile,
    async bind(from, onto) {
      await runner.run('nsenter', [`--mount=${nsFile}`, 'mount', '--bind', from, onto]);
    },
    async close() {
      await runner.run('umount', [nsFile], { okCodes: 'any' });
      await runner.run('umount', [anchor], { okCodes: 'any' });
    },
  };
}

export function statusDoc(r: CliRun): { schemaVersion: number; tunnels: TunnelStatus[] } {
  try {
    return JSON.parse(r.stdout) as { schemaVersion: number; tunnels: TunnelStatus[] };
  } catch {
    throw new Error(`no JSON from longhaul (exit ${r.code}): ${r.stdout.slice(0, 400)} ${r.stderr.slice(-1200)}`);
  }
}

export function tempDataDir(lab: Lab, label: string): string {
  const d = path.join(lab.dir, `data-${label}`);
  fs.mkdirSync(d, { recursive: true, mode: 0o700 });
  return d;
}

/** Write a variant of the lab's artist profile under `<lab dir>/<subdir>/<name>.conf`. */
export function writeProfile(lab: Lab, subdir: string, name: string, text: string): string {
  const dir = path.join(lab.dir, subdir);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, `${name}.conf`);
  fs.writeFileSync(file, text, { mode: 0o600 });
  return file;
}

/**
 * The privileged helper as pkexec would run it, for lab tests: the helper bundled as packaged (release define), a
 * persistent private mount namespace in which the helper's fixed directories (`fixedDirs`: key → real path) are
 * bind-mounted from `<lab dir>/helper-fs/<key>` (so nothing touches the host's /var/lib/longhaul etc.), and
 * `pkexecFor(uid)`: a directory holding a `pkexec` STAND-IN (real pkexec is not installed here) that runs the bundle in
 * that mount namespace and the lab's artist network namespace with a cleared environment and `PKEXEC_UID=uid`.
 */
export interface HelperSandbox {
  helper: string;
  fsRoot: string;
  nsFile: string;
  createdMountPoints: readonly string[];
  pkexecFor(uid: number): string;
  close(): Promise<void>;
}

export async function helperSandbox(lab: Lab, fixedDirs: Record<string, string>): Promise<HelperSandbox> {
  const helper = await helperBundle(path.join(lab.dir, 'longhaul-helper.cjs'));
  const fsRoot = path.join(lab.dir, 'helper-fs');
  for (const k of Object.keys(fixedDirs)) fs.mkdirSync(path.join(fsRoot, k), { recursive: true, mode: 0o700 });
  const createdMountPoints: string[] = [];
  for (const target of Object.values(fixedDirs)) {
    if (!fs.existsSync(target)) {
      fs.mkdirSync(target, { mode: 0o700 });
      createdMountPoints.push(target);
    }
  }
  const mnt = await privateMountNamespace(lab);
  const nsFile = mnt.nsFile;
  for (const [k, target] of Object.entries(fixedDirs)) await mnt.bind(path.join(fsRoot, k), target);
  return {
    helper,
    fsRoot,
    nsFile,
    createdMountPoints,
    pkexecFor(uid: number): string {
      const dir = path.join(lab.dir, `pkexec-${uid}`);
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      const script = `#!${process.execPath}
// pkexec STAND-IN for tests: runs the bundled helper as root with a cleared environment and PKEXEC_UID, like pkexec.
const { spawnSync } = require('child_process');
const args = process.argv.slice(3); // drop the helper path pkexec was given; run the bundle instead
const r = spawnSync('nsenter', [${JSON.stringify(`--mount=${nsFile}`)}, 'ip', 'netns', 'exec', ${JSON.stringify(lab.names.ns.artist)},
  '/usr/bin/env', '-i', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'PKEXEC_UID=${uid}',
  ${JSON.stringify(process.execPath)}, ${JSON.stringify(helper)}, ...args], { stdio: 'inherit' });
process.exit(r.status === null ? 2 : r.status);
`;
      fs.writeFileSync(path.join(dir, 'pkexec'), script, { mode: 0o700 });
      return dir;
    },
    async close() {
      await mnt.close();
      for (const d of createdMountPoints) fs.rmdirSync(d);
    },
  };
}
