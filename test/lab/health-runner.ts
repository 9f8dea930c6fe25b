/**
 * Runs INSIDE the artist namespace (bundled by health.test.ts), as root: the real tunnel controller (wg-quick backend,
 * handshake-freshness threshold injected: STALE_AFTER_SEC → 2 s) brings the lab profile up; the real status watcher
 * polls it and its events feed a real health tracker (`withHealthFeed`, tunnel.stale time-to-visible → 1 s). Then:
 *   1. the relay blocks UDP while pings keep the tunnel sending → `tunnel.stale` must appear in a `health.changed`;
 *   2. the relay stays blocked ≥ 16 s (WireGuard starts re-handshaking 15 s after its data went unanswered:
 *      KEEPALIVE_TIMEOUT + REKEY_TIMEOUT) and is unblocked → the next handshake retry completes → stale must clear;
 *   3. the interface is deleted behind Longhaul's back → `tunnel.vanished`; `down` → it clears.
 * Every phase waits for the tracker's event (bounded); prints one JSON document. argv: LAB_ID PROFILE_PATH WORK_DIR
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { HealthFinding } from '../../src-main/contract/health';
import { createCoreServices } from '../../src-main/core/app/services';
import { withHealthFeed } from '../../src-main/core/app/health';
import { createHealthTracker } from '../../src-main/core/health/tracker';
import { createWgQuickBackend } from '../../src-main/core/tunnel/backends/wg-quick';
import { createTunnelController } from '../../src-main/core/tunnel/controller';
import { startTunnelWatch } from '../../src-main/core/tunnel/watcher';
import { loadLab, relayStats, setRelay } from '../../scripts/lab';
import { runMain } from '../support/runner-main';

interface Seen {
  atMs: number;
  findings: HealthFinding[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<object> {
  const [labId, profilePath, work] = process.argv.slice(2) as [string, string, string];
  const lab = loadLab(Number(labId));
  if (!lab) throw new Error(`no lab ${labId}`);
  const core = createCoreServices({ face: 'cli', dataDir: path.join(work, 'data'), policySources: [] });
  const name = path.basename(profilePath, '.conf');
  const controller = createTunnelController({
    runner: core.runner,
    logger: core.logger,
    backend: createWgQuickBackend(core.runner, 'linux'),
    runtimeDir: path.join(work, 'tunnels'),
    staleAfterSec: 2,
  });
  const up = await controller.up({ name, text: readFileSync(profilePath, 'utf8'), waitSec: 20 });
  if (up.state !== 'connected') throw new Error(`up: ${up.state} ${up.reason} ${up.message}`);

  const tracker = createHealthTracker({ debounceMs: 50, timeToVisibleMs: { 'tunnel.stale': 1000 } });
  const seen: Seen[] = [];
  tracker.onChange((findings) => seen.push({ atMs: Date.now(), findings }));
  const host = withHealthFeed({ emit: () => {}, notify: () => {} }, tracker);
  const watcher = startTunnelWatch(core, host, { intervalMs: 250, read: async () => [await controller.status(name)] });

  let pinging = true;
  const pinger = (async () => {
    while (pinging) {
      await core.runner.run('ping', ['-c', '1', '-W', '1', lab.names.addr.gatewayTunnel], { okCodes: 'any', timeoutMs: 5000 });
      await sleep(200);
    }
  })();

  const has = (s: Seen, code: string) => s.findings.some((f) => f.code === code);
  async function waitFor(what: string, pred: (s: Seen) => boolean, after: number, timeoutMs: number): Promise<Seen> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = seen.slice(after).find(pred);
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; events: ${JSON.stringify(seen.map((s) => s.findings.map((f) => f.code)))}`);
      await sleep(100);
    }
  }

  const healthyBefore = tracker.current();
  const before = await relayStats(lab);
  await setRelay(lab, { block: true });
  const blockedAtMs = Date.now();
  const stale = await waitFor('tunnel.stale', (s) => has(s, 'tunnel.stale'), 0, 40_000);
  const statusWhileStale = await controller.status(name);
  await sleep(Math.max(0, blockedAtMs + 16_000 - Date.now()));
  const whileBlocked = await relayStats(lab);
  const mark = seen.length;
  await setRelay(lab, { block: false });
  const unblockedAtMs = Date.now();
  const cleared = await waitFor('tunnel.stale to clear', (s) => !has(s, 'tunnel.stale'), mark, 40_000);
  const statusAfter = await controller.status(name);
  pinging = false;
  await pinger;

  const mark2 = seen.length;
  await core.runner.run('ip', ['link', 'del', 'dev', up.interface]);
  const vanished = await waitFor('tunnel.vanished', (s) => has(s, 'tunnel.vanished'), mark2, 10_000);
  const mark3 = seen.length;
  const down = await controller.down(name);
  await watcher.refresh();
  const vanishedCleared = await waitFor('tunnel.vanished to clear', (s) => !has(s, 'tunnel.vanished'), mark3, 10_000);
  watcher.stop();
  tracker.stop();

  return {
    up: { state: up.state, interface: up.interface },
    healthyBefore,
    blockedAtMs,
    unblockedAtMs,
    stale,
    statusWhileStale,
    cleared,
    statusAfter,
    dropped: whileBlocked.droppedBlocked - before.droppedBlocked,
    vanished,
    down: { state: down.state, reason: down.reason },
    vanishedCleared,
    events: seen.map((s) => s.findings.map((f) => f.code)),
  };
}

runMain(main);
