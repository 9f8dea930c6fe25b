/**
 * Policy-approved hooks (issue 8, `allowScripts`): the controller keeps PreUp/PostUp/PreDown/PostDown only when the
 * caller approved them (the helper for a policy site read now; root for its own policy-provisioned record while the
 * policy still allows scripts), and only on a backend that runs them (wg-quick). NetworkManager and WireGuard for
 * Windows refuse the profile with the reason, before any command runs. Backends run against a recording runner;
 * AllowedIPs is loopback so the handshake kick stays on this machine.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCoreServices } from '../../../src-main/core/app/services';
import { nullLogger } from '../../../src-main/core/log/logger';
import type { PolicySource } from '../../../src-main/core/policy/policy';
import { ProcessError, type ProcessRunner, type RunResult } from '../../../src-main/core/platform/runner';
import { createNetworkManagerBackend } from '../../../src-main/core/tunnel/backends/networkmanager';
import type { TunnelBackend } from '../../../src-main/core/tunnel/backends/types';
import { createWgQuickBackend } from '../../../src-main/core/tunnel/backends/wg-quick';
import { createWindowsBackend } from '../../../src-main/core/tunnel/backends/windows';
import { hooksApprovedFor } from '../../../src-main/core/tunnel/service';
import { createTunnelController } from '../../../src-main/core/tunnel/controller';
import { buildProfile } from '../../support/profile';

function recordingRunner(): { runner: ProcessRunner; calls: string[][] } {
  const calls: string[][] = [];
  const runner: ProcessRunner = {
    which: (p) => `/usr/bin/${p}`,
    run: (file, args, opts) => {
      calls.push([file, ...args]);
      // `ip link show` / `nmcli … show` / `wg.exe show` lookups answer "absent" so `up` proceeds to the backend's command.
      const absent = file === 'ip' || (file === 'nmcli' && args.includes('show')) || /wg\.exe$/i.test(file);
      const result = { file, args, code: absent ? 1 : 0, signal: null, stdout: '', stderr: absent ? 'No such device' : '', durationMs: 0 } satisfies RunResult;
      // As the real runner: a non-zero exit throws unless the caller accepts any code.
      if (absent && opts?.okCodes !== 'any') return Promise.reject(new ProcessError('exit', file, args, `${file} exited 1`, result));
      return Promise.resolve(result);
    },
    start: () => {
      throw new Error('not used');
    },
  };
  return { runner, calls };
}

const HOOKS = 'PostUp = iptables -A FORWARD -i %i -j ACCEPT\nPostDown = iptables -D FORWARD -i %i -j ACCEPT\n';

function profileText(hooks = HOOKS): string {
  return buildProfile({ address: '10.9.0.2/32', extra: hooks, endpoint: '127.0.0.1:51820', allowedIPs: '127.0.0.0/8' }).text;
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-hooks-'));
  fs.chmodSync(dir, 0o700);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function controllerWith(make: (r: ProcessRunner) => TunnelBackend) {
  const { runner, calls } = recordingRunner();
  const backend = make(runner);
  const c = createTunnelController({ runner, logger: nullLogger, backend, runtimeDir: path.join(dir, 'run'), resolver: async () => true });
  return { c, calls, backend };
}

const brought = (calls: string[][]) =>
  calls.filter((c) => (c[0] === 'wg-quick' && c[1] === 'up') || (c[0] === 'nmcli' && c.includes('import')) || (/wireguard\.exe$/i.test(c[0]!) && c[1] === '/installtunnelservice'));

describe('hooks: kept only when approved, and only on a backend that runs them', () => {
  it('wg-quick + approved: the file wg-quick reads carries PostUp/PostDown', async () => {
    const { c, calls } = controllerWith((r) => createWgQuickBackend(r, 'linux'));
    await c.up({ name: 'farm', text: profileText(), waitSec: 1, noWait: true, hooksApproved: true });
    const up = calls.find((x) => x[0] === 'wg-quick' && x[1] === 'up');
    expect(up).toBeDefined();
    const conf = fs.readFileSync(up![2]!, 'utf8');
    expect(conf).toMatch(/^PostUp = iptables -A FORWARD -i %i -j ACCEPT$/m);
    expect(conf).toMatch(/^PostDown = iptables -D FORWARD -i %i -j ACCEPT$/m);
  });

  it('wg-quick without approval: refused as hooks-refused, nothing run', async () => {
    const { c, calls } = controllerWith((r) => createWgQuickBackend(r, 'linux'));
    const s = await c.up({ name: 'farm', text: profileText(), waitSec: 1, noWait: true });
    expect(s).toMatchObject({ state: 'error', reason: 'hooks-refused' });
    expect(s.message).toMatch(/Longhaul runs them only for a profile IT delivers through managed policy with allowScripts/);
    expect(brought(calls)).toEqual([]);
  });

  it('NetworkManager + approved hooks: refused with the reason, no nmcli import', async () => {
    const { c, calls } = controllerWith((r) => createNetworkManagerBackend(r));
    const s = await c.up({ name: 'farm', text: profileText(), waitSec: 1, noWait: true, hooksApproved: true });
    expect(s).toMatchObject({ state: 'error', reason: 'hooks-refused' });
    expect(s.message).toMatch(/NetworkManager.*has no PreUp\/PostUp\/PreDown\/PostDown.*Ask IT for a profile without scripts/);
    expect(brought(calls)).toEqual([]);
  });

  it('WireGuard for Windows + approved hooks: refused (DangerousScriptExecution is never enabled)', async () => {
    const { c, calls } = controllerWith((r) => createWindowsBackend(r));
    const s = await c.up({ name: 'farm', text: profileText(), waitSec: 1, noWait: true, hooksApproved: true });
    expect(s).toMatchObject({ state: 'error', reason: 'hooks-refused' });
    expect(s.message).toMatch(/DangerousScriptExecution/);
    expect(brought(calls)).toEqual([]);
  });

  it('approval does not matter for a profile without hooks (NetworkManager and Windows proceed)', async () => {
    for (const make of [(r: ProcessRunner) => createNetworkManagerBackend(r), (r: ProcessRunner) => createWindowsBackend(r)]) {
      const { c, calls } = controllerWith(make);
      await c.up({ name: 'farm', text: profileText(''), waitSec: 1, noWait: true, hooksApproved: true });
      expect(brought(calls).length).toBe(1);
    }
  });

  it('SaveConfig stays refused even when hooks are approved', async () => {
    const { c, calls } = controllerWith((r) => createWgQuickBackend(r, 'linux'));
    const s = await c.up({ name: 'farm', text: profileText('SaveConfig = true\n'), waitSec: 1, noWait: true, hooksApproved: true });
    expect(s).toMatchObject({ state: 'error', reason: 'profile-invalid' });
    expect(brought(calls)).toEqual([]);
  });
});

describe('root acting directly: hooksApprovedFor', () => {
  const policy = (allowScripts: boolean): PolicySource => ({ name: 'test-policy', read: async () => ({ status: 'ok', values: { allowScripts }, unknownKeys: [] }) });

  async function storeWith(allowScriptsNow: boolean) {
    process.env.LONGHAUL_SECRET_STORE = 'file';
    const core = createCoreServices({ face: 'cli', dataDir: path.join(dir, `data-${String(allowScriptsNow)}`), policySources: [policy(allowScriptsNow)] });
    const store = core.profiles;
    await store.import({ fileName: 'site.conf', bytes: Buffer.from(profileText()), origin: 'policy', allowScripts: true });
    await store.import({ fileName: 'plain.conf', bytes: Buffer.from(profileText('')), origin: 'policy', allowScripts: false });
    await store.import({ fileName: 'mine.conf', bytes: Buffer.from(profileText('')) });
    return core;
  }

  it('true only for a policy record provisioned with allowScripts while the policy still allows scripts', async () => {
    const core = await storeWith(true);
    expect(await hooksApprovedFor(core, 'site')).toBe(true);
    expect(await hooksApprovedFor(core, 'SITE')).toBe(true);
    expect(await hooksApprovedFor(core, 'plain')).toBe(false);
    expect(await hooksApprovedFor(core, 'mine')).toBe(false);
    expect(await hooksApprovedFor(core, 'nosuch')).toBe(false);
  });

  it('a policy that withdrew allowScripts wins at once', async () => {
    const core = await storeWith(false);
    expect(await hooksApprovedFor(core, 'site')).toBe(false);
  });
});
