// Bundles the Node-side entry points with esbuild (CommonJS, Node 22). Type-checking is `npm run typecheck`.
// Entry points: the CLI, the Electron main + preload (electron stays external), the browser-harness host and the lab.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const entries = [
  { in: 'src-main/cli/entry.ts', out: 'dist/cli/longhaul.cjs', external: [] },
  { in: 'src-main/shell/main.ts', out: 'dist/main/main.cjs', external: ['electron'] },
  { in: 'src-main/shell/preload.ts', out: 'dist/main/preload.cjs', external: ['electron'] },
  { in: 'src-main/harness/host.ts', out: 'dist/harness/host.cjs', external: [] },
  { in: 'scripts/lab/lab.ts', out: 'dist/lab/lab.cjs', external: [] },
].filter((e) => existsSync(e.in));

await Promise.all(
  entries.map((e) =>
    build({
      entryPoints: [e.in],
      outfile: e.out,
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: 'cjs',
      sourcemap: 'linked',
      external: e.external,
      logLevel: 'warning',
      legalComments: 'none',
    }),
  ),
);
console.error(`built ${entries.map((e) => e.out).join(', ')}`);
