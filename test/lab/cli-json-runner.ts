/**
 * Runs INSIDE the artist namespace (bundled by cli-json.test.ts): `longhaul ARGV` in-process through `runCli`, for
 * each argument list in the JSON file argv[2], one after the other, and prints one JSON array of
 * {argv, code, stdout, stderr}. The data directory and secret store come from the environment.
 */
import { readFileSync } from 'node:fs';
import type { CliIO } from '../../src-main/cli/command';
import { runCli } from '../../src-main/cli/main';
import { runMain } from '../support/runner-main';

async function main(): Promise<object> {
  const runs = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as string[][];
  const results = [];
  for (const argv of runs) {
    let stdout = '';
    let stderr = '';
    const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTTY: false, env: process.env, cwd: process.cwd() };
    const code = await runCli(argv, io);
    results.push({ argv, code, stdout, stderr });
  }
  return results;
}

runMain(main, { label: 'cli-json-runner', failCode: 3 });
