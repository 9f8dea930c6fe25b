import { describe, expect, it } from 'vitest';
import { diagnose } from '../../../src-main/core/checks/diagnosis';
import { runChecks } from '../../../src-main/core/checks/engine';
import { findRouteConflicts } from '../../../src-main/core/profiles';
import { parseLatestHandshakes } from '../../../src-main/core/net/interface-linux';
import { createTiming } from '../../../src-main/core/checks/timing';
import type { Check, CheckProgress, CheckResult, CheckSystem, CheckTarget } from '../../../src-main/core/checks/types';
import { createRunner } from '../../../src-main/core/platform/runner';
import { createPingProbe } from '../../../src-main/core/checks/probes/ping';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const target: CheckTarget = {
  profileName: 'farm',
  interfaceName: 'farm',
  addresses: ['10.8.0.2/32'],
  dns: ['10.8.0.1'],
  mtu: null,
  peers: [{ publicKey: 'k', endpoint: 'gw.example:51820', allowedIps: ['10.8.0.0/24'] }],
  publicKey: 'PUB',
  site: { name: 's', dnsNames: ['ws1.farm'], streamHosts: [{ name: 'ws1', host: '10.8.0.10' }], probe: null },
};
const runner = createRunner();
const system: CheckSystem = { platform: 'linux', runner, ping: createPingProbe(runner, 'linux') };

const wait = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      reject(new Error('aborted'));
    });
  });

describe('check engine', () => {
  it('starts every check at once and streams progress', async () => {
    const started: string[] = [];
    const mk = (id: string, ms: number): Check => ({
      id,
      title: id,
      dependsOn: [],
      async run(_ctx, signal) {
        started.push(id);
        await wait(ms, signal);
        return { status: 'pass', summary: 'ok', evidence: {} };
      },
    });
    const progress: CheckProgress[] = [];
    const run = await runChecks([mk('a', 30), mk('b', 10)], target, system, { onProgress: (p) => progress.push(p) });
    expect(started).toEqual(['a', 'b']);
    expect(progress.filter((p) => p.state === 'running').map((p) => p.id)).toEqual(['a', 'b']);
    expect(progress.filter((p) => p.state === 'done').map((p) => p.id)).toEqual(['b', 'a']);
    expect(run.results.map((r) => r.status)).toEqual(['pass', 'pass']);
  });
  it('cancels dependents of a failed check and reports them skipped', async () => {
    const fail: Check = { id: 'tunnel', title: 't', dependsOn: [], run: async () => ({ status: 'fail', summary: 'down', evidence: { reason: 'absent' } }) };
    const dep: Check = {
      id: 'dns',
      title: 'd',
      dependsOn: ['tunnel'],
      async run(_c, signal) {
        await wait(10_000, signal);
        return { status: 'pass', summary: '', evidence: {} };
      },
    };
    const run = await runChecks([fail, dep], target, system);
    expect(run.results[1]).toMatchObject({ status: 'skip', evidence: { reason: 'dependency-failed', dependency: 'tunnel' } });
  });
  it('reports a check that finished before its dependency failed as skipped', async () => {
    const slowFail: Check = {
      id: 'tunnel',
      title: 't',
      dependsOn: [],
      async run(_c, signal) {
        await wait(20, signal);
        return { status: 'fail', summary: 'down', evidence: { reason: 'absent' } };
      },
    };
    const quick: Check = { id: 'dns', title: 'd', dependsOn: ['tunnel'], run: async () => ({ status: 'fail', summary: 'ENETUNREACH', evidence: {} }) };
    const progress: CheckProgress[] = [];
    const run = await runChecks([slowFail, quick], target, system, { onProgress: (p) => progress.push(p) });
    expect(run.results[1]).toMatchObject({ status: 'skip', evidence: { reason: 'dependency-failed', dependency: 'tunnel', earlier: 'ENETUNREACH' } });
    expect(progress.at(-1)).toMatchObject({ id: 'dns', state: 'done', result: { status: 'skip' } });
  });
  it('is cancellable', async () => {
    const slow: Check = {
      id: 'x',
      title: 'x',
      dependsOn: [],
      async run(_c, signal) {
        await wait(10_000, signal);
        return { status: 'pass', summary: '', evidence: {} };
      },
    };
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 20);
    const run = await runChecks([slow], target, system, { signal: ctl.signal });
    expect(run.cancelled).toBe(true);
    expect(run.results[0]).toMatchObject({ status: 'skip', summary: 'cancelled' });
  });
});

describe('timing', () => {
  it('tightens a waiting deadline once the first RTT sample arrives', async () => {
    const t = createTiming();
    const spec = { defaultMs: 10_000, rttMultiple: 3, minMs: 5 };
    const sig = t.deadline(spec);
    t.sample(4, 'icmp');
    await new Promise<void>((r) => sig.addEventListener('abort', () => r()));
    expect(t.rttMs()).toBe(4);
    expect(t.budget(spec)).toBe(12);
    t.sample(9, 'tcp');
    expect(t.rttMs()).toBe(4);
  });
});

const result = (id: string, status: CheckResult['status'], evidence: Record<string, unknown>): CheckResult => ({ id, title: id, status, durationMs: 1, summary: '', evidence });

describe('diagnosis rules', () => {
  it('suppresses DNS and MTU noise under a missing handshake', () => {
    const d = diagnose(
      [
        result('tunnel', 'fail', { reason: 'no-handshake' }),
        result('dns-tunnel', 'fail', { reason: 'resolver-unreachable', server: '10.8.0.1', outcome: 'timeout' }),
        result('route-conflict', 'pass', {}),
      ],
      target,
      null,
    );
    expect(d.findings.map((f) => f.code)).toEqual(['tunnel.no-handshake']);
    expect(d.findings[0]!.fix).toContain('PUB');
    expect(d.verdict).toBe('broken');
  });
  it('reports a blackhole with the MTU to set and the Moonlight packet size; the TLS stall is its dependent', () => {
    const d = diagnose(
      [
        result('path-mtu', 'fail', { reason: 'blackhole', pathMtu: 1328, tunnelMtu: 1420, moonlightPacketSize: 1280 }),
        result('tls', 'fail', { reason: 'stalled', target: '10.8.0.10:47984', timeoutMs: 1200 }),
      ],
      target,
      201.23,
    );
    expect(d.findings.map((f) => f.code)).toEqual(['mtu.blackhole']);
    expect(d.findings[0]!.evidence).toMatchObject({ pathMtu: 1328, setMtu: 1328, moonlightPacketSize: 1280 });
    expect(d.findings[0]!.fix).toContain('1280');
    expect(d).toMatchObject({ pathMtu: 1328, rttMs: 201.2 });
  });
  it('turns a check without a target into a checks.no-target warning', () => {
    const d = diagnose([result('tls', 'skip', { reason: 'no-target', why: 'no stream host', missing: 'streamHosts' })], target, null);
    expect(d.findings.map((f) => [f.code, f.severity])).toEqual([['checks.no-target', 'warning']]);
    expect(d.verdict).toBe('degraded');
  });
});

describe('tunnel readers (real recordings) and route overlap', () => {
  const dir = path.resolve(__dirname, '../../fixtures/samples');
  it('reads wg latest-handshakes (ip -j link: test/unit/net/ip-json.test.ts)', () => {
    const hs = parseLatestHandshakes(readFileSync(path.join(dir, 'linux-wg-show-all-latest-handshakes.txt'), 'utf8'));
    expect(hs).toEqual([{ publicKey: 'fLRi96ayWMVD0pEsP0BY4g5yH3mQsOW27gnq7Gn4sC0=', latest: 1795755311 }]);
  });
  it('passes the profiles module\'s route.conflict findings through', () => {
    const f = findRouteConflicts({ peers: [{ allowedIps: ['192.168.1.0/25'] }] } as Parameters<typeof findRouteConflicts>[0], [{ interface: 'eth0', prefix: '192.168.1.23/24' }], [], []);
    const d = diagnose([result('route-conflict', 'fail', { reason: 'conflict', findings: f })], target, null);
    expect(d.findings.map((x) => x.code)).toEqual(['route.conflict']);
    expect(d.findings[0]!.detail).toContain('eth0');
  });
});
