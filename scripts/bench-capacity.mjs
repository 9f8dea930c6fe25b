#!/usr/bin/env node
/**
 * `npm run bench:capacity` (root, Linux; not part of the test command): stream-fitness accuracy and duration against
 * the lab. For each tbf cap on the farm-to-artist downlink and each relay RTT, the Longhaul measurement (the real
 * core, bundled from test/lab/capacity-runner.ts, run in the artist namespace; median of N runs) side by side with
 * the operator's `iperf3 -c GATEWAY -u -R -t 10 -l 1040 -b 2×CAP` in the same namespace and the same lab.
 *   fitted ÷ cap      Longhaul's recommended bitrate over the tbf cap (target [0.6, 0.95])
 *   delivered ÷ cap   the payload rate Longhaul's overloaded first step received (what iperf3 also reports)
 *   iperf3 ÷ cap      iperf3's received bitrate (end.sum_received) over the cap, with its loss
 * Lab id 78. Options: --runs N (default 3), --caps 10,25 (Mbit/s), --rtt 0,100,200, --target-factor 2,
 * --kernel-path (scenario capacity-kernel-path: the path namespace forwards WireGuard instead of the relay, fast enough
 * for 100 Mbit/s; the relay's RTT then does not apply, so only RTT 0 runs, and tbf's queue is 50 ms without the 80 KB
 * bound the relay needs).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : dflt;
};
const RUNS = Number(opt('runs', '3'));
const CAPS = opt('caps', '10,25').split(',').map(Number);
const RTTS = opt('rtt', '0,100,200').split(',').map(Number);
const FACTOR = Number(opt('target-factor', '2'));
const KERNEL_PATH = args.includes('--kernel-path');
if (KERNEL_PATH && RTTS.some((r) => r !== 0)) {
  process.stderr.write('--kernel-path: the relay is bypassed, its RTT does not apply: running RTT 0 only\n');
  RTTS.splice(0, RTTS.length, 0);
}
const ID = 78;

function which(p) {
  for (const d of ['/usr/sbin', '/usr/bin', '/sbin', '/bin', '/usr/local/bin']) if (existsSync(path.join(d, p))) return path.join(d, p);
  throw new Error(`${p} is not installed`);
}

function run(file, argv, { timeoutMs = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
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
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main() {
  if (process.getuid?.() !== 0) throw new Error('the bench needs root (it raises the lab)');
  // Under dist/ like scripts/bench.mjs: the lab bundle finds relay.mjs relative to itself.
  const work = path.join(ROOT, 'dist', 'bench-capacity');
  const runner = path.join(work, 'capacity-runner.cjs');
  const labCli = path.join(work, 'lab.cjs');
  await build({ entryPoints: { 'capacity-runner': path.join(ROOT, 'test/lab/capacity-runner.ts'), lab: path.join(ROOT, 'scripts/lab/lab.ts') }, outdir: work, outExtension: { '.js': '.cjs' }, bundle: true, platform: 'node', target: 'node22', format: 'cjs', logLevel: 'error' });
  const ip = which('ip');
  const lab = async (...a) => {
    const r = await run(process.execPath, [labCli, ...a]);
    if (r.code !== 0) throw new Error(`lab ${a.join(' ')}: ${r.stderr}`);
    return r.stdout.trim().startsWith('{') ? JSON.parse(r.stdout) : null;
  };
  const rows = [];
  try {
    await lab('up', KERNEL_PATH ? 'capacity-kernel-path' : 'capacity-fast', '--id', String(ID));
    const ns = { artist: `lh${ID}a`, path: `lh${ID}p` };
    const host = `10.200.${ID}.1`;
    for (const cap of CAPS) {
      const limit = Math.round(Math.min((cap * 1e6) / 8 * 0.05, KERNEL_PATH ? Infinity : 80_000));
      const tc = await run(ip, ['netns', 'exec', ns.path, which('tc'), 'qdisc', 'replace', 'dev', `lh${ID}p0`, 'root', 'tbf', 'rate', `${cap}mbit`, 'burst', '32kb', 'limit', String(limit)]);
      if (tc.code !== 0) throw new Error(`tc: ${tc.stderr}`);
      for (const rtt of RTTS) {
        if (!KERNEL_PATH) await lab('relay', '--id', String(ID), '--rtt', String(rtt));
        const fits = [];
        const delivered = [];
        const durations = [];
        for (let i = 0; i < RUNS; i++) {
          const opts = { host, ports: [5201, 5202], targetKbps: cap * 1000 * FACTOR, packetSize: 1024, fps: 60 };
          const r = await run(ip, ['netns', 'exec', ns.artist, process.execPath, runner, JSON.stringify(opts)]);
          const doc = JSON.parse(r.stdout);
          if (!doc.ok) throw new Error(`capacity: ${doc.code}: ${doc.message}`);
          fits.push(doc.result.downKbps / (cap * 1000));
          delivered.push(doc.result.steps[0].receivedKbps / (cap * 1000));
          durations.push(doc.result.durationMs);
        }
        const ip3 = await run(ip, ['netns', 'exec', ns.artist, which('iperf3'), '-c', host, '-p', '5201', '-u', '-R', '-t', '10', '-l', '1040', '-b', `${cap * FACTOR}M`, '--json'], { timeoutMs: 60_000 });
        let iperfRatio = NaN;
        let iperfLoss = NaN;
        try {
          // Reverse UDP: end.sum_received is what reached this namespace (end.sum is the sender's rate).
          const j = JSON.parse(ip3.stdout);
          iperfRatio = j.end.sum_received.bits_per_second / (cap * 1e6);
          iperfLoss = j.end.sum_received.lost_percent;
        } catch {}
        rows.push({ cap, rtt, fit: median(fits), delivered: median(delivered), ms: median(durations), iperf: iperfRatio, iperfLoss, iperfMs: ip3.ms });
        process.stderr.write(`cap ${cap} rtt ${rtt}: fitted/cap ${median(fits).toFixed(2)} in ${median(durations)} ms; iperf3 ${iperfRatio.toFixed(2)} in ${Math.round(ip3.ms)} ms\n`);
      }
    }
  } finally {
    await lab('down', '--id', String(ID)).catch(() => undefined);
  }
  const lines = [
    `| cap (tbf)${KERNEL_PATH ? ', kernel path' : ''} | RTT | Longhaul fitted ÷ cap | Longhaul delivered ÷ cap | Longhaul verdict (median of ${RUNS}) | iperf3 -u -R -t 10 received ÷ cap (loss) | iperf3 wall time |`,
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.cap} Mbit/s | ${r.rtt} ms | ${r.fit.toFixed(2)} | ${r.delivered.toFixed(2)} | ${(r.ms / 1000).toFixed(2)} s | ${Number.isNaN(r.iperf) ? 'failed' : `${r.iperf.toFixed(2)} (${r.iperfLoss.toFixed(0)} %)`} | ${(r.iperfMs / 1000).toFixed(1)} s |`),
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exit(1);
});
