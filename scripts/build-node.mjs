// Bundles the Node-side entry points with esbuild (CommonJS, Node 22). Type-checking is `npm run typecheck`.
// Entry points: the CLI, the Electron main + preload (electron stays external), the browser-harness host and the lab.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

// `testBuild`: whether test-only switches (the managed-policy override path, LONGHAUL_TEST_POLICY_PATH) exist in the
// bundle. Defined as a literal so release bundles cannot turn them on from the environment.
const RELEASE = false;
const TEST = true;
const entries = [
  { in: 'src-main/cli/entry.ts', out: 'dist/cli/longhaul.cjs', external: [], testBuild: RELEASE },
  { in: 'src-main/shell/main.ts', out: 'dist/main/main.cjs', external: ['electron'], testBuild: RELEASE },
  { in: 'src-main/shell/preload.ts', out: 'dist/main/preload.cjs', external: ['electron'], testBuild: RELEASE },
  // The helpers: bundles that scripts/build-helper-sea.mjs wraps into single executables (Electron's runAsNode fuse is
  // off, so they carry their own runtime); the tests run the bundles directly.
  { in: 'src-main/helper/entry.ts', out: 'dist/helper/longhaul-helper.cjs', external: [], testBuild: RELEASE, target: 'node18' },
  { in: 'src-main/helper/daemon-main.ts', out: 'dist/helper/longhaul-helperd.cjs', external: [], testBuild: RELEASE, target: 'node18' },
  { in: 'src-main/harness/host.ts', out: 'dist/harness/host.cjs', external: [], testBuild: TEST },
  { in: 'scripts/lab/lab.ts', out: 'dist/lab/lab.cjs', external: [], testBuild: TEST },
].filter((e) => existsSync(e.in));

await Promise.all(
  entries.map((e) =>
    build({
      entryPoints: [e.in],
      outfile: e.out,
      bundle: true,
      platform: 'node',
      target: e.target ?? 'node22',
      format: 'cjs',
      sourcemap: 'linked',
      external: e.external,
      logLevel: 'warning',
      legalComments: 'none',
      define: { 'process.env.LONGHAUL_TEST_BUILD': e.testBuild ? '"1"' : '"0"' },
    }),
  ),
);
console.error(`built ${entries.map((e) => e.out).join(', ')}`);
