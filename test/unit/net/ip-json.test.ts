/**
 * The one iproute2 JSON parser (core/net/ip-json.ts) on real recordings: test/fixtures/samples/linux-ip-j-*.txt
 * (iproute2 6.1.0, Debian 12; SOURCES there). The report, local networks and the tunnel check all read through it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIpAddr, parseIpLink, parseIpRoute, parseIpRule } from '../../../src-main/core/net/ip-json';

const sample = (name: string) => fs.readFileSync(path.join(__dirname, '../../fixtures/samples', name), 'utf8');

describe('ip -j parsers (recorded on Debian 12)', () => {
  it('ip -j addr: interfaces with MTU and addresses; wg has no MAC', () => {
    const ifs = parseIpAddr(sample('linux-ip-j-addr-wg-full-tunnel.txt'));
    expect(ifs.map((i) => [i.name, i.mtu])).toEqual([
      ['lo', 65536],
      ['eth0', 1500],
      ['wg1', 1420],
    ]);
    const eth0 = ifs[1]!;
    expect(eth0.mac).toBe('72:7b:75:67:71:a8');
    expect(eth0.addresses[0]).toEqual({ family: 'inet', address: '192.0.2.10', prefixLength: 24, scope: 'global' });
    const wg = ifs[2]!;
    expect(wg.mac).toBeNull();
    expect(wg.flags).toContain('POINTOPOINT');
    expect(wg.addresses.some((a) => a.address === '203.0.113.2' && a.prefixLength === 32)).toBe(true);
  });
  it('ip -j link parses as interfaces without addresses', () => {
    const ifs = parseIpAddr(sample('linux-ip-j-link.txt'));
    expect(ifs.length).toBe(3);
    expect(ifs.every((i) => i.addresses.length === 0)).toBe(true);
  });
  it('ip -j route: main table and wg-quick table 51820', () => {
    expect(parseIpRoute(sample('linux-ip-j-route-main.txt'))).toEqual([
      { dst: 'default', gateway: '192.0.2.1', dev: 'eth0', table: 'main', protocol: null, scope: null, prefsrc: null, metric: null, mtu: null, type: null },
      { dst: '192.0.2.0/24', gateway: null, dev: 'eth0', table: 'main', protocol: 'kernel', scope: 'link', prefsrc: '192.0.2.10', metric: null, mtu: null, type: null },
    ]);
    const t = parseIpRoute(sample('linux-ip-j-route-table-51820.txt'), '51820');
    expect(t[0]).toMatchObject({ dst: 'default', dev: 'wg1', table: '51820' });
    expect(parseIpRoute(sample('linux-ip-j-route-get-via-wg.txt'))[0]).toMatchObject({ table: '51820', prefsrc: '203.0.113.2' });
  });
  it('ip -j rule keeps scalar fields (fwmark, table)', () => {
    const rules = parseIpRule(sample('linux-ip-j-rule-wg-quick.txt'));
    expect(rules.some((r) => r.fwmark === '0xca6c')).toBe(true);
  });
  it('rejects non-JSON with the command name', () => {
    expect(() => parseIpAddr('1: lo: <LOOPBACK>')).toThrow(/ip -j addr: output is not JSON/);
  });
});

describe('ip -j link show dev IF (the tunnel check and path-MTU check)', () => {
  it('finds the named link with MTU and state, null when absent or not JSON', () => {
    expect(parseIpLink(sample('linux-ip-j-link.txt'), 'eth0')).toMatchObject({ name: 'eth0', mtu: 1500, state: 'UP', linkType: 'ether' });
    expect(parseIpLink(sample('linux-ip-j-link.txt'), 'wg1')).toMatchObject({ name: 'wg1', mtu: 1420, linkType: 'none' });
    expect(parseIpLink(sample('linux-ip-j-link.txt'), 'wg9')).toBeNull();
    expect(parseIpLink('Device "wg9" does not exist.', 'wg9')).toBeNull();
  });
});
