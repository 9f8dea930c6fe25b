/**
 * The network identity (core/net/network-identity.ts) on real recordings from lab 40's artist namespace
 * (test/fixtures/net/, SOURCES.md there): `ip -j route get`, `ip -j neigh show dev`, through the one iproute2 parser.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIpNeigh, parseIpRoute } from '../../../src-main/core/net/ip-json';
import { bypassMark, identityFrom, interfaceKind, liveEndpointOf, networkIdForEndpoint, networkIdOf, readNetworkIdentity } from '../../../src-main/core/net/network-identity';
import { ProcessError, type ProcessRunner, type RunResult } from '../../../src-main/core/platform/runner';

const rec = (name: string) => fs.readFileSync(path.join(__dirname, '../../fixtures/net', name), 'utf8');
const RELAY_MAC = '52:53:c2:82:93:4d';

/** Answers from recordings; an answer `null` fails like `ip` with no route (exit 2). */
function recordedRunner(answers: Record<string, string | null>): ProcessRunner & { asked: { args: readonly string[]; env: unknown }[] } {
  const asked: { args: readonly string[]; env: unknown }[] = [];
  return {
    asked,
    which: () => '/usr/bin/ip',
    run: async (p, args, opts) => {
      asked.push({ args, env: opts?.env });
      const key = `${path.basename(p)} ${args.join(' ')}`;
      if (!(key in answers)) throw new Error(`${key}: not recorded`);
      const out = answers[key];
      if (out === null) throw new ProcessError('exit', p, args, `${key}: exit 2: ${rec('ip-j-route-get-unreachable.stderr').trim()}`);
      return { file: p, args, code: 0, signal: null, stdout: out!, stderr: '', durationMs: 1 } satisfies RunResult;
    },
    start: () => {
      throw new Error('not used');
    },
  };
}

describe('network identity (recorded in lab 40, iproute2 6.1.0)', () => {
  it('parses ip -j route get (gateway / on-link / tunnel) and ip -j neigh', () => {
    expect(parseIpRoute(rec('ip-j-route-get-via-gateway.json'))[0]).toMatchObject({ dst: '198.51.100.7', gateway: '172.30.40.1', dev: 'lh40a0' });
    expect(parseIpRoute(rec('ip-j-route-get-onlink.json'))[0]).toMatchObject({ dst: '172.30.40.1', gateway: null, dev: 'lh40a0' });
    expect(parseIpNeigh(rec('ip-j-neigh-lh40a0.json'), 'lh40a0')).toEqual([{ dst: '172.30.40.1', dev: 'lh40a0', lladdr: RELAY_MAC, state: ['REACHABLE'] }]);
    expect(parseIpNeigh(rec('ip-j-neigh-before-ping.json'))).toEqual([]);
    expect(parseIpRoute(rec('ip-j-route-get-unreachable.json'))).toEqual([]);
  });

  it('the id hashes the next hop MAC and the kind; never the raw MAC', () => {
    const id = networkIdOf(RELAY_MAC, 'wired');
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(id).not.toContain('5253c2');
    expect(networkIdOf(RELAY_MAC.toUpperCase(), 'wired')).toBe(id);
    expect(networkIdOf(RELAY_MAC, 'wifi')).not.toBe(id);
    expect(networkIdOf('52:53:c2:82:93:4e', 'wired')).not.toBe(id);
  });

  it('via a gateway: the gateway MAC; on-link endpoint: the endpoint own MAC (the same network)', () => {
    const neigh = () => rec('ip-j-neigh-lh40a0.json');
    const viaGw = identityFrom('198.51.100.7', rec('ip-j-route-get-via-gateway.json'), neigh, () => 'wired');
    const onLink = identityFrom('172.30.40.1', rec('ip-j-route-get-onlink.json'), neigh, () => 'wired');
    expect(viaGw).toEqual({ id: networkIdOf(RELAY_MAC, 'wired'), kind: 'wired', dev: 'lh40a0' });
    expect(onLink).toEqual(viaGw);
    expect(JSON.stringify(viaGw)).not.toContain(RELAY_MAC);
  });

  it('no neighbour entry yet, a tunnel interface (no MAC) → null', () => {
    expect(identityFrom('172.30.40.1', rec('ip-j-route-get-onlink.json'), () => rec('ip-j-neigh-before-ping.json'), () => 'wired')).toBeNull();
    expect(identityFrom('10.200.40.1', rec('ip-j-route-get-tunnel.json'), () => '[]', () => 'wired')).toBeNull();
  });

  it('interface kind from sysfs: wireless or phy80211 → wifi; a veth (no such entry) → wired; odd names never build a path', () => {
    const seen: string[] = [];
    const exists = (p: string) => (seen.push(p), p === '/sys/class/net/wlp2s0/wireless' || p === '/sys/class/net/wlan1/phy80211');
    expect(interfaceKind('wlp2s0', exists)).toBe('wifi');
    expect(interfaceKind('wlan1', exists)).toBe('wifi');
    expect(interfaceKind('lh40a0', exists)).toBe('wired');
    seen.length = 0;
    expect(interfaceKind('../../etc', exists)).toBe('wired');
    expect(seen).toEqual([]);
  });

  it('readNetworkIdentity runs ip with argv arrays and LC_ALL=C; wifi kind changes the id', async () => {
    const runner = recordedRunner({ 'ip -j route get 172.30.40.1': rec('ip-j-route-get-onlink.json'), 'ip -j neigh show dev lh40a0': rec('ip-j-neigh-lh40a0.json') });
    const wired = await readNetworkIdentity(runner, '172.30.40.1', { platform: 'linux', sysExists: () => false });
    expect(wired).toEqual({ id: networkIdOf(RELAY_MAC, 'wired'), kind: 'wired', dev: 'lh40a0' });
    expect(runner.asked.map((a) => a.args)).toEqual([
      ['-j', 'route', 'get', '172.30.40.1'],
      ['-j', 'neigh', 'show', 'dev', 'lh40a0'],
    ]);
    expect(runner.asked[0]!.env).toMatchObject({ LC_ALL: 'C' });
    const wifi = await readNetworkIdentity(runner, '172.30.40.1', { platform: 'linux', sysExists: (p) => p.endsWith('/lh40a0/wireless') });
    expect(wifi?.kind).toBe('wifi');
    expect(wifi?.id).not.toBe(wired?.id);
    const ns = recordedRunner({ 'ip -n lh40a -j route get 172.30.40.1': rec('ip-j-route-get-onlink.json'), 'ip -n lh40a -j neigh show dev lh40a0': rec('ip-j-neigh-lh40a0.json') });
    expect((await readNetworkIdentity(ns, '172.30.40.1', { platform: 'linux', netns: 'lh40a', sysExists: () => false }))?.id).toBe(wired?.id);
  });

  it('on Wi-Fi the SSID from `iw dev <dev> link` is part of the id (never returned); without one, MAC and kind alone', async () => {
    const base = { 'ip -j route get 172.30.40.1': rec('ip-j-route-get-onlink.json'), 'ip -j neigh show dev lh40a0': rec('ip-j-neigh-lh40a0.json') };
    const wifiOnly = { platform: 'linux' as const, sysExists: (p: string) => p.endsWith('/lh40a0/phy80211') };
    // The iw text is built from iw's printf calls (test/unit/net/iw-link.test.ts), not recorded.
    const link = (ssid: string) => `Connected to 02:11:22:33:44:55 (on lh40a0)\n\tSSID: ${ssid}\n\tfreq: 5180\n`;
    const studio = recordedRunner({ ...base, 'iw dev lh40a0 link': link('Studio 5G') });
    const a = await readNetworkIdentity(studio, '172.30.40.1', wifiOnly);
    expect(studio.asked.at(-1)).toEqual({ args: ['dev', 'lh40a0', 'link'], env: { LC_ALL: 'C' } });
    expect(a).toEqual({ id: networkIdOf(RELAY_MAC, 'wifi', 'Studio 5G'), kind: 'wifi', dev: 'lh40a0' });
    expect(JSON.stringify(a)).not.toContain('Studio');
    const guest = await readNetworkIdentity(recordedRunner({ ...base, 'iw dev lh40a0 link': link('Studio Guest') }), '172.30.40.1', wifiOnly);
    expect(guest?.id).not.toBe(a?.id); // same router, another SSID: another network
    // iw not installed (the runner throws), or not associated: the id of MAC + wifi.
    const noIw = await readNetworkIdentity(recordedRunner(base), '172.30.40.1', wifiOnly);
    expect(noIw?.id).toBe(networkIdOf(RELAY_MAC, 'wifi'));
    expect((await readNetworkIdentity(recordedRunner({ ...base, 'iw dev lh40a0 link': 'Not connected.\n' }), '172.30.40.1', wifiOnly))?.id).toBe(noIw?.id);
    // Wired: iw is never asked; the SSID is ignored by the id.
    const wired = recordedRunner(base);
    await readNetworkIdentity(wired, '172.30.40.1', { platform: 'linux', sysExists: () => false });
    expect(wired.asked).toHaveLength(2);
    expect(networkIdOf(RELAY_MAC, 'wired', 'Studio 5G')).toBe(networkIdOf(RELAY_MAC, 'wired'));
  });

  it('a named endpoint (the usual farm profile) is identified by the address the running tunnel uses; an IP never asks', async () => {
    const answers = { 'ip -j route get 172.30.40.1': rec('ip-j-route-get-onlink.json'), 'ip -j neigh show dev lh40a0': rec('ip-j-neigh-lh40a0.json') };
    const home = networkIdOf(RELAY_MAC, 'wired');
    const o = { platform: 'linux' as const, sysExists: () => false };
    // The tunnel service's status, as `wg show` reports the peer: the resolved address and port.
    const asked: (string | null)[] = [];
    const tunnels = { statuses: async (name: string | null) => (asked.push(name), [{ name: 'other', endpoint: '203.0.113.9:51820' }, { name: 'paris', endpoint: '172.30.40.1:51820' }]) };
    expect(await networkIdForEndpoint(recordedRunner(answers), 'gateway.lab40.test:51820', o, liveEndpointOf(tunnels, 'paris'))).toBe(home);
    expect(asked).toEqual(['paris']);
    // Before this, a named endpoint gave no network at all: nothing was remembered per network for it.
    expect(await networkIdForEndpoint(recordedRunner(answers), 'gateway.lab40.test:51820', o)).toBeNull();
    // An IP endpoint is used as configured: the status is not asked.
    expect(await networkIdForEndpoint(recordedRunner(answers), '172.30.40.1:51820', o, liveEndpointOf(tunnels, 'paris'))).toBe(home);
    expect(asked).toEqual(['paris']);
    // Not connected (no endpoint), or the status read fails: null, never a throw.
    expect(await networkIdForEndpoint(recordedRunner(answers), 'gateway.lab40.test:51820', o, liveEndpointOf({ statuses: async () => [{ name: 'paris', endpoint: null }] }, 'paris'))).toBeNull();
    const failing = { statuses: async (): Promise<{ name: string; endpoint: string | null }[]> => { throw new Error('helper unavailable'); } };
    expect(await networkIdForEndpoint(recordedRunner(answers), 'gateway.lab40.test:51820', o, liveEndpointOf(failing, 'paris'))).toBeNull();
  });

  it('null: other platforms (nothing run), a name instead of an IP, no route (exit 2), output that is not JSON', async () => {
    const none = recordedRunner({});
    expect(await readNetworkIdentity(none, '172.30.40.1', { platform: 'darwin' })).toBeNull();
    expect(await readNetworkIdentity(none, '172.30.40.1', { platform: 'win32' })).toBeNull();
    expect(await readNetworkIdentity(none, 'gateway.lab40.test', { platform: 'linux' })).toBeNull();
    expect(none.asked).toEqual([]);
    expect(await readNetworkIdentity(recordedRunner({ 'ip -j route get 203.0.113.9': null }), '203.0.113.9', { platform: 'linux' })).toBeNull();
    expect(await readNetworkIdentity(recordedRunner({ 'ip -j route get 172.30.40.1': 'RTNETLINK answers: oops' }), '172.30.40.1', { platform: 'linux' })).toBeNull();
  });

  describe('a full tunnel (wg-quick AllowedIPs 0.0.0.0/0; recorded in lab 45)', () => {
    const LAB45_RELAY_MAC = '42:2e:c6:aa:fc:45';
    it('bypassMark reads wg-quick\'s `not fwmark` rule for the table (lab 45 and the Debian 12 sample); none for main or another table', () => {
      expect(bypassMark(rec('ip-j-4-rule-full-tunnel.json'), '51820')).toBe(0xca6c);
      expect(bypassMark(fs.readFileSync(path.join(__dirname, '../../fixtures/samples/linux-ip-j-rule-wg-quick.txt'), 'utf8'), '51820')).toBe(51820);
      expect(bypassMark(rec('ip-j-4-rule-full-tunnel.json'), 'main')).toBeNull();
      expect(bypassMark(rec('ip-j-4-rule-full-tunnel.json'), '1234')).toBeNull();
      expect(bypassMark('[{"priority":5,"not":null,"fwmark":"0xca6c/0xffff","table":"7"}]', '7')).toBe(0xca6c);
    });
    it('the unmarked answer is the tunnel table: asked again with the mark, the home router is found', async () => {
      const runner = recordedRunner({
        'ip -j route get 198.51.100.7': rec('ip-j-route-get-full-tunnel-unmarked.json'),
        'ip -j -4 rule show': rec('ip-j-4-rule-full-tunnel.json'),
        'ip -j route get 198.51.100.7 mark 51820': rec('ip-j-route-get-full-tunnel-mark.json'),
        'ip -j neigh show dev lh45a0': rec('ip-j-neigh-lh45a0.json'),
      });
      expect(await readNetworkIdentity(runner, '198.51.100.7', { platform: 'linux', sysExists: () => false })).toEqual({ id: networkIdOf(LAB45_RELAY_MAC, 'wired'), kind: 'wired', dev: 'lh45a0' });
      expect(runner.asked.map((a) => a.args.join(' '))).toEqual(['-j route get 198.51.100.7', '-j -4 rule show', '-j route get 198.51.100.7 mark 51820', '-j neigh show dev lh45a0']);
      // Without the retry the first answer names the tunnel: no MAC, no network (the defect this fixes).
      expect(identityFrom('198.51.100.7', rec('ip-j-route-get-full-tunnel-unmarked.json'), () => rec('ip-j-neigh-lh45a0.json'), () => 'wired')).toBeNull();
    });
    it('an on-link endpoint under a full tunnel is answered from main (suppress_prefixlength 0 keeps the /24): no rule read', async () => {
      const runner = recordedRunner({ 'ip -j route get 172.30.45.1': rec('ip-j-route-get-full-tunnel-onlink.json'), 'ip -j neigh show dev lh45a0': rec('ip-j-neigh-lh45a0.json') });
      expect((await readNetworkIdentity(runner, '172.30.45.1', { platform: 'linux', sysExists: () => false }))?.id).toBe(networkIdOf(LAB45_RELAY_MAC, 'wired'));
      expect(runner.asked).toHaveLength(2);
    });
    it('a policy table with no `not fwmark` rule for it: no retry, null', async () => {
      const runner = recordedRunner({ 'ip -j route get 198.51.100.7': rec('ip-j-route-get-full-tunnel-unmarked.json'), 'ip -j -4 rule show': '[{"priority":0,"src":"all","table":"local"}]', 'ip -j neigh show dev lh45art': '[]' });
      expect(await readNetworkIdentity(runner, '198.51.100.7', { platform: 'linux', sysExists: () => false })).toBeNull();
    });
  });
});
