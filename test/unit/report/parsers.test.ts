import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseResolvConf, parseResolvectlStatus } from '../../../src-main/core/report/collect/dns-linux';
import { parseScutilDns } from '../../../src-main/core/report/collect/dns-macos';
import { parseDnsServerJson, parseNrptList } from '../../../src-main/core/report/collect/dns-windows';

const sample = (name: string) => fs.readFileSync(path.join(__dirname, '../../fixtures/samples', name), 'utf8');

describe('Linux DNS parsers', () => {
  it('resolv.conf: systemd-resolved stub', () => {
    expect(parseResolvConf(sample('linux-etc-resolv-conf-systemd-resolved-stub.txt'))).toEqual({
      manager: 'systemd-resolved',
      nameservers: ['127.0.0.53'],
      search: ['.'],
      options: ['edns0', 'trust-ad'],
    });
  });
  it('resolv.conf: uplink, openresolv, Debian resolvconf header', () => {
    expect(parseResolvConf(sample('linux-etc-resolv-conf-systemd-resolved-uplink-v235.txt'))).toMatchObject({ nameservers: ['10.224.254.1', '10.224.253.1'], search: ['kuins.net'] });
    expect(parseResolvConf(sample('linux-etc-resolv-conf-openresolv-wg-quick.txt'))).toMatchObject({ manager: 'resolvconf', nameservers: ['10.64.0.1'] });
    expect(parseResolvConf(sample('linux-etc-resolv-conf-debian-resolvconf-header-truncated.txt'))).toMatchObject({ manager: 'resolvconf', nameservers: [] });
  });
  it('resolvectl status: global fallback servers across wrapped lines, links with default route', () => {
    const s = parseResolvectlStatus(sample('linux-resolvectl-status-fallback-default-route.txt'));
    expect(s.global.mode).toBe('stub');
    expect(s.global.fallbackServers.length).toBe(12);
    expect(s.global.fallbackServers).toContain('2620:fe::9#dns.quad9.net');
    expect(s.links.map((l) => [l.index, l.name, l.defaultRoute])).toEqual([
      [2, 'eno2', false],
      [3, 'eno1', true],
      [5, 'wlan0', false],
    ]);
    expect(s.links[1]).toMatchObject({ currentServer: 'fd64::fffe', servers: ['10.64.0.254', 'fd64::fffe'], scopes: ['DNS', 'LLMNR/IPv4', 'LLMNR/IPv6'] });
  });
  it('resolvectl status: varying label widths and trailing spaces', () => {
    const s = parseResolvectlStatus(sample('linux-resolvectl-status-trailing-spaces-truncated.txt'));
    expect(s.links.length).toBe(5);
    const wl = s.links.find((l) => l.name === 'wlp4s0')!;
    expect(wl).toMatchObject({ currentServer: '192.168.1.1', servers: ['192.168.1.1', 'fdb8:7b34:b3d9::1'], domains: ['lan'], defaultRoute: true });
    expect(s.links.find((l) => l.name === 'docker0')!.defaultRoute).toBe(false);
  });
});

describe('macOS scutil --dns', () => {
  it('new format: supplemental utun resolver, reach flags, order', () => {
    const d = parseScutilDns(sample('macos-scutil-dns-supplemental-utun-truncated.txt'));
    expect(d.resolvers.length).toBe(5);
    expect(d.resolvers[1]).toMatchObject({ domain: 'example.com', nameservers: ['172.31.66.13', '172.31.66.14'], ifIndex: 18, ifName: 'utun4', order: 102200, reach: ['Reachable'] });
    expect(d.resolvers[1]!.flags).toContain('Supplemental');
    expect(d.resolvers[0]!.nameservers[1]).toBe('2002:d106:7acc:0:deef:9ff:fea8:39e');
  });
  it('old format: Not Reachable on its own line, VPN resolver only in the scoped section', () => {
    const d = parseScutilDns(sample('macos-scutil-dns-openvpn-utun-scoped.txt'));
    expect(d.resolvers.length).toBe(7);
    expect(d.resolvers[0]!.reach).toEqual(['Not Reachable']);
    expect(d.scoped[0]).toMatchObject({ searchDomains: ['openvpn'], nameservers: ['8.8.8.8', '8.8.4.4'] });
  });
  it('scoped-only, transient utun first, elided output', () => {
    const s = parseScutilDns(sample('macos-scutil-dns-scoped-section-two-resolvers.txt'));
    expect(s.resolvers).toEqual([]);
    expect(s.scoped.map((r) => r.ifName)).toEqual(['en0', 'utun5']);
    const t = parseScutilDns(sample('macos-scutil-dns-utun-first-transient-truncated.txt'));
    expect(t.resolvers[0]).toMatchObject({ ifName: 'utun8', reach: ['Reachable', 'Transient Connection'] });
    const e = parseScutilDns(sample('macos-scutil-dns-ppp0-supplemental-elided.txt'));
    expect(e.resolvers.map((r) => r.ifName)).toEqual(['ppp0', 'en0']);
    expect(e.scoped.length).toBe(1);
  });
});

describe('Windows DNS', () => {
  it('NRPT Format-List (docs recording), wrapped values joined', () => {
    const rules = parseNrptList(sample('windows-pwsh-get-dnsclientnrptpolicy-docs-example.txt'));
    expect(rules.map((r) => r.namespace)).toEqual(['nls.corp.contoso.com', '.corp.contoso.com']);
    expect(rules[1]!.directAccessDnsServers).toEqual(['2001:db8:1::2', '2001:db8:2::20', '2001:db8:6::6']);
    expect(rules[0]!.dnsSecValidationRequired).toBe(false);
  });
  it('Get-DnsClientServerAddress JSON (UNVERIFIED shape): array or single object, numeric family', () => {
    const one = parseDnsServerJson('{"InterfaceAlias":"Longhaul","InterfaceIndex":27,"AddressFamily":2,"ServerAddresses":["10.8.0.1"]}');
    expect(one).toEqual([{ interfaceAlias: 'Longhaul', interfaceIndex: 27, family: 'IPv4', servers: ['10.8.0.1'] }]);
    const many = parseDnsServerJson('[{"InterfaceAlias":"Ethernet","InterfaceIndex":4,"AddressFamily":23,"ServerAddresses":[]}]');
    expect(many[0]!.family).toBe('IPv6');
    expect(() => parseDnsServerJson('InterfaceAlias : x')).toThrow(/not JSON/);
  });
});
