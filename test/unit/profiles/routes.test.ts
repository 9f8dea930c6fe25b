import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRouteConflicts, lanNetworks, parseIpJAddr, parsePrefix, prefixesOverlap } from '../../../src-main/core/profiles';

const sample = (n: string) => fs.readFileSync(path.resolve(__dirname, '../../fixtures/samples', n), 'utf8');
const peers = (...allowed: string[]) => ({ peers: [{ publicKey: 'x', presharedKey: null, allowedIps: allowed, endpoint: null, persistentKeepalive: null }] });

describe('ip -j addr (recording linux-ip-j-addr-wg-full-tunnel.txt)', () => {
  const addrs = parseIpJAddr(sample('linux-ip-j-addr-wg-full-tunnel.txt'));
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
  it('keeps only up, non-tunnel, non-loopback, global subnets', () => {
    expect(lanNetworks(addrs).map((a) => `${a.interface} ${a.prefix}`)).toEqual(['eth0 192.0.2.0/24']);
    expect(lanNetworks(addrs, ['eth0'])).toEqual([]);
  });
});

describe('prefix overlap', () => {
  it('is containment in either direction, per family', () => {
    const p = (s: string) => {
      const r = parsePrefix(s);
      if (!r.ok) throw new Error(s);
      return r.prefix;
    };
    expect(prefixesOverlap(p('10.0.0.0/8'), p('10.1.2.0/24'))).toBe(true);
    expect(prefixesOverlap(p('10.1.2.0/24'), p('10.0.0.0/8'))).toBe(true);
    expect(prefixesOverlap(p('10.1.2.0/24'), p('10.1.3.0/24'))).toBe(false);
    expect(prefixesOverlap(p('fd00::/8'), p('fd12:3456::/32'))).toBe(true);
    expect(prefixesOverlap(p('::ffff:10.0.0.0/104'), p('10.0.0.0/8'))).toBe(false);
    expect(prefixesOverlap(p('192.168.1.77/32'), p('192.168.1.0/24'))).toBe(true);
  });
});

describe('findRouteConflicts', () => {
  const lan = [{ interface: 'wlan0', prefix: '192.168.1.23/24' }];

  it('an AllowedIPs prefix overlapping the LAN is a route.conflict error with a plain fix', () => {
    const f = findRouteConflicts(peers('192.168.0.0/16', '10.8.0.0/24'), lan, [], []);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ code: 'route.conflict', severity: 'error', evidence: { prefix: '192.168.0.0/16', localPrefix: '192.168.1.0/24', interface: 'wlan0' } });
    expect(f[0].detail).toContain('192.168.0.0/16');
    expect(f[0].detail).toContain('wlan0');
    expect(f[0].fix).toContain('192.168.1.0/24');
  });

  it('/0 is not a conflict (full tunnel: the LAN route stays more specific)', () => {
    expect(findRouteConflicts(peers('0.0.0.0/0', '::/0'), lan, [], [])).toEqual([]);
  });

  it('overlap with another connected tunnel is an error; with a stored inactive profile a warning', () => {
    const f = findRouteConflicts(
      peers('10.8.0.0/16'),
      [],
      [{ name: 'studio', interface: 'studio', prefixes: ['10.8.5.0/24'] }],
      [
        { name: 'studio', allowedIps: ['10.8.5.0/24'] },
        { name: 'old', allowedIps: ['10.8.0.0/24', '0.0.0.0/0'] },
        { name: 'farm', allowedIps: ['10.8.0.0/16'] },
      ],
      'farm',
    );
    expect(f.map((x) => [x.code, x.severity, x.evidence.otherProfile ?? x.evidence.tunnel])).toEqual([
      ['route.conflict', 'error', 'studio'],
      ['route.overlap-inactive', 'warning', 'old'],
    ]);
  });

  it('no overlap, no finding', () => {
    expect(findRouteConflicts(peers('10.8.0.0/24'), lan, [{ name: 't', interface: 't', prefixes: ['172.16.0.0/12'] }], [{ name: 'x', allowedIps: ['10.9.0.0/24'] }])).toEqual([]);
  });
});

import { localNetworksFromOs } from '../../../src-main/core/profiles';
describe('local networks on macOS and Windows (Node os.networkInterfaces)', () => {
  it('keeps LAN subnets, drops loopback, link-local, tunnels and excluded interfaces', () => {
    const info = (address: string, cidr: string, internal = false) => ({ address, cidr, internal, netmask: '', family: address.includes(':') ? ('IPv6' as const) : ('IPv4' as const), mac: '00:00:00:00:00:00', scopeid: 0 });
    const nets = localNetworksFromOs(
      {
        lo0: [info('127.0.0.1', '127.0.0.1/8', true)],
        en0: [info('192.168.1.23', '192.168.1.23/24'), info('fe80::1', 'fe80::1/64')],
        utun3: [info('10.8.0.2', '10.8.0.2/32')],
        'Wi-Fi': [info('10.0.0.7', '10.0.0.7/16')],
        farm: [info('10.200.0.2', '10.200.0.2/32')],
      },
      ['farm'],
    );
    expect(nets.map((n) => `${n.interface} ${n.prefix}`)).toEqual(['en0 192.168.1.0/24', 'Wi-Fi 10.0.0.0/16']);
  });
});
