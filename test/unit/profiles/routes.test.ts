import { describe, expect, it } from 'vitest';
import { findRouteConflicts, parsePrefix, prefixesOverlap } from '../../../src-main/core/profiles';

const peers = (...allowed: string[]) => ({ peers: [{ publicKey: 'x', presharedKey: null, allowedIps: allowed, endpoint: null, persistentKeepalive: null }] });

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

  it('another tunnel seen by its address and by its route is one conflict, naming the wider route', () => {
    const nets = [
      { interface: 'wg1', prefix: '10.8.0.2/32', tunnel: true },
      { interface: 'wg1', prefix: '10.8.0.0/24', tunnel: true },
      { interface: 'eth0', prefix: '10.8.0.0/24', tunnel: false },
    ];
    const f = findRouteConflicts(peers('10.8.0.0/24'), nets, [], []);
    expect(f.map((x) => `${x.evidence.interface} ${x.evidence.localPrefix} ${x.evidence.kind}`)).toEqual(['wg1 10.8.0.0/24 tunnel-interface', 'eth0 10.8.0.0/24 local']);
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

  it('another tunnel\'s interface network is a route.conflict naming that interface; a connected Longhaul tunnel on it is reported once, by name', () => {
    const nets = [{ interface: 'wg-other', prefix: '10.8.5.7/24', tunnel: true }];
    const f = findRouteConflicts(peers('10.8.0.0/16'), nets, [], []);
    expect(f.map((x) => [x.code, x.evidence.kind, x.evidence.interface, x.evidence.localPrefix])).toEqual([['route.conflict', 'tunnel-interface', 'wg-other', '10.8.5.0/24']]);
    expect(f[0]!.detail).toContain('another tunnel');
    expect(f[0]!.detail).toContain('wg-other');
    const both = findRouteConflicts(peers('10.8.0.0/16'), nets, [{ name: 'studio', interface: 'wg-other', prefixes: ['10.8.5.0/24'] }], []);
    expect(both.map((x) => [x.evidence.kind, x.evidence.tunnel ?? x.evidence.interface])).toEqual([['tunnel', 'studio']]);
  });

  it('no overlap, no finding', () => {
    expect(findRouteConflicts(peers('10.8.0.0/24'), lan, [{ name: 't', interface: 't', prefixes: ['172.16.0.0/12'] }], [{ name: 'x', allowedIps: ['10.9.0.0/24'] }])).toEqual([]);
  });
});
