/** Helpers for tests that run the moonlight-qt stand-in (scripts/standins/moonlight-standin). */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

export const MOONLIGHT_STANDIN = path.resolve(__dirname, '../../../scripts/standins/moonlight-standin');
export const SUNSHINE_STANDIN = path.resolve(__dirname, '../../../scripts/standins/sunshine-standin.mjs');

/** Run the stand-in; `stream` to 127.0.0.1:1 (refused at once) so only the grammar decides the exit code. */
export function standinRun(args: readonly string[], env: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [MOONLIGHT_STANDIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, MOONLIGHT_STANDIN_TIMEOUT_MS: '1000', ...env },
    timeout: 20_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
