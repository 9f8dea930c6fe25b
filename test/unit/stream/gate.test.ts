import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../../src-main/core/checks/types';
import { makeFinding } from '../../../src-main/core/findings/finding';
import { evaluateGate, type GateCheckResult } from '../../../src-main/core/stream/gate';
import { gateItemsFromChecks, withStreamHost } from '../../../src-main/core/stream/gate-checks';

const pass = (id: string): GateCheckResult => ({ id, status: 'pass', summary: 'ok' });
const healthy = ['tunnel', 'stream-host-dns', 'dns-system', 'tls', 'path-mtu', 'sunshine-ports'].map(pass);
const opts = { maxPacketSizeOptIn: false, requireGate: false, override: false };

describe('pre-flight gate', () => {
  it('passes a healthy run and reports the packet size', () => {
    const g = evaluateGate({ checks: healthy, pathMtu: 1420 }, opts);
    expect(g.blocked).toBe(false);
    expect(g.items.map((i) => i.id)).toEqual(['tunnel', 'stream-host-dns', 'dns-system', 'tls', 'path-mtu', 'sunshine-ports', 'packet-size']);
    expect(g.packet).toMatchObject({ maxPacketSize: 1376, packetSize: null });
  });

  it('blocks on a red item, shows it as the blocker', () => {
    const checks = healthy.map((c) => (c.id === 'path-mtu' ? { ...c, status: 'fail' as const, findingCode: 'mtu.blackhole', fix: 'Set the tunnel MTU to 1380' } : c));
    const g = evaluateGate({ checks, pathMtu: 1380 }, opts);
    expect(g.blocked).toBe(true);
    expect(g.blockers.map((b) => b.findingCode)).toEqual(['mtu.blackhole']);
  });

  it('a missing check is shown as skipped, never as passed', () => {
    const g = evaluateGate({ checks: [pass('tunnel')], pathMtu: null }, opts);
    expect(g.items.find((i) => i.id === 'tls')).toMatchObject({ status: 'skip' });
    expect(g.items.find((i) => i.id === 'packet-size')).toMatchObject({ status: 'skip' });
    expect(g.blocked).toBe(false);
  });

  it('blocks when no Moonlight packet fits the path (1067) with the tunnel-MTU fix', () => {
    const g = evaluateGate({ checks: healthy, pathMtu: 1067 }, opts);
    expect(g.blocked).toBe(true);
    expect(g.blockers[0]).toMatchObject({ id: 'packet-size', findingCode: 'stream.path-mtu-too-small' });
    expect(g.blockers[0]!.fix).toMatch(/tunnel MTU to 1067/);
  });

  it('lets the artist override knowingly, unless policy requires the gate', () => {
    const red = healthy.map((c) => (c.id === 'tunnel' ? { ...c, status: 'fail' as const } : c));
    expect(evaluateGate({ checks: red, pathMtu: 1420 }, { ...opts, override: true })).toMatchObject({ blocked: false, overridden: true, overrideRefused: false });
    expect(evaluateGate({ checks: red, pathMtu: 1420 }, { ...opts, override: true, requireGate: true })).toMatchObject({ blocked: true, overridden: false, overrideRefused: true });
    expect(evaluateGate({ checks: healthy, pathMtu: 1420 }, { ...opts, override: true })).toMatchObject({ overridden: false });
  });
});

describe('checks engine → gate items', () => {
  const r = (id: string, status: CheckResult['status'], summary = 'ok'): CheckResult => ({ id, title: id, status, durationMs: 1, summary, evidence: {} });

  it('attaches findings and turns an error finding red even if the check only warned', () => {
    const results = [r('tunnel', 'pass'), r('icmp', 'warn'), r('dns-system', 'pass'), r('tls', 'warn', 'stalled'), r('path-mtu', 'warn', 'pathMtu 1380'), r('sunshine-ports', 'pass')];
    const findings = [makeFinding('mtu.blackhole', { pathMtu: 1380, tunnelMtu: 1420, moonlightPacketSize: 1328 })];
    const items = gateItemsFromChecks(results, findings);
    expect(items.map((i) => [i.id, i.status, i.findingCode ?? null])).toEqual([
      ['tunnel', 'pass', null],
      ['dns-system', 'pass', null],
      ['tls', 'warn', null],
      ['path-mtu', 'fail', 'mtu.blackhole'],
      ['sunshine-ports', 'pass', null],
    ]);
    expect(items[3]!.fix).toMatch(/1380/);
  });

  it('adds the stream host to the target so the engine probes it', () => {
    const t = { profileName: 'farm', interfaceName: 'farm', addresses: [], dns: [], mtu: null, peers: [], publicKey: null, site: null };
    expect(withStreamHost(t, '10.77.0.10').site!.streamHosts).toEqual([{ name: '10.77.0.10', host: '10.77.0.10' }]);
  });
});
