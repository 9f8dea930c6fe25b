#!/usr/bin/env node
/**
 * `npm run bench` (root, Linux; not part of the test command): the built CLI's `diagnose` wall time against the lab,
 * median of 5, at 0, 100 and 200 ms RTT, healthy and blackhole — side by side with the by-hand operator sequence
 *   ping -c1 -W2 DNS; dig +tries=1 +time=2 @DNS name; ping -M do -c1 -W2 -s $((MTU-28)) DNS;
 *   timeout 10 openssl s_client -connect host:47984 </dev/null
 * run in the same artist namespace. Node start-up (`node -e 0` in the namespace) is shown separately; the ratio is
 * by-hand / longhaul. Bundles the CLI and the lab with esbuild into dist/bench/ first. Lab ids 28 and 29.
 * Options: --runs N (default 5), --rtt 0,100,200.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'dist', 'bench');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : dflt;
};
const RUNS = Number(opt('runs', '5'));
const RTTS = opt('rtt', '0,100,200').split(',').map(Number);

function run(file, argv, { input, timeoutMs = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(file, argv, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, ms: Number(process.hrtime.bigint() - t0) / 1e6, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() });
    });
    child.stdin.end(input ?? '');
  });
}

function which(p) {
  for (const d of ['/usr/sbin', '/usr/bin', '/sbin', '/bin', '/usr/local/bin']) if (existsSync(path.join(d, p))) return path.join(d, p);
  throw new Error(`${p} is not installed`);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main() {
  if (process.getuid?.() !== 0) throw new Error('the bench needs root (it raises the lab)');
  await build({ entryPoints: { 'longhaul': path.join(ROOT, 'src-main/cli/entry.ts'), 'lab': path.join(ROOT, 'scripts/lab/lab.ts') }, outdir: OUT, outExtension: { '.js': '.cjs' }, bundle: true, platform: 'node', target: 'node22', format: 'cjs', logLevel: 'error' });
  const cli = path.join(OUT, 'longhaul.cjs');
  const labCli = path.join(OUT, 'lab.cjs');
  const ip = which('ip');
  const lab = async (...a) => {
    const r = await run(process.execPath, [labCli, ...a]);
    if (r.code !== 0) throw new Error(`lab ${a.join(' ')}: ${r.stderr}`);
    return r.stdout.trim() ? JSON.parse(r.stdout) : null;
  };
  const labs = [
    { name: 'healthy', scenario: 'farm-healthy', id: 28 },
    { name: 'blackhole', scenario: 'farm-blackhole', id: 29 },
  ];
  const rows = [];
  try {
    for (const l of labs) l.info = await lab('up', l.scenario, '--id', String(l.id));
    for (const rtt of RTTS) {
      for (const l of labs) {
        await lab('relay', '--id', String(l.id), '--rtt', String(rtt));
        const ns = l.info.names.ns.artist;
        const inNs = (file, argv, o) => run(ip, ['netns', 'exec', ns, file, ...argv], o);
        const dns = l.info.names.addr.gatewayTunnel;
        const host = l.info.extra.streamHost;
        const name = l.info.extra.dnsNames[0];
        const env = ['env', `LONGHAUL_DATA_DIR=${path.join(l.info.dir, 'bench-data')}`];
        const diagnose = () => inNs(which('env'), [...env.slice(1), process.execPath, cli, 'diagnose', '--profile', l.info.profilePath, '--site', l.info.extra.sitePath, '--json']);
        await diagnose(); // warm-up: the tunnel's handshake, page cache
        const lh = [];
        const inner = [];
        const byHand = [];
        const node = [];
        let doc = null;
        for (let i = 0; i < RUNS; i++) {
          const r = await diagnose();
          doc = JSON.parse(r.stdout);
          lh.push(r.ms);
          inner.push(doc.durationMs);
          node.push((await inNs(process.execPath, ['-e', '0'])).ms);
          let total = 0;
          total += (await inNs(which('ping'), ['-c1', '-W2', dns])).ms;
          total += (await inNs(which('dig'), ['+tries=1', '+time=2', `@${dns}`, name])).ms;
          total += (await inNs(which('ping'), ['-M', 'do', '-c1', '-W2', '-s', String(1420 - 28), dns])).ms;
          total += (await inNs(which('timeout'), ['10', which('openssl'), 's_client', '-connect', `${host}:47984`])).ms;
          byHand.push(total);
        }
        const row = {
          scenario: l.name,
          rttMs: rtt,
          longhaulMs: Math.round(median(lh)),
          diagnosisMs: Math.round(median(inner)),
          nodeStartMs: Math.round(median(node)),
          byHandMs: Math.round(median(byHand)),
          ratio: (median(byHand) / median(lh)).toFixed(1),
          verdict: doc.verdict,
          pathMtu: doc.pathMtu,
        };
        rows.push(row);
        process.stderr.write(`${JSON.stringify(row)}\n`);
      }
    }
  } finally {
    for (const l of labs) await lab('down', '--id', String(l.id)).catch(() => {});
  }
  const head = ['scenario', 'RTT ms', 'longhaul ms (median)', 'of which diagnosis', 'node start', 'by hand ms', 'by hand / longhaul', 'verdict', 'pathMtu'];
  console.log(`| ${head.join(' | ')} |`);
  console.log(`|${head.map(() => '---').join('|')}|`);
  for (const r of rows) console.log(`| ${[r.scenario, r.rttMs, r.longhaulMs, r.diagnosisMs, r.nodeStartMs, r.byHandMs, r.ratio, r.verdict, r.pathMtu ?? 'none'].join(' | ')} |`);
  console.log(`\nruns per cell: ${RUNS}; targets at 200 ms RTT: healthy diagnosis ≤ 3·RTT + 300 ms = 900 ms, blackhole with exact pathMtu ≤ 3000 ms.`);
}

main().catch((err) => {
  process.stderr.write(`bench: ${err.message}\n`);
  process.exitCode = 1;
});
