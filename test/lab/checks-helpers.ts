/**
 * Lab-test helpers for the self-checks: the CLI bundled once (test/support/bundle.ts) and
 * run `longhaul diagnose --json` INSIDE the artist namespace, as an artist would on their machine.
 */
import { readFileSync } from 'node:fs';
import { zipSync } from 'fflate';
import * as path from 'node:path';
import { createCoreServices } from '../../src-main/core/app/services';
import { createRunner } from '../../src-main/core/platform/runner';
import type { Lab } from '../../scripts/lab';
import { cliBundle, removeCliBundle } from '../support/bundle';

/** The release-built CLI (test/support/bundle.ts), shared by every lab test in this process. */
export { cliBundle, removeCliBundle };

export interface DiagnoseDoc {
  schemaVersion: number;
  verdict: 'healthy' | 'degraded' | 'broken';
  pathMtu: number | null;
  rttMs: number | null;
  findings: { code: string; severity: string; title: string; detail: string; fix: string; evidence: Record<string, unknown> }[];
  checks: { id: string; status: string; durationMs: number; summary: string; evidence: Record<string, unknown> }[];
}

/** Run the built CLI inside the artist namespace with a data directory of the lab's. */
export async function cliInLab(lab: Lab, argv: string[], dataDir = path.join(lab.dir, 'longhaul-data')): Promise<{ code: number; stdout: string; stderr: string }> {
  const cli = await cliBundle();
  const r = await createRunner().run('ip', ['netns', 'exec', lab.names.ns.artist, process.execPath, cli, ...argv], {
    okCodes: 'any',
    timeoutMs: 60_000,
    env: { LONGHAUL_DATA_DIR: dataDir, LONGHAUL_SECRET_STORE: 'file' },
  });
  return { code: r.code ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export async function diagnoseInLab(lab: Lab, extraArgs: string[] = []): Promise<{ code: number; doc: DiagnoseDoc; stderr: string }> {
  const site = lab.extra.sitePath as string | undefined;
  const r = await cliInLab(lab, ['diagnose', '--profile', lab.profilePath, ...(site ? ['--site', site] : []), '--json', ...extraArgs]);
  let doc: DiagnoseDoc;
  try {
    doc = JSON.parse(r.stdout) as DiagnoseDoc;
  } catch {
    throw new Error(`diagnose printed no JSON (exit ${r.code}): ${r.stdout.slice(0, 500)} ${r.stderr.slice(-1500)}`);
  }
  return { code: r.code, doc, stderr: r.stderr };
}

/** Store the lab's profile + site as a bundle in `dataDir` (file secret store), as `longhaul profile import` would. */
export async function storeLabProfile(lab: Lab, dataDir: string): Promise<void> {
  process.env.LONGHAUL_SECRET_STORE = 'file';
  const core = createCoreServices({ face: 'cli', dataDir });
  const name = path.basename(lab.profilePath, '.conf');
  const files: Record<string, Uint8Array> = { [`${name}.conf`]: readFileSync(lab.profilePath) };
  if (typeof lab.extra.sitePath === 'string') files['site.json'] = readFileSync(lab.extra.sitePath);
  const batch = await core.profiles.import({ fileName: `${name}.zip`, bytes: zipSync(files) });
  if (!batch.entries.every((e) => e.valid)) throw new Error(`could not store the lab profile: ${JSON.stringify(batch.entries)}`);
}

export const errorCodes = (d: DiagnoseDoc) => d.findings.filter((f) => f.severity === 'error').map((f) => f.code).sort();

export { isRoot } from '../support/lab';
