/**
 * Lab-test helpers for tunnel control: bundle the CLI once (esbuild, like scripts/build-node.mjs, only the CLI entry)
 * and run `longhaul …` INSIDE the artist namespace with a private data directory, as an artist (root here) would.
 */
import { build } from 'esbuild';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TunnelStatus } from '../../src-main/contract/tunnel';
import { createRunner } from '../../src-main/core/platform/runner';
import type { Lab } from '../../scripts/lab';

const ROOT = path.resolve(__dirname, '../..');
let bundled: Promise<string> | null = null;

export function cliBundle(): Promise<string> {
  return (bundled ??= (async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longhaul-tunnel-cli-'));
    const out = path.join(dir, 'longhaul.cjs');
    await build({ entryPoints: [path.join(ROOT, 'src-main/cli/entry.ts')], outfile: out, bundle: true, platform: 'node', target: 'node22', format: 'cjs', logLevel: 'error' });
    return out;
  })());
}

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
  // A persistent private mount namespace (bound to a file in the lab dir) where the tools are hidden.
  const anchor = path.join(lab.dir, 'mnt');
  fs.mkdirSync(anchor, { recursive: true });
  const nsFile = path.join(anchor, 'mntns');
  fs.writeFileSync(nsFile, '');
  await runner.run('mount', ['--bind', anchor, anchor]);
  await runner.run('mount', ['--make-private', anchor]);
  try {
    await runner.run('unshare', [`--mount=${nsFile}`, '--propagation', 'private', 'true']);
    for (const f of o.hideFiles) await runner.run('nsenter', [`--mount=${nsFile}`, 'mount', '--bind', '/dev/null', f]);
    const r = await runner.run('nsenter', [`--mount=${nsFile}`, `--net=/var/run/netns/${lab.names.ns.artist}`, process.execPath, cli, ...argv], {
      okCodes: 'any',
      timeoutMs: 90_000,
      env,
    });
    return { code: r.code ?? -1, stdout: r.stdout, stderr: r.stderr };
  } finally {
    await runner.run('umount', [nsFile], { okCodes: 'any' });
    await runner.run('umount', [anchor], { okCodes: 'any' });
  }
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
  const runner = createRunner();
  const helper = path.join(lab.dir, 'longhaul-helper.cjs');
  await build({
    entryPoints: [path.join(__dirname, '../../src-main/helper/main.ts')],
    outfile: helper,
    bundle: true,
    platform: 'node',
    target: 'node18',
    format: 'cjs',
    logLevel: 'error',
    legalComments: 'none',
    define: { 'process.env.LONGHAUL_TEST_BUILD': '"0"' }, // as packaged
  });
  const fsRoot = path.join(lab.dir, 'helper-fs');
  for (const k of Object.keys(fixedDirs)) fs.mkdirSync(path.join(fsRoot, k), { recursive: true, mode: 0o700 });
  const createdMountPoints: string[] = [];
  for (const target of Object.values(fixedDirs)) {
    if (!fs.existsSync(target)) {
      fs.mkdirSync(target, { mode: 0o700 });
      createdMountPoints.push(target);
    }
  }
  const anchor = path.join(lab.dir, 'mnt');
  fs.mkdirSync(anchor, { recursive: true });
  const nsFile = path.join(anchor, 'mntns');
  fs.writeFileSync(nsFile, '');
  await runner.run('mount', ['--bind', anchor, anchor]);
  await runner.run('mount', ['--make-private', anchor]);
  await runner.run('unshare', [`--mount=${nsFile}`, '--propagation', 'private', 'true']);
  for (const [k, target] of Object.entries(fixedDirs)) await runner.run('nsenter', [`--mount=${nsFile}`, 'mount', '--bind', path.join(fsRoot, k), target]);
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
      await runner.run('umount', [nsFile], { okCodes: 'any' });
      await runner.run('umount', [anchor], { okCodes: 'any' });
      for (const d of createdMountPoints) fs.rmdirSync(d);
    },
  };
}
