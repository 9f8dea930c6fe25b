/**
 * Start the browser-harness host (`dist/harness/host.cjs`) as a child process with its own data directory and read
 * its URL. Used by the e2e fixtures; specs that need a special environment (a policy file, a lab) start their own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface HarnessProcess {
  url: string;
  origin: string;
  dataDir: string;
  child: ChildProcess;
  stderr(): string;
  close(): Promise<void>;
}

export const ROOT = path.resolve(__dirname, '..');

export async function startHarnessProcess(opts: { env?: Record<string, string>; dataDir?: string; wrap?: string[] } = {}): Promise<HarnessProcess> {
  const host = path.join(ROOT, 'dist', 'harness', 'host.cjs');
  if (!fs.existsSync(host) || !fs.existsSync(path.join(ROOT, 'dist', 'renderer', 'index.html'))) {
    throw new Error('build first: npm run build (dist/harness/host.cjs and dist/renderer are missing)');
  }
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'lh-e2e-'));
  const cmd = [...(opts.wrap ?? []), process.execPath, host];
  const child = spawn(cmd[0]!, cmd.slice(1), {
    env: { ...process.env, LONGHAUL_DATA_DIR: dataDir, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`harness did not start: ${err}`)), 20_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /LONGHAUL_HARNESS_URL=(\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`harness exited with ${code}: ${err}`)));
  });
  return {
    url,
    origin: new URL(url).origin,
    dataDir,
    child,
    stderr: () => err,
    close: async () => {
      if (child.exitCode === null) {
        const done = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await done;
      }
    },
  };
}
