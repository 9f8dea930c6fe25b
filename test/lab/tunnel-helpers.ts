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
