#!/usr/bin/env node
/**
 * `npm run demo [-- SCENARIO] [--rtt MS] [--cap BYTES] [--keep] [--no-browser]` (root, Linux): raise the fault lab with
 * a scenario (default farm-blackhole; `npm run demo -- list` shows them) and run the real `longhaul diagnose` against
 * it, live in this terminal, inside the artist's network namespace — Longhaul working without Electron. Lab id 27.
 * Then (unless --no-browser) the browser harness runs inside the same namespace with the lab's profile and site
 * imported, reachable from this machine's browser through a loopback forwarder (scripts/lab/forward.mjs): open the
 * printed URL, press "Run checks" (and "Apply fix" on a blackhole). Ctrl-C ends the demo.
 * The lab is removed afterwards unless --keep (then: `npm run lab -- down --id 27`).
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { zipSync } from 'fflate';
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

function run(file, args, { capture = false, env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: capture ? ['ignore', 'pipe', 'inherit'] : 'inherit', env: { ...process.env, ...env } });
    const out = [];
    child.stdout?.on('data', (d) => out.push(d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString() }));
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function waitFor(child, pattern) {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d.toString();
      const m = pattern.exec(out);
      if (m) resolve(m);
    });
    child.once('exit', (c) => reject(new Error(`exited with ${c} before it was ready`)));
  });
}

/** The harness inside the artist namespace, its data dir pre-filled with the lab's profile and site, served to this
 * machine's browser on the same port through two forwarders. Runs until Ctrl-C. */
async function browserHalf(info) {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'renderer', 'index.html')) || !fs.existsSync(path.join(ROOT, 'dist', 'harness', 'host.cjs'))) {
    process.stderr.write('Building the renderer and the harness…\n');
    spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  }
  const ns = info.names.ns.artist;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-demo-'));
  const dataDir = path.join(tmp, 'data');
  const files = { [`${info.names.profileName}.conf`]: fs.readFileSync(info.profilePath) };
  if (info.extra.sitePath) files['site.json'] = fs.readFileSync(info.extra.sitePath);
  const bundle = path.join(tmp, `${info.names.profileName}.zip`);
  fs.writeFileSync(bundle, zipSync(files), { mode: 0o600 });
  await run(process.execPath, [path.join(OUT, 'longhaul.cjs'), 'profile', 'import', bundle], { capture: true, env: { LONGHAUL_DATA_DIR: dataDir } });
  const port = await freePort();
  const sock = path.join(tmp, 'harness.sock');
  const children = [];
  const start = (file, args, env = {}) => {
    const c = spawn(file, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
    children.push(c);
    return c;
  };
  try {
    const host = start('/usr/sbin/ip', ['netns', 'exec', ns, process.execPath, path.join(ROOT, 'dist', 'harness', 'host.cjs'), '--port', String(port)], { LONGHAUL_DATA_DIR: dataDir });
    const [, url] = await waitFor(host, /LONGHAUL_HARNESS_URL=(\S+)/);
    await waitFor(start('/usr/sbin/ip', ['netns', 'exec', ns, process.execPath, path.join(ROOT, 'scripts', 'lab', 'forward.mjs'), 'unix-to-tcp', sock, String(port)]), /forwarding/);
    await waitFor(start(process.execPath, [path.join(ROOT, 'scripts', 'lab', 'forward.mjs'), 'tcp-to-unix', String(port), sock]), /forwarding/);
    process.stderr.write(`\nThe same lab in the browser harness (the page and its core run "on the artist's machine"):\n\n    ${url}\n\nOpen it in Chromium, go to Checks and press "Run checks". Ctrl-C ends the demo.\n`);
    await new Promise((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
  } finally {
    for (const c of children) c.kill('SIGTERM');
    fs.rmSync(tmp, { recursive: true, force: true });
  }
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
    if (!argv.includes('--no-browser')) await browserHalf(info);
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
