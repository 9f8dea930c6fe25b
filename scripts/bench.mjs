#!/usr/bin/env node
/**
 * `npm run bench` (root, Linux; not part of the test command): `longhaul diagnose` as a user sees it — the built CLI
 * (`bin/longhaul.cjs` after `npm run build:node`), wall time, median of 5, at 0, 100 and 200 ms RTT, healthy and
 * blackhole — side by side with the by-hand operator sequence, run in the same artist namespace in the same iteration:
 *   ping -c1 -W2 DNS; dig +tries=1 +time=2 @DNS name; ping -M do -c1 -W2 -s $((MTU-28)) DNS;
 *   timeout 10 openssl s_client -connect STREAMHOST:47984 </dev/null
 * The site file names the stream host by hostname (`--site hostname`, the default, as docs/site-file.md's example
 * does: it resolves through the tunnel's DNS) or by IP (`--site ip`, the lab's own site.json).
 * Per cell: wall time, the engine's own durationMs, start-up (`longhaul --version` wall; `node -e 0` beside it),
 * child processes started and peak RSS of the diagnosing process (scripts/lib/bench-probe.cjs, preloaded), and the
 * ratio by-hand / longhaul. Lab ids 95 (healthy) and 96 (blackhole). Options: --runs N (default 5), --rtt 0,100,200,
 * --site hostname|ip, --no-build (use the existing dist/).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : dflt;
};
const RUNS = Number(opt('runs', '5'));
const RTTS = opt('rtt', '0,100,200').split(',').map(Number);
const SITE = opt('site', 'hostname');
if (SITE !== 'hostname' && SITE !== 'ip') throw new Error(`--site hostname|ip, not ${SITE}`);

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
  if (!args.includes('--no-build')) {
    const b = await run(process.execPath, [path.join(ROOT, 'scripts/build-node.mjs')]);
    if (b.code !== 0) throw new Error(`build: ${b.stderr}`);
  }
  const cli = path.join(ROOT, 'bin', 'longhaul.cjs');
  const labCli = path.join(ROOT, 'dist', 'lab', 'lab.cjs');
  const probe = path.join(ROOT, 'scripts', 'lib', 'bench-probe.cjs');
  const ip = which('ip');
  const lab = async (...a) => {
    const r = await run(process.execPath, [labCli, ...a]);
    if (r.code !== 0) throw new Error(`lab ${a.join(' ')}: ${r.stderr}`);
    return r.stdout.trim() ? JSON.parse(r.stdout) : null;
  };
  const labs = [
    { name: 'healthy', scenario: 'farm-healthy', id: 95 },
    { name: 'blackhole', scenario: 'farm-blackhole', id: 96 },
  ];
  const rows = [];
  try {
    for (const l of labs) {
      l.info = await lab('up', l.scenario, '--id', String(l.id));
      const name = l.info.extra.dnsNames[0];
      // The hostname site: the lab's site with the stream host named by its DNS name (resolved through the tunnel).
      l.site = l.info.extra.sitePath;
      l.streamHost = l.info.extra.streamHost;
      if (SITE === 'hostname') {
        const site = JSON.parse(readFileSync(l.site, 'utf8'));
        site.streamHosts = site.streamHosts.map((h) => ({ ...h, host: name }));
        l.site = path.join(l.info.dir, 'bench-site.json');
        writeFileSync(l.site, JSON.stringify(site, null, 2) + '\n', { mode: 0o600 });
        l.streamHost = name;
      }
    }
    for (const rtt of RTTS) {
      for (const l of labs) {
        await lab('relay', '--id', String(l.id), '--rtt', String(rtt));
        const ns = l.info.names.ns.artist;
        const inNs = (file, argv, o) => run(ip, ['netns', 'exec', ns, file, ...argv], o);
        const dns = l.info.names.addr.gatewayTunnel;
        const name = l.info.extra.dnsNames[0];
        const stats = path.join(l.info.dir, 'bench-stats.jsonl');
        const env = [`LONGHAUL_DATA_DIR=${path.join(l.info.dir, 'bench-data')}`, `LONGHAUL_BENCH_STATS=${stats}`];
        const diagnose = () => inNs(which('env'), [...env, process.execPath, '--require', probe, cli, 'diagnose', '--profile', l.info.profilePath, '--site', l.site, '--json']);
        await diagnose(); // warm-up: the tunnel's handshake, page cache, compile cache
        await inNs(process.execPath, [cli, '--version']);
        rmSync(stats, { force: true });
        const lh = [];
        const inner = [];
        const byHand = [];
        const node = [];
        const version = [];
        let doc = null;
        for (let i = 0; i < RUNS; i++) {
          const r = await diagnose();
          doc = JSON.parse(r.stdout);
          lh.push(r.ms);
          inner.push(doc.durationMs);
          version.push((await inNs(process.execPath, [cli, '--version'])).ms);
          node.push((await inNs(process.execPath, ['-e', '0'])).ms);
          let total = 0;
          total += (await inNs(which('ping'), ['-c1', '-W2', dns])).ms;
          total += (await inNs(which('dig'), ['+tries=1', '+time=2', `@${dns}`, name])).ms;
          total += (await inNs(which('ping'), ['-M', 'do', '-c1', '-W2', '-s', String(1420 - 28), dns])).ms;
          total += (await inNs(which('timeout'), ['10', which('openssl'), 's_client', '-connect', `${l.streamHost}:47984`])).ms;
          byHand.push(total);
        }
        const probed = readFileSync(stats, 'utf8').trim().split('\n').map((x) => JSON.parse(x));
        const row = {
          scenario: l.name,
          site: SITE,
          rttMs: rtt,
          longhaulMs: Math.round(median(lh)),
          diagnosisMs: Math.round(median(inner)),
          versionMs: Math.round(median(version)),
          nodeStartMs: Math.round(median(node)),
          spawns: median(probed.map((p) => p.spawns)),
          maxRssMb: Math.round(Math.max(...probed.map((p) => p.maxRssKb)) / 1024),
          byHandMs: Math.round(median(byHand)),
          ratio: (median(lh) / median(byHand)).toFixed(2),
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
  const head = ['scenario', 'RTT ms', 'longhaul ms (wall)', 'of which diagnosis', '--version ms', 'node -e 0', 'spawns', 'peak RSS MB', 'by hand ms', 'longhaul / by hand', 'verdict', 'pathMtu'];
  console.log(`| ${head.join(' | ')} |`);
  console.log(`|${head.map(() => '---').join('|')}|`);
  for (const r of rows) console.log(`| ${[r.scenario, r.rttMs, r.longhaulMs, r.diagnosisMs, r.versionMs, r.nodeStartMs, r.spawns, r.maxRssMb, r.byHandMs, r.ratio, r.verdict, r.pathMtu ?? 'none'].join(' | ')} |`);
  console.log(`\nsite: stream host by ${SITE}; runs per cell: ${RUNS} (medians; peak RSS is the maximum); targets at 200 ms RTT: healthy ≤ 900 ms wall and ≤ 0.7 × by hand, blackhole with exact pathMtu ≤ 2000 ms, --version ≤ 150 ms, peak RSS ≤ 100 MB.`);
}

main().catch((err) => {
  process.stderr.write(`bench: ${err.message}\n`);
  process.exitCode = 1;
});
