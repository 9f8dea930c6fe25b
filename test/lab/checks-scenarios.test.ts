/**
 * Every self-check fault scenario (docs/checks.md) against the real lab: namespaces, wireguard-go at both ends, the
 * UDP relay, dnsmasq, iptables. `longhaul diagnose --json` runs INSIDE the artist namespace; each scenario is raised
 * once and its run reused for every assertion — including the support report's (report-lab-helpers.ts). Lab ids 10–29.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labUp, setRelay, type Lab } from '../../scripts/lab';
import { expectedInnerMtu, moonlightPacketSize } from '../../src-main/core/net/packet-size';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { cliInLab, diagnoseInLab, errorCodes, isRoot, removeCliBundle, storeLabProfile, type DiagnoseDoc } from './checks-helpers';
import { expectReportMatchesDiagnosis } from './report-lab-helpers';

if (!isRoot) console.warn('\n*** SKIPPED: self-check lab tests need root (namespaces, wireguard-go, iptables) ***\n');

const d = isRoot ? describe : describe.skip;
afterAll(() => removeCliBundle());

function scenario(id: number, name: string, body: (get: () => { lab: Lab; code: number; doc: DiagnoseDoc }) => void, opts: { rttMs?: number } = {}) {
  d(`lab scenario ${name}`, () => {
    let lab: Lab | undefined;
    let run: { code: number; doc: DiagnoseDoc } | undefined;
    beforeAll(async () => {
      lab = await labUp({ id, scenario: name, rttMs: opts.rttMs });
      run = await diagnoseInLab(lab);
    });
    afterAll(async () => {
      if (lab) await labDown(lab);
    });
    body(() => ({ lab: lab!, ...run! }));
    // The same raised lab, once more: the support report must name exactly what diagnose named.
    it('the support report of this lab matches the diagnosis (normal and strict), holds no lab key, renders offline', async () => {
      await expectReportMatchesDiagnosis(lab!, name, run!.doc);
    }, 400_000);
  });
}

scenario(10, 'farm-healthy', (get) => {
  it('is healthy with every check passing, exit 0', () => {
    const { doc, code, lab } = get();
    expect(doc.schemaVersion).toBe(1);
    expect(doc.findings).toEqual([]);
    expect(doc.verdict).toBe('healthy');
    expect(code).toBe(0);
    expect(doc.checks.map((c) => [c.id, c.status])).toEqual([
      ['tunnel', 'pass'],
      ['icmp', 'pass'],
      ['dns-tunnel', 'pass'],
      ['dns-system', 'pass'],
      ['path-mtu', 'pass'],
      ['tls', 'pass'],
      ['sunshine-ports', 'pass'],
      ['route-conflict', 'pass'],
    ]);
    expect(doc.pathMtu).toBe(1420);
    expect(doc.rttMs).not.toBeNull();
    const tls = doc.checks.find((c) => c.id === 'tls')!;
    expect(String((tls.evidence.received as string[])[0])).toContain('4 certs');
    expect(lab.extra.streamHost).toBe('10.200.10.10');
  });
  it('prints a checklist and the verdict without --json', async () => {
    const { lab } = get();
    const r = await cliInLab(lab, ['diagnose', '--profile', lab.profilePath, '--site', lab.extra.sitePath as string]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Verdict: healthy');
    expect(r.stdout).toContain('path MTU: 1420');
    expect(r.stderr).toContain('✓ Tunnel interface and handshake');
    expect(r.stderr).not.toContain('\u001b['); // not a TTY: no colour, no redraw
  });
  it('without a site: the site checks are skipped with checks.no-target warnings, nothing else', async () => {
    const { lab } = get();
    const r = await cliInLab(lab, ['diagnose', '--profile', lab.profilePath, '--json']);
    const doc = JSON.parse(r.stdout) as DiagnoseDoc;
    expect(doc.verdict).toBe('degraded');
    expect([...new Set(doc.findings.map((f) => `${f.code}/${f.severity}`))]).toEqual(['checks.no-target/warning']);
    expect(doc.checks.filter((c) => c.status === 'skip').map((c) => c.id).sort()).toEqual(['dns-system', 'sunshine-ports', 'tls']);
    expect(doc.pathMtu).toBe(1420);
    expect(r.code).toBe(1);
  });
  it('--interface names the interface when the profile file has another name', async () => {
    const { lab } = get();
    const copy = path.join(lab.dir, 'farm-profile.conf');
    writeFileSync(copy, readFileSync(lab.profilePath), { mode: 0o600 });
    const r = await cliInLab(lab, ['diagnose', '--profile', copy, '--site', lab.extra.sitePath as string, '--interface', 'lh10art', '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ verdict: 'healthy', profile: 'farm-profile', interface: 'lh10art' });
    const wrong = await cliInLab(lab, ['diagnose', '--profile', copy, '--site', lab.extra.sitePath as string, '--json']);
    // Without --interface the profile's own name is looked for (absent); lh10art then counts as another tunnel on the
    // same routes.
    expect(errorCodes(JSON.parse(wrong.stdout) as DiagnoseDoc)).toEqual(['route.conflict', 'tunnel.down']);
  });
  it('finds the single connected tunnel and its stored profile and site without --profile', async () => {
    const { lab } = get();
    const dataDir = path.join(lab.dir, 'stored-data');
    await storeLabProfile(lab, dataDir);
    const r = await cliInLab(lab, ['diagnose', '--json'], dataDir);
    const doc = JSON.parse(r.stdout) as DiagnoseDoc & { profile: string };
    expect(doc).toMatchObject({ verdict: 'healthy', profile: 'lh10art' });
    expect(doc.checks.find((c) => c.id === 'tls')!.status).toBe('pass');
    expect(r.code).toBe(0);
  });
});

scenario(11, 'dns-not-listening', (get) => {
  it('names the resolver as not listening (ICMP port unreachable)', () => {
    const { doc, code } = get();
    expect(errorCodes(doc)).toEqual(['dns.resolver-unreachable']);
    expect(doc.findings[0]!.detail).toContain('port unreachable');
    expect(doc.findings[0]!.fix).toContain('bind-dynamic');
    expect(code).toBe(1);
  });
});

scenario(12, 'dns-dropped', (get) => {
  it('names the resolver as unreachable (timeout)', () => {
    const { doc } = get();
    expect(errorCodes(doc)).toEqual(['dns.resolver-unreachable']);
    expect(doc.findings[0]!.detail).toMatch(/no answer within \d+ ms/);
  });
});

scenario(13, 'dns-nxdomain', (get) => {
  it('names the unknown site name', () => {
    const { doc } = get();
    expect(errorCodes(doc)).toEqual(['dns.name-unresolved']);
    expect(doc.findings[0]!.detail).toContain('NXDOMAIN');
    expect(doc.findings[0]!.detail).toContain('render-missing.farm13.test');
  });
});

scenario(14, 'dns-system-bypass', (get) => {
  it('sees the system resolver bypassing the tunnel DNS', () => {
    const { doc } = get();
    expect(errorCodes(doc)).toEqual(['dns.system-not-using-tunnel']);
  });
});

d('lab scenario farm-blackhole at caps 1400, 1337, 1200', () => {
  let lab: Lab | undefined;
  beforeAll(async () => {
    lab = await labUp({ id: 15, scenario: 'farm-blackhole' });
  });
  afterAll(async () => {
    if (lab) await labDown(lab);
  });
  for (const cap of [1400, 1337, 1200]) {
    it(`finds pathMtu = min(tunnel MTU, 16·⌊(C − 60)/16⌋) at C = ${cap}, the TLS stall suppressed`, async () => {
      await setRelay(lab!, { capBytes: cap });
      const { doc, code } = await diagnoseInLab(lab!);
      const truth = expectedInnerMtu(1420, cap);
      expect(errorCodes(doc)).toEqual(['mtu.blackhole']);
      expect(doc.pathMtu).toBe(truth);
      const f = doc.findings.find((x) => x.code === 'mtu.blackhole')!;
      expect(f.evidence).toMatchObject({ pathMtu: truth, setMtu: truth, tunnelMtu: 1420, moonlightPacketSize: moonlightPacketSize(truth) });
      expect(doc.checks.find((c) => c.id === 'tls')!.status).toBe('fail'); // stalled, but only as a suppressed dependent
      expect(code).toBe(1);
      if (cap === 1400) await expectReportMatchesDiagnosis(lab!, 'farm-blackhole', doc);
    }, 400_000);
  }
});

scenario(16, 'farm-udp-blocked', (get) => {
  it('reports no handshake and nothing that depends on it', () => {
    const { doc } = get();
    expect(errorCodes(doc)).toEqual(['tunnel.no-handshake']);
    expect(doc.findings.map((f) => f.code)).toEqual(['tunnel.no-handshake']);
  });
});

scenario(17, 'farm-wrong-key', (get) => {
  it('reports no handshake for a key the gateway does not know', () => {
    const { doc } = get();
    expect(errorCodes(doc)).toEqual(['tunnel.no-handshake']);
  });
});

scenario(18, 'farm-no-interface', (get) => {
  it('reports the tunnel down', () => {
    const { doc } = get();
    expect(errorCodes(doc)).toEqual(['tunnel.down']);
    expect(doc.checks.filter((c) => c.status === 'skip').map((c) => c.id)).toEqual(expect.arrayContaining(['icmp', 'dns-tunnel', 'path-mtu', 'tls']));
  });
  it('exits 2 without --profile when no tunnel is connected (other labs\' wireguard-go sockets ignored)', async () => {
    const { lab } = get();
    const r = await cliInLab(lab, ['diagnose', '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no tunnel is connected');
    expect(JSON.parse(r.stdout)).toMatchObject({ schemaVersion: 1, error: { code: 'cli-error' } });
  });
});

scenario(19, 'sunshine-down', (get) => {
  it('reports Sunshine not listening (the TLS refusal is not a large-payload stall)', () => {
    const { doc } = get();
    expect(errorCodes(doc)).toEqual(['stream.sunshine-not-listening']);
    expect(doc.findings[0]!.detail).toContain('47984, 47989, 48010');
  });
});

scenario(20, 'route-conflict', (get) => {
  it('reports the overlapping local interface', () => {
    const { doc } = get();
    expect(errorCodes(doc)).toEqual(['route.conflict']);
    expect(doc.findings[0]!.detail).toContain('lh20x');
  });
});

scenario(21, 'icmp-filtered', (get) => {
  it('has no error: icmp.unreachable warning, pathMtu null, TLS passes', () => {
    const { doc, code } = get();
    expect(errorCodes(doc)).toEqual([]);
    expect(doc.findings.map((f) => [f.code, f.severity])).toEqual([['icmp.unreachable', 'warning']]);
    expect(doc.pathMtu).toBeNull();
    expect(doc.checks.find((c) => c.id === 'tls')!.status).toBe('pass');
    expect(doc.verdict).toBe('degraded');
    expect(code).toBe(1);
  });
});
