/**
 * The privileged helper end to end in the lab (root; lab id 5): with nothing on stdin the bundled helper reads an
 * IT-provisioned canonical profile from a root-only directory, brings the tunnel up with wg-quick, reports status,
 * takes it down (the app's path, the profile on stdin, is tunnel-helper-stdin.test.ts); `down` of an interface Longhaul
 * did not bring up (the artist's veth) is refused and leaves it in place.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TunnelStatus } from '../../src-main/contract/tunnel';
import { createRunner } from '../../src-main/core/platform/runner';
import { labDown, labExec, labUp, type Lab } from '../../scripts/lab';
import { helperBundle } from '../support/bundle';
import { isRoot, warnSkippedUnlessRoot } from '../support/lab';

warnSkippedUnlessRoot('test/lab/tunnel-helper.test.ts: its root-only tests are skipped (run as root)');

describe.skipIf(!isRoot)('longhaul-helper in the lab', () => {
  let lab: Lab;
  let helper: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    lab = await labUp({ id: 5 });
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'longhaul-helper-'));
    helper = path.join(out, 'longhaul-helper.cjs');
    await helperBundle(helper);
    const profiles = path.join(lab.dir, 'helper-profiles');
    fs.mkdirSync(profiles, { mode: 0o700 });
    fs.copyFileSync(lab.profilePath, path.join(profiles, `${lab.names.profileName}.conf`));
    fs.chmodSync(path.join(profiles, `${lab.names.profileName}.conf`), 0o600);
    // Overridden directories must already exist, root-owned, mode 0700 exactly (the helper never creates them).
    const runtime = path.join(lab.dir, 'helper-run');
    const logs = path.join(lab.dir, 'helper-log');
    for (const d of [runtime, logs]) {
      fs.mkdirSync(d, { mode: 0o700 });
      fs.chmodSync(d, 0o700);
    }
    fs.chmodSync(profiles, 0o700);
    env = { LONGHAUL_HELPER_PROFILES_DIR: profiles, LONGHAUL_HELPER_RUNTIME_DIR: runtime, LONGHAUL_HELPER_LOG_DIR: logs, LONGHAUL_TUNNEL_BACKEND: 'wg-quick' };
  });
  afterAll(async () => {
    await labDown(5);
  });

  async function run(...argv: string[]): Promise<{ code: number; tunnels: TunnelStatus[] }> {
    const r = await createRunner().run('ip', ['netns', 'exec', lab.names.ns.artist, process.execPath, helper, ...argv], { okCodes: 'any', env, timeoutMs: 60_000 });
    const doc = JSON.parse(r.stdout) as { tunnels: TunnelStatus[] };
    return { code: r.code ?? -1, tunnels: doc.tunnels };
  }

  it('up NAME → handshake → status → down NAME', async () => {
    const up = await run('up', lab.names.profileName);
    expect(up.code).not.toBe(2);
    expect(['handshaking', 'connected']).toContain(up.tunnels[0]!.state);
    let st = await run('status', lab.names.profileName);
    for (let i = 0; i < 40 && st.tunnels[0]!.state !== 'connected'; i++) {
      await new Promise((r) => setTimeout(r, 250));
      st = await run('status', lab.names.profileName);
    }
    expect(st.tunnels[0]).toMatchObject({ state: 'connected', reason: null });
    const all = await run('status');
    expect(all.tunnels.map((t) => t.name)).toEqual([lab.names.profileName]);
    const ping = await labExec(lab, 'artist', 'ping', ['-c', '1', '-W', '5', lab.names.addr.gatewayTunnel]);
    expect(ping.stdout).toMatch(/1 received/);
    const down = await run('down', lab.names.profileName);
    expect(down.code).toBe(0);
    expect(down.tunnels[0]!.state).toBe('disconnected');
  });

  it('refuses a name that is not an installed profile', async () => {
    const r = await run('up', 'nosuch');
    expect(r.code).toBe(2);
  });

  it('refuses to take down an interface Longhaul did not bring up (the artist\'s own veth), changing nothing', async () => {
    const veth = lab.names.veth.artist;
    const r = await run('down', veth);
    expect(r.code).toBe(2);
    expect(r.tunnels[0]).toMatchObject({ name: veth, state: 'error', reason: 'permission-denied', message: expect.stringMatching(new RegExp(`^${veth} is not a Longhaul tunnel; nothing was changed`)) });
    expect((await labExec(lab, 'artist', 'ip', ['link', 'show', 'dev', veth], { okCodes: 'any' })).code).toBe(0);
  });
});
