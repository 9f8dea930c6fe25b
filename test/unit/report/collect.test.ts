import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProcessRunner, RunResult } from '../../../src-main/core/platform/runner';
import { collectDns, collectNetwork, collectTools } from '../../../src-main/core/report/collect/environment';
import { collectLogs } from '../../../src-main/core/report/collect/logs';

const sample = (name: string) => fs.readFileSync(path.join(__dirname, '../../fixtures/samples', name), 'utf8');

/** A runner that answers from recordings; records what was asked (argument arrays, never a shell). */
function recordedRunner(answers: Record<string, string>): ProcessRunner & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    which: (p) => (p in answers || Object.keys(answers).some((k) => k.startsWith(`${p} `)) ? `/usr/bin/${p}` : null),
    run: async (p, args) => {
      const key = `${path.basename(p)} ${args.join(' ')}`;
      asked.push(key);
      if (!(key in answers)) throw new Error(`${key}: not recorded`);
      return { file: p, args, code: 0, signal: null, stdout: answers[key]!, stderr: '', durationMs: 1 } satisfies RunResult;
    },
    start: () => {
      throw new Error('not used');
    },
  };
}

describe('environment collectors', () => {
  it('Linux network: runs ip -j addr/route/rule and parses the recordings', async () => {
    const runner = recordedRunner({
      'ip -j addr': sample('linux-ip-j-addr-wg-full-tunnel.txt'),
      'ip -j -4 route show table all': sample('linux-ip-j-route-main.txt'),
      'ip -j -6 route show table all': '[]\n',
      'ip -j -4 rule': sample('linux-ip-j-rule-wg-quick.txt'),
      'ip -j -6 rule': '[]\n',
    });
    const net = await collectNetwork({ runner, platform: 'linux' });
    expect(net.interfaces.data!.map((i) => i.mtu)).toEqual([65536, 1500, 1420]);
    expect(net.routes.data![0]).toMatchObject({ dst: 'default', gateway: '192.0.2.1' });
    expect(net.rules.status).toBe('ok');
  });
  it('a failing command is a failed section with its error', async () => {
    const net = await collectNetwork({ runner: recordedRunner({ 'ip -j addr': 'not json' }), platform: 'linux' });
    expect(net.interfaces).toMatchObject({ status: 'failed', data: null });
    expect(net.interfaces.error).toMatch(/ip -j addr: output is not JSON/);
    expect(net.routes.status).toBe('failed');
  });
  it('macOS DNS: scutil --dns through the runner', async () => {
    const runner = recordedRunner({ 'scutil --dns': sample('macos-scutil-dns-supplemental-utun-truncated.txt') });
    const dns = await collectDns({ runner, platform: 'darwin' });
    expect(dns.data!.kind).toBe('macos');
    expect(dns.data!.sources[0]).toMatchObject({ name: 'scutil --dns', status: 'ok' });
    expect((dns.data!.sources[0]!.parsed as { resolvers: unknown[] }).resolvers.length).toBe(5);
  });
  it('Linux DNS: resolv.conf + resolvectl; resolvectl absent → unavailable', async () => {
    const readFile = async () => sample('linux-etc-resolv-conf-systemd-resolved-stub.txt');
    const withResolved = await collectDns({ runner: recordedRunner({ 'resolvectl status --no-pager': sample('linux-resolvectl-status-fallback-default-route.txt') }), platform: 'linux', readFile });
    expect(withResolved.data!.sources.map((s) => s.status)).toEqual(['ok', 'ok']);
    const without = await collectDns({ runner: recordedRunner({}), platform: 'linux', readFile });
    expect(without.data!.sources[1]).toMatchObject({ name: 'resolvectl status', status: 'unavailable' });
  });
  it('Windows DNS: PowerShell cmdlets with argument arrays (command built, output shape UNVERIFIED)', async () => {
    const ps1 = 'Get-DnsClientServerAddress | Select-Object InterfaceAlias,InterfaceIndex,AddressFamily,ServerAddresses | ConvertTo-Json -Depth 3';
    const runner = recordedRunner({
      [`powershell.exe -NoProfile -NonInteractive -Command ${ps1}`]: '{"InterfaceAlias":"Longhaul","InterfaceIndex":9,"AddressFamily":2,"ServerAddresses":["10.8.0.1"]}',
      'powershell.exe -NoProfile -NonInteractive -Command Get-DnsClientNrptPolicy | Format-List': sample('windows-pwsh-get-dnsclientnrptpolicy-docs-example.txt'),
    });
    const dns = await collectDns({ runner, platform: 'win32' });
    expect(dns.data!.sources.map((s) => s.status)).toEqual(['ok', 'ok']);
  });
  it('tools: versions from wg / wireguard-go output; missing tools reported', async () => {
    const runner = recordedRunner({ 'wg --version': 'wireguard-tools v1.0.20210914 - https://git.zx2c4.com/wireguard-tools/\n' });
    const t = await collectTools({ runner, moonlight: async () => ({ path: '/usr/bin/moonlight', version: '6.1.0', error: null }) });
    expect(t.data).toEqual([
      { name: 'wg', path: '/usr/bin/wg', version: '1.0.20210914', error: null },
      { name: 'wg-quick', path: null, version: null, error: 'not installed (not found in PATH)' },
      { name: 'wireguard-go', path: null, version: null, error: 'not installed (not found in PATH)' },
      { name: 'moonlight', path: '/usr/bin/moonlight', version: '6.1.0', error: null },
    ]);
  });
});

describe('collectLogs', () => {
  it('keeps the newest part of each file, from a line boundary, under per-file and total caps', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-logs-'));
    const a = path.join(dir, 'longhaul.log');
    const b = path.join(dir, 'longhaul.log.1');
    fs.writeFileSync(a, Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n') + '\n');
    fs.writeFileSync(b, 'old\n'.repeat(100));
    const logs = await collectLogs([a, b, path.join(dir, 'gone.log')], 64, 100);
    expect(logs.map((l) => [l.name, l.truncated])).toEqual([
      ['longhaul.log', true],
      ['longhaul.log.1', true],
    ]);
    expect(logs[0]!.text.endsWith('line 99\n')).toBe(true);
    expect(logs[0]!.text.startsWith('line ')).toBe(true);
    expect(logs[1]!.text.length).toBeLessThanOrEqual(36);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
