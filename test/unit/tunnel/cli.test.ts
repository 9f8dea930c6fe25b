/** `longhaul up/down/status` argument handling, in-process (no tunnel is touched: every case fails before that). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../src-main/cli/main';
import type { CliIO } from '../../../src-main/cli/command';

function io(dataDir: string): CliIO & { out: string; err: string } {
  const o = {
    out: '',
    err: '',
    stdout: (t: string) => void (o.out += t),
    stderr: (t: string) => void (o.err += t),
    isTTY: false,
    env: { LONGHAUL_DATA_DIR: dataDir },
    cwd: dataDir,
  };
  return o;
}

describe('tunnel commands: arguments', () => {
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-tunnel-cli-'));
  process.env.LONGHAUL_DATA_DIR = data;
  process.env.LONGHAUL_SECRET_STORE = 'file';

  it('up needs exactly one PROFILE and a sane --wait', async () => {
    expect(await runCli(['up'], io(data))).toBe(2);
    const x = io(data);
    expect(await runCli(['up', 'farm', '--wait', 'soon'], x)).toBe(2);
    expect(x.err).toMatch(/--wait must be a whole number/);
  });

  it('up with an unknown stored name is "could not run" (2) and says how to list profiles', async () => {
    const x = io(data);
    expect(await runCli(['up', 'nosuch', '--json'], x)).toBe(2);
    expect(JSON.parse(x.out)).toMatchObject({ schemaVersion: 1, error: { message: expect.stringMatching(/profile list/) } });
  });

  it('up with an invalid file is refused (1) naming file and line, as before the resolver', async () => {
    const file = path.join(data, 'broken.conf');
    fs.writeFileSync(file, '[Interface]\nPrivateKey = nope\n');
    const x = io(data);
    expect(await runCli(['up', file], x)).toBe(1);
    expect(x.err).toMatch(/broken\.conf:2/);
  });

  it('down and status refuse names that cannot be profiles', async () => {
    expect(await runCli(['down', 'a name'], io(data))).toBe(2);
    expect(await runCli(['status', 'x;y'], io(data))).toBe(2);
  });
});
