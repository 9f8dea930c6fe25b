#!/usr/bin/env node
/**
 * `npm run demo [-- SCENARIO] [--rtt MS] [--cap BYTES] [--keep]` (root, Linux): raise the fault lab with a scenario
 * (default farm-blackhole; `npm run demo -- list` shows them) and run the real `longhaul diagnose` against it, live in
 * this terminal, inside the artist's network namespace — Longhaul working without Electron. Lab id 27.
 * The lab is removed afterwards unless --keep (then: `npm run lab -- down --id 27`).
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'dist', 'bench');
const ID = '27';
const argv = process.argv.slice(2);
const opt = (name) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const scenario = argv.find((a, i) => !a.startsWith('--') && !['--rtt', '--cap'].includes(argv[i - 1])) ?? 'farm-blackhole';

function run(file, args, { capture = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit' });
    const out = [];
    child.stdout?.on('data', (d) => out.push(d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString() }));
  });
}

async function main() {
  if (process.getuid?.() !== 0) throw new Error('the demo needs root (it raises the network-namespace lab)');
  process.stderr.write('Building the CLI and the lab…\n');
  await build({ entryPoints: { longhaul: path.join(ROOT, 'src-main/cli/entry.ts'), lab: path.join(ROOT, 'scripts/lab/lab.ts') }, outdir: OUT, outExtension: { '.js': '.cjs' }, bundle: true, platform: 'node', target: 'node22', format: 'cjs', logLevel: 'error' });
  const lab = path.join(OUT, 'lab.cjs');
  if (scenario === 'list') return (await run(process.execPath, [lab, 'scenarios'])).code;
  const up = ['up', scenario, '--id', ID];
  if (opt('rtt')) up.push('--rtt', opt('rtt'));
  if (opt('cap')) up.push('--cap', opt('cap'));
  process.stderr.write(`Raising the lab: ${scenario}${opt('rtt') ? `, RTT ${opt('rtt')} ms` : ''}${opt('cap') ? `, cap ${opt('cap')} bytes` : ''}…\n`);
  const r = await run(process.execPath, [lab, ...up], { capture: true });
  if (r.code !== 0) return r.code;
  const info = JSON.parse(r.stdout);
  let code;
  try {
    process.stderr.write(`\n$ longhaul diagnose --profile ${path.basename(info.profilePath)} --site site.json   (in namespace ${info.names.ns.artist})\n\n`);
    const args = ['netns', 'exec', info.names.ns.artist, process.execPath, path.join(OUT, 'longhaul.cjs'), 'diagnose', '--profile', info.profilePath];
    if (info.extra.sitePath) args.push('--site', info.extra.sitePath);
    code = (await run('/usr/sbin/ip', args)).code ?? 2;
    process.stderr.write(`\n(exit ${code}: 0 healthy, 1 degraded or broken, 2 could not run)\n`);
  } finally {
    if (argv.includes('--keep')) process.stderr.write(`Lab kept: ip netns exec ${info.names.ns.artist} bash; remove with npm run lab -- down --id ${ID}\n`);
    else await run(process.execPath, [lab, 'down', '--id', ID]);
  }
  return code;
}

main().then(
  (code) => (process.exitCode = code),
  (err) => {
    process.stderr.write(`demo: ${err.message}\n`);
    process.exitCode = 2;
  },
);
