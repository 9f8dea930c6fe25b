/**
 * Runs INSIDE the artist namespace (bundled by checks-handlers.test.ts): the real `checks.*` contract handlers over a
 * real core and profile store (temp data dir, file secret store). Imports the lab's profile + site as a bundle, runs
 * the checks, applies the MTU fix (reconnect = wg-quick down/up with the store's canonical file, MTU override
 * applied) while another run is still going (the fix cancels it), re-runs, and cancels a run. Prints one JSON document.
 * argv: PROFILE_PATH SITE_PATH WORK_DIR
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import type { ChecksDone } from '../../src-main/contract/checks';
import { createCoreServices } from '../../src-main/core/app/services';
import { createChecksHandlers } from '../../src-main/core/checks/handlers';
import { runMain } from '../support/runner-main';

async function main(): Promise<object> {
  const [profilePath, sitePath, work] = process.argv.slice(2) as [string, string, string];
  const core = createCoreServices({ face: 'cli' });
  const store = core.profiles;
  const name = path.basename(profilePath, '.conf');
  const zip = zipSync({ [`${name}.conf`]: readFileSync(profilePath), 'site.json': strToU8(readFileSync(sitePath, 'utf8')) });
  const batch = await store.import({ fileName: `${name}.zip`, bytes: zip });
  const done = new Map<string, ChecksDone>();
  const waiters = new Map<string, (d: ChecksDone) => void>();
  let progress = 0;
  const host = {
    emit: ((event: string, payload: unknown) => {
      if (event === 'checks.progress') progress++;
      if (event === 'checks.done') {
        const d = payload as ChecksDone;
        done.set(d.runId, d);
        waiters.get(d.runId)?.(d);
      }
    }) as Parameters<typeof createChecksHandlers>[1]['emit'],
  };
  const waitDone = (runId: string) => (done.has(runId) ? Promise.resolve(done.get(runId)!) : new Promise<ChecksDone>((r) => waiters.set(runId, r)));
  let reconnectMtu: string | null = null;
  const useDefault = process.env.LONGHAUL_TEST_DEFAULT_RECONNECT === '1';
  const handlers = createChecksHandlers(core, host, useDefault ? {} : {
    reconnect: async (profile) => {
      const dir = path.join(work, 'reconnect');
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const file = path.join(dir, `${profile}.conf`);
      const text = await store.canonicalText(profile);
      reconnectMtu = /^MTU = (\d+)$/m.exec(text)?.[1] ?? null;
      writeFileSync(file, text, { mode: 0o600 });
      try {
        await core.runner.run('wg-quick', ['down', profilePath], { timeoutMs: 30_000 });
        await core.runner.run('wg-quick', ['up', file], { timeoutMs: 30_000 });
      } finally {
        rmSync(file, { force: true });
      }
      return true;
    },
  });
  if (useDefault) reconnectMtu = 'default';
  const ctx = { host: 'harness' as const };
  const started = await handlers['checks.run']({ profile: name }, ctx);
  const first = await waitDone(started.runId);
  const last = await handlers['checks.last']({ profile: name }, ctx);
  // A run still going when the fix is applied (the artist pressed Run again just before): the fix cancels it.
  const inFlight = await handlers['checks.run']({ profile: name }, ctx);
  const fix = await handlers['checks.applyFix']({ runId: first.runId, code: 'mtu.blackhole' }, ctx);
  const second = fix.newRunId ? await waitDone(fix.newRunId) : null;
  const inFlightDone = await waitDone(inFlight.runId);
  const view = await store.get(name);
  const cancelRun = await handlers['checks.run']({ profile: name }, ctx);
  const cancel = await handlers['checks.cancel']({ runId: cancelRun.runId }, ctx);
  const cancelled = await waitDone(cancelRun.runId);
  const summary = (d: ChecksDone | null) => d && { verdict: d.verdict, codes: d.findings.map((f) => f.code), pathMtu: d.pathMtu, fixable: d.fixable, cancelled: d.cancelled };
  return {
    imported: batch.entries.map((e) => e.name),
    checkIds: started.checks.map((c) => c.id),
    progress,
    first: summary(first),
    lastIsFirst: last?.runId === first.runId,
    fix,
    reconnectMtu,
    mtuOverride: view?.mtuOverride ?? null,
    second: summary(second),
    inFlight: summary(inFlightDone),
    cancel,
    cancelled: summary(cancelled),
  };
}

runMain(main);
