/**
 * Local networks (core/net/local-networks.ts), the one source for route conflicts: real `ip -j addr` recording
 * (test/fixtures/samples/linux-ip-j-addr-wg-full-tunnel.txt) and Node's `os.networkInterfaces()` shape (macOS/Windows).
 * LANs and other tunnels count; the tunnel's own interface and addresses, loopback and link/host scope do not.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addressesOfLinks, conflictNetworks, readLocalNetworks, tunnelRouteAddresses } from '../../../src-main/core/net/local-networks';
import { parseIpAddr, parseIpRoute } from '../../../src-main/core/net/ip-json';
import type { ProcessRunner } from '../../../src-main/core/platform/runner';

const sample = (n: string) => fs.readFileSync(path.resolve(__dirname, '../../fixtures/samples', n), 'utf8');

describe('ip -j addr (recording linux-ip-j-addr-wg-full-tunnel.txt)', () => {
  const addrs = addressesOfLinks(parseIpAddr(sample('linux-ip-j-addr-wg-full-tunnel.txt')));
  it('reads every address with its subnet and kind', () => {
    expect(addrs.map((a) => [a.interface, a.prefix, a.tunnel, a.loopback, a.scope])).toEqual([
      ['lo', '127.0.0.0/8', false, true, 'host'],
      ['lo', '::1/128', false, true, 'host'],
      ['eth0', '192.0.2.0/24', false, false, 'global'],
      ['eth0', 'fe80::/64', false, false, 'link'],
      ['wg1', '203.0.113.2/32', true, false, 'global'],
      ['wg1', 'fe80::/64', true, false, 'link'],
    ]);
  });
  it('keeps LANs and other tunnels (global, up), drops loopback and link scope', () => {
    expect(conflictNetworks(addrs).map((a) => `${a.interface} ${a.prefix} ${a.tunnel}`)).toEqual(['eth0 192.0.2.0/24 false', 'wg1 203.0.113.2/32 true']);
  });
  it('drops the tunnel\'s own interface, by name or by its own address', () => {
    expect(conflictNetworks(addrs, { interface: 'wg1' }).map((a) => a.interface)).toEqual(['eth0']);
    expect(conflictNetworks(addrs, { interface: 'farm', addresses: ['203.0.113.2/32'] }).map((a) => a.interface)).toEqual(['eth0']);
    expect(conflictNetworks(addrs, { interface: 'eth0', addresses: ['203.0.113.2'] })).toEqual([]);
  });
  it('adds the networks routed through other tunnels; default routes and LAN routes are not added', () => {
    const links = parseIpAddr(sample('linux-ip-j-addr-wg-full-tunnel.txt'));
    const recorded = [...parseIpRoute(sample('linux-ip-j-route-main.txt')), ...parseIpRoute(sample('linux-ip-j-route-table-51820.txt'), '51820')];
    expect(tunnelRouteAddresses(links, recorded)).toEqual([]);
    // A route wg-quick adds for `AllowedIPs = 10.8.0.0/24` (the shape of the recorded wg1 route, another destination).
    const split = parseIpRoute('[{"dst":"10.8.0.0/24","dev":"wg1","scope":"link","flags":[]},{"type":"local","dst":"203.0.113.2","dev":"wg1","table":"local","protocol":"kernel","scope":"host","prefsrc":"203.0.113.2","flags":[]}]');
    expect(tunnelRouteAddresses(links, split).map((a) => `${a.interface} ${a.prefix} ${a.tunnel}`)).toEqual(['wg1 10.8.0.0/24 true']);
  });
  it('reads `ip -j addr` and both families\' routes (with -n NS for another namespace) through the runner', async () => {
    const calls: string[][] = [];
    const out: Record<string, string> = { addr: sample('linux-ip-j-addr-wg-full-tunnel.txt'), '-4': '[{"dst":"10.8.0.0/24","dev":"wg1","scope":"link","flags":[]}]', '-6': '[]' };
    const runner = { run: async (_p: string, args: string[]) => (calls.push(args), { code: 0, stdout: out[args[3]!] ?? '', stderr: '' }) } as unknown as ProcessRunner;
    expect((await readLocalNetworks(runner, { interface: 'wg1' }, { platform: 'linux', netns: 'lh90a' })).map((n) => n.interface)).toEqual(['eth0']);
    expect((await readLocalNetworks(runner, { interface: 'farm' }, { platform: 'linux', netns: 'lh90a' })).map((n) => `${n.interface} ${n.prefix}`)).toEqual(['eth0 192.0.2.0/24', 'wg1 203.0.113.2/32', 'wg1 10.8.0.0/24']);
    // Linux names the interface: wg1 carrying the profile's own address under another name is another tunnel on the
    // same routes (the same profile up twice), not "this" tunnel — unlike macOS/Windows below.
    expect((await readLocalNetworks(runner, { interface: 'farm', addresses: ['203.0.113.2/32'] }, { platform: 'linux', netns: 'lh90a' })).map((n) => n.interface)).toEqual(['eth0', 'wg1', 'wg1']);
    expect(calls.slice(0, 3)).toEqual([
      ['-n', 'lh90a', '-j', 'addr'],
      ['-n', 'lh90a', '-j', '-4', 'route', 'show', 'table', 'all'],
      ['-n', 'lh90a', '-j', '-6', 'route', 'show', 'table', 'all'],
    ]);
  });
});

describe('local networks on macOS and Windows (Node os.networkInterfaces)', () => {
  const info = (address: string, cidr: string, internal = false) => ({ address, cidr, internal, netmask: '', family: address.includes(':') ? ('IPv6' as const) : ('IPv4' as const), mac: '00:00:00:00:00:00', scopeid: 0 });
  const interfaces = {
    lo0: [info('127.0.0.1', '127.0.0.1/8', true)],
    en0: [info('192.168.1.23', '192.168.1.23/24'), info('fe80::1', 'fe80::1/64')],
    utun3: [info('10.8.0.2', '10.8.0.2/32')],
    'Wi-Fi': [info('10.0.0.7', '10.0.0.7/16')],
    utun5: [info('10.200.0.2', '10.200.0.2/32')],
  };
  it('keeps LANs and other tunnels, drops loopback, link-local and the tunnel itself (found by its address)', async () => {
    const runner = { run: async () => { throw new Error('no program runs on macOS/Windows here'); } } as unknown as ProcessRunner;
    const nets = await readLocalNetworks(runner, { interface: 'farm', addresses: ['10.200.0.2/32'] }, { platform: 'darwin', interfaces });
    expect(nets.map((n) => `${n.interface} ${n.prefix} ${n.tunnel}`)).toEqual(['en0 192.168.1.0/24 false', 'utun3 10.8.0.2/32 true', 'Wi-Fi 10.0.0.0/16 false']);
  });
});
