/**
 * Route conflicts against a real `ip -j addr` (iproute2 on this machine) in a namespace created here: a veth "LAN"
 * interface (its admin-down peer also has an address) and a wireguard-go tunnel interface; the up LAN and the other
 * tunnel count (the admin-down link does not), and a profile routing over either is a conflict.
 * Needs root.
 */
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunner } from '../../src-main/core/platform/runner';
import { readLocalNetworks } from '../../src-main/core/net/local-networks';
import { findRouteConflicts, parseProfile } from '../../src-main/core/profiles';
import { conf, PUB } from '../unit/profiles/keys';
import { isRoot, warnSkippedUnlessRoot } from '../support/lab';

warnSkippedUnlessRoot('test/lab/profiles-routes.test.ts needs root (real namespaces)');

const runner = createRunner();
const n = (process.pid % 100000) + 1;
const ns = `lhp-${n}`;
const lan = `lhplan${n}`.slice(0, 15);
const tun = `lhpr${n}`;
let wgGo: ChildProcess | null = null;

describe.skipIf(!isRoot)('route conflicts on a real namespace', () => {
  beforeAll(async () => {
    await runner.run('ip', ['netns', 'add', ns]);
    await runner.run('ip', ['-n', ns, 'link', 'add', lan, 'type', 'veth', 'peer', 'name', 'lhpdown']);
    await runner.run('ip', ['-n', ns, 'addr', 'add', '192.168.77.20/24', 'dev', lan]);
    await runner.run('ip', ['-n', ns, 'link', 'set', lan, 'up']);
    await runner.run('ip', ['-n', ns, 'addr', 'add', '172.20.0.1/16', 'dev', 'lhpdown']);
    wgGo = runner.start('ip', ['netns', 'exec', ns, 'wireguard-go', '-f', tun], { env: { WG_PROCESS_FOREGROUND: '1' } });
    for (let i = 0; i < 200 && !fs.existsSync(`/var/run/wireguard/${tun}.sock`); i++) await new Promise((r) => setTimeout(r, 50));
    await runner.run('ip', ['-n', ns, 'addr', 'add', '10.8.0.2/24', 'dev', tun]);
    await runner.run('ip', ['-n', ns, 'link', 'set', tun, 'up']);
  });
  afterAll(async () => {
    await runner.run('ip', ['-n', ns, 'link', 'del', tun], { okCodes: 'any' }).catch(() => undefined);
    wgGo?.kill('SIGTERM');
    await runner.run('ip', ['netns', 'del', ns], { okCodes: 'any' }).catch(() => undefined);
    fs.rmSync(`/var/run/wireguard/${tun}.sock`, { force: true });
  });

  it('reads up, global subnets of LANs and tunnels', async () => {
    const nets = await readLocalNetworks(runner, {}, { netns: ns, platform: 'linux' });
    expect(nets.map((a) => [a.interface, a.prefix, a.tunnel])).toEqual([
      [lan, '192.168.77.0/24', false],
      [tun, '10.8.0.0/24', true],
    ]);
    const withoutOwn = await readLocalNetworks(runner, { interface: tun }, { netns: ns, platform: 'linux' });
    expect(withoutOwn.map((a) => a.interface)).toEqual([lan]);
  });

  it('a profile routing the LAN subnet or the other tunnel\'s is a route.conflict; a distinct one is fine', async () => {
    const nets = await readLocalNetworks(runner, {}, { netns: ns, platform: 'linux' });
    const clash = parseProfile(conf({ peers: [{ pub: PUB, allowed: '192.168.0.0/16' }] }), { origin: 'user' }).profile!;
    const f = findRouteConflicts(clash, nets, [], []);
    expect(f.map((x) => [x.code, x.evidence.interface, x.evidence.localPrefix])).toEqual([['route.conflict', lan, '192.168.77.0/24']]);
    const overTunnel = parseProfile(conf({ peers: [{ pub: PUB, allowed: '10.8.0.0/16' }] }), { origin: 'user' }).profile!;
    expect(findRouteConflicts(overTunnel, nets, [], []).map((x) => [x.evidence.kind, x.evidence.interface, x.evidence.localPrefix])).toEqual([['tunnel-interface', tun, '10.8.0.0/24']]);
    const fine = parseProfile(conf({ peers: [{ pub: PUB, allowed: '10.9.0.0/24' }] }), { origin: 'user' }).profile!;
    expect(findRouteConflicts(fine, nets, [], [])).toEqual([]);
  });
});
