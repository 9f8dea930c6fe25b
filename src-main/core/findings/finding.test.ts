import { describe, expect, it } from 'vitest';
import { FINDING_CODES } from './definitions';
import { fillTemplate, makeFinding, suppressDependents, verdictOf } from './finding';
import { TEXTS_EN } from './texts.en';

describe('findings', () => {
  it('every code has a text with non-empty title, detail and fix', () => {
    for (const code of FINDING_CODES) {
      expect(TEXTS_EN[code].title.length, code).toBeGreaterThan(5);
      expect(TEXTS_EN[code].detail.length, code).toBeGreaterThan(5);
      expect(TEXTS_EN[code].fix.length, code).toBeGreaterThan(5);
    }
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(fillTemplate('MTU {pathMtu} on {iface}', { pathMtu: 1340 })).toBe('MTU 1340 on {iface}');
  });

  it('makeFinding takes severity and dependencies from the definitions', () => {
    const f = makeFinding('mtu.blackhole', { pathMtu: 1340, tunnelMtu: 1420, moonlightPacketSize: 1296 }, { pathMtu: 1340 });
    expect(f.severity).toBe('error');
    expect(f.dependsOn).toContain('tunnel.no-handshake');
    expect(f.fix).toContain('1340');
    expect(f.fix).toContain('1296');
  });

  it('suppresses dependents of a present finding, transitively, and keeps independent ones', () => {
    const list = [
      makeFinding('tunnel.no-handshake'),
      makeFinding('dns.resolver-unreachable'),
      makeFinding('mtu.blackhole'),
      makeFinding('route.conflict'),
    ];
    expect(suppressDependents(list).map((f) => f.code)).toEqual(['tunnel.no-handshake', 'route.conflict']);
    const tls = [makeFinding('mtu.blackhole'), makeFinding('tcp.large-payload-stalled')];
    expect(suppressDependents(tls).map((f) => f.code)).toEqual(['mtu.blackhole']);
    expect(suppressDependents([makeFinding('tcp.large-payload-stalled')]).map((f) => f.code)).toEqual(['tcp.large-payload-stalled']);
  });

  it('derives the verdict from severities', () => {
    expect(verdictOf([])).toBe('healthy');
    expect(verdictOf([makeFinding('icmp.unreachable')])).toBe('degraded');
    expect(verdictOf([makeFinding('icmp.unreachable'), makeFinding('tunnel.down')])).toBe('broken');
  });
});
