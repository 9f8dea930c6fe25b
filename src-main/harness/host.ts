/**
 * `npm run harness`: start the browser harness host with the real core and print its URL (with the per-run token).
 * Options: --port N (default: random), --renderer DIR (default: dist/renderer next to this bundle).
 * Env: LONGHAUL_HARNESS_PICK_FILE — the file the stand-in open-file dialog returns (unset: the dialog is cancelled).
 * The first stdout line is `LONGHAUL_HARNESS_URL=<url>` for scripts and the e2e setup. Environment: plain Node.
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { createAppServices, createMainHandlers } from '../core/app/handlers';
import type { HostDelegate } from '../core/app/host';
import { startTunnelServices } from '../core/app/lifecycle';
import { startPolicyWatch } from '../core/app/policy-watch';
import { createCoreServices } from '../core/app/services';
import { startHarness } from './server';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string' }, renderer: { type: 'string' } } });
  const core = createCoreServices({ face: 'harness' });
  const rendererRoot = path.resolve(values.renderer ?? path.join(__dirname, '..', 'renderer'));
  const harness = await startHarness({ rendererRoot, port: values.port ? Number(values.port) : 0, logger: core.logger.child('harness') });
  const opened: string[] = [];
  const host: HostDelegate = {
    emit: harness.emit,
    notify: (level, text) => {
      core.logger.info('notification', { notice: level, text });
      harness.emit('app.notice', { level, text });
    },
    openPath: async (file) => {
      opened.push(file);
      core.logger.info('harness: open path requested (browser harness cannot open files)', { file });
    },
    showItemInFolder: (file) => core.logger.info('harness: show in folder requested', { file }),
    // STAND-IN for the OS open-file dialog (a browser page cannot open one for main): the file the artist "picks" is
    // named by LONGHAUL_HARNESS_PICK_FILE in the harness's own environment (tests, demos), never by the page; unset
    // means the artist cancelled.
    chooseFile: async (req) => {
      const picked = process.env.LONGHAUL_HARNESS_PICK_FILE || null;
      core.logger.info('harness: file dialog (stand-in)', { purpose: req.purpose, picked });
      return picked;
    },
  };
  const app = createAppServices(core, host);
  harness.setHandlers(createMainHandlers(core, host, app));
  const policyWatch = await startPolicyWatch(core, host);
  const tunnels = await startTunnelServices(core, host, app, () => policyWatch.current());
  process.on('SIGUSR2', () => tunnels.resume()); // stands in for "resume from sleep" in the harness
  process.stdout.write(`LONGHAUL_HARNESS_URL=${harness.url}\n`);
  process.stderr.write(`Longhaul browser harness on ${harness.origin} (data dir ${core.dataDir}). Open the URL above in Chromium.\n`);
  const stop = () => {
    policyWatch.close();
    tunnels.stop();
    void harness.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
