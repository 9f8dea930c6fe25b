/**
 * Bundles of the Node entry points for tests that run them as separate processes (the CLI, the privileged helper),
 * built with the options of scripts/build-node.mjs. `testBuild: false` is the release define: test-only switches
 * (the policy override path) are compiled out, exactly as in a package. Environment: plain Node (tests only).
 */
import { build } from 'esbuild';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

export interface BundleOptions {
  /** Entry point, relative to the repository root. */
  entry: string;
  outfile: string;
  /** The helper runs under the OS's Node (deb: nodejs >= 18); everything else under Node 22. */
  target?: 'node18' | 'node22';
  testBuild?: boolean;
}

export async function bundleEntry(o: BundleOptions): Promise<string> {
  await build({
    entryPoints: [path.isAbsolute(o.entry) ? o.entry : path.join(ROOT, o.entry)],
    outfile: o.outfile,
    bundle: true,
    platform: 'node',
    target: o.target ?? 'node22',
    format: 'cjs',
    logLevel: 'error',
    legalComments: 'none',
    define: { 'process.env.LONGHAUL_TEST_BUILD': o.testBuild ? '"1"' : '"0"' },
  });
  return o.outfile;
}

let cli: Promise<string> | null = null;
let cliDir: string | null = null;

/** The release-built CLI, bundled once per test process into a world-readable temp directory. */
export function cliBundle(): Promise<string> {
  return (cli ??= (async () => {
    const dir = (cliDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-cli-bundle-')));
    fs.chmodSync(dir, 0o755); // tests also run it as an unprivileged user
    const out = await bundleEntry({ entry: 'src-main/cli/entry.ts', outfile: path.join(dir, 'longhaul.cjs') });
    fs.chmodSync(out, 0o644);
    return out;
  })());
}

/** Remove this process's CLI bundle (call in afterAll). */
export function removeCliBundle(): void {
  if (cliDir) fs.rmSync(cliDir, { recursive: true, force: true });
  cliDir = null;
  cli = null;
}

/** The release-built privileged helper at `outfile`. */
export function helperBundle(outfile: string): Promise<string> {
  return bundleEntry({ entry: 'src-main/helper/entry.ts', outfile, target: 'node18' });
}
