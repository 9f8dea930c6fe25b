/**
 * `status NAME` reads only Longhaul's own tunnels (issue 13, item 9): the helper runs as root, and `wg show NAME dump`
 * for any interface would hand another program's WireGuard configuration (peers, endpoints, traffic) to every user
 * allowed to ask. Longhaul's own = its runtime marker, a delivered copy, an IT-installed NAME.conf or a policy site
 * (the notion `down` uses). Anything else gets a clear refusal and no program is run for it. Backends run against a
 * recording runner here (a regression must not touch a real interface); `lo` is a real interface that exists on
 * every Linux machine, so the wg-quick backend's existence check really finds it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nullLogger } from '../../../src-main/core/log/logger';
import type { ProcessRunner, RunResult } from '../../../src-main/core/platform/runner';
import { createNetworkManagerBackend, nmcliCommands } from '../../../src-main/core/tunnel/backends/networkmanager';
import type { CommandLine, TunnelBackend } from '../../../src-main/core/tunnel/backends/types';
import { createWgQuickBackend, wgQuickCommands } from '../../../src-main/core/tunnel/backends/wg-quick';
import { createWindowsBackend, windowsCommands } from '../../../src-main/core/tunnel/backends/windows';
import { createTunnelController } from '../../../src-main/core/tunnel/controller';
import { writeMarker } from '../../../src-main/core/tunnel/runtime-files';
import { isHelperName, parseHelperArgs } from '../../../src-main/helper/args';
import { runHelper, type HelperConfig } from '../../../src-main/helper/main';
import { isRoot, warnSkippedUnlessRoot } from '../../support/lab';

warnSkippedUnlessRoot('test/unit/tunnel/helper-status-scope.test.ts: its root-only tests are skipped (run as root)');

const hasLo = fs.existsSync('/sys/class/net/lo');

function recordingRunner(): { runner: ProcessRunner; calls: string[][] } {
  const calls: string[][] = [];
  const runner: ProcessRunner = {
    which: (p) => (path.isAbsolute(p) ? p : `/usr/bin/${p}`),
    run: (file, args) => {
      calls.push([file, ...args]);
      // `wg show X dump` of an interface with no peers: the interface line only (wg(8) dump format).
      return Promise.resolve({ file, args, code: 0, signal: null, stdout: '(none)\tpubkeyAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\t51820\toff\n', stderr: '', durationMs: 0 } satisfies RunResult);
    },
    start: () => {
      throw new Error('not used');
    },
  };
  return { runner, calls };
}

function tmp(label: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `lh-scope-${label}-`));
  fs.chmodSync(d, 0o700);
  return d;
}

const backends: [string, (r: ProcessRunner) => TunnelBackend][] = [
  ['wg-quick', (r) => createWgQuickBackend(r, 'linux')],
  ['networkmanager', (r) => createNetworkManagerBackend(r)],
  ['windows', (r) => createWindowsBackend(r)],
];

describe.skipIf(!hasLo)('controller.status reads only tunnels the caller vouches for', () => {
  it.each(backends)('%s: an existing interface without Longhaul’s marker → refused, nothing run; with the marker → read', async (_kind, make) => {
    const { runner, calls } = recordingRunner();
    const rt = tmp('ctl');
    const c = createTunnelController({ runner, logger: nullLogger, backend: make(runner), runtimeDir: rt });
    const s = await c.status('lo');
    expect(s).toMatchObject({ name: 'lo', state: 'error', reason: 'permission-denied', peers: [], message: expect.stringMatching(/^lo is not a Longhaul tunnel: Longhaul reports only tunnels it brought up/) });
    expect(calls).toEqual([]);
    writeMarker(rt, { name: 'lo', interface: 'lo', startedAt: 1, waitSec: 10 });
    await c.status('lo');
    expect(calls.map((x) => x.slice(-3))).toContainEqual(['show', 'lo', 'dump']);
  });

  it('a caller that vouches (allowUnmarked: the helper for IT’s file, root for its own store) reads it', async () => {
    const { runner, calls } = recordingRunner();
    const c = createTunnelController({ runner, logger: nullLogger, backend: createWgQuickBackend(runner, 'linux'), runtimeDir: tmp('ctl') });
    expect(await c.status('lo', { allowUnmarked: true })).toMatchObject({ name: 'lo', state: 'error', reason: 'no-handshake' });
    expect(calls.map((x) => x.slice(-3))).toEqual([['show', 'lo', 'dump']]);
  });

  it('down reports the state after taking its own tunnel down (marker gone by then)', async () => {
    const { runner } = recordingRunner();
    const rt = tmp('ctl');
    const c = createTunnelController({ runner, logger: nullLogger, backend: { ...createWgQuickBackend(runner, 'linux'), interfaceExists: () => Promise.resolve(false) }, runtimeDir: rt });
    writeMarker(rt, { name: 'farm', interface: 'farm', startedAt: 1, waitSec: 10 });
    expect(await c.down('farm')).toMatchObject({ name: 'farm', state: 'disconnected', reason: null });
  });
});

describe.skipIf(!isRoot || !hasLo)('helper status NAME (root)', () => {
  function cfg(): HelperConfig {
    return { profilesDir: tmp('prof'), runtimeDir: tmp('run'), logDir: null, ownerUid: 0 };
  }

  it('status of an interface that is not Longhaul’s (lo) is refused in plain words; so is a name never used', async () => {
    const c = cfg();
    for (const name of ['lo', 'lhscopenone0']) {
      const out = await runHelper(['status', name], { PKEXEC_UID: '1000' }, 0, { config: c });
      expect(out.doc).toMatchObject({ tunnels: [{ name, state: 'error', reason: 'permission-denied', message: expect.stringMatching(new RegExp(`^${name} is not a Longhaul tunnel`)) }], notLonghaul: [name] });
      expect(out.code).toBe(1);
    }
    expect(fs.readdirSync(c.profilesDir)).toEqual([]);
    expect(fs.readdirSync(c.runtimeDir)).toEqual([]);
  });

  it('status of Longhaul’s own names is answered: an IT-installed NAME.conf, a delivered copy, a marker', async () => {
    const c = cfg();
    fs.writeFileSync(path.join(c.profilesDir, 'lhscopeit0.conf'), '# IT\n', { mode: 0o600 });
    fs.writeFileSync(path.join(c.profilesDir, 'lhscopedl0.conf'), '# delivered\n', { mode: 0o600 });
    fs.writeFileSync(path.join(c.profilesDir, 'lhscopedl0.owner'), JSON.stringify({ uid: 1000, deliveredAt: '' }), { mode: 0o600 });
    writeMarker(c.runtimeDir, { name: 'lhscopemk0', interface: 'lhscopemk0', startedAt: 1, waitSec: 10 });
    for (const [name, state] of [['lhscopeit0', 'disconnected'], ['lhscopedl0', 'disconnected'], ['lhscopemk0', 'error']] as const) {
      const out = await runHelper(['status', name], { PKEXEC_UID: '1000' }, 0, { config: c });
      expect(out.doc.notLonghaul, name).toBeUndefined();
      expect((out.doc.tunnels as { name: string; state: string; reason: string | null }[])[0], name).toMatchObject({ name, state, reason: state === 'error' ? 'interface-vanished' : null });
    }
  });
});

describe('the helper’s NAME grammar: every command built from an accepted NAME names exactly that one interface', () => {
  const commandsOf = (name: string): CommandLine[] => [
    wgQuickCommands.dump(name),
    wgQuickCommands.deleteLink(name),
    wgQuickCommands.down(name), // macOS fallback (marked only): wg-quick reads a path only with '/' or '.conf'
    nmcliCommands.up(name),
    nmcliCommands.down(name),
    nmcliCommands.delete(name),
    nmcliCommands.noAutoconnect(name),
    windowsCommands.uninstall(name),
    windowsCommands.dump(name),
  ];
  const nameChars = fc.constantFrom(...'abzAZ09_=+.-/ ;$`\'"\\\n\0é'.split(''));

  it('accepted names are literal, option-free, path-free, keyword-free argv elements (fast-check)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: nameChars, maxLength: 17 }), fc.stringMatching(/^[a-zA-Z0-9_=+.-]{1,15}$/), fc.constantFrom('all', 'ALL', 'interfaces', 'Interfaces', 'help', 'default', 'lo', 'eth0', '-h', 'farm.conf')), (name) => {
        if (!isHelperName(name)) return;
        expect(parseHelperArgs(['status', name])).toEqual({ ok: true, request: { verb: 'status', name } });
        expect(name).toMatch(/^[a-zA-Z0-9_=+][a-zA-Z0-9_=+.-]{0,14}$/);
        expect(name.toLowerCase().endsWith('.conf')).toBe(false);
        expect(['all', 'interfaces']).not.toContain(name.toLowerCase());
        // Exactly where the template puts NAME, as one whole element (the fixed words around it unchanged).
        const template = commandsOf('\u0000NAME');
        expect(commandsOf(name)).toEqual(template.map((c) => ({ ...c, args: c.args.map((a) => (a === '\u0000NAME' ? name : a)) })));
      }),
      { numRuns: 1000 },
    );
  });

  it('wg show keywords are refused as names', () => {
    for (const kw of ['all', 'interfaces', 'INTERFACES']) expect(parseHelperArgs(['status', kw]).ok, kw).toBe(false);
  });
});
