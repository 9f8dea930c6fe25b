/**
 * The lab itself (real namespaces, wireguard-go, the relay): a tunnel crosses it, the relay shapes it, and the host's
 * DNS configuration is never touched. Root only; lab ids 1–9 belong to the tunnel issue.
 */
import * as fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labExec, labUp, relayStats, setRelay, type Lab } from '../../scripts/lab';
import { allNames, labNames } from '../../scripts/lab/names';
import { ip } from '../../scripts/lab/netns';
import { isRoot, warnSkippedUnlessRoot } from '../support/lab';

warnSkippedUnlessRoot('lab tests they need root (namespaces, wireguard-go)');

function hostDnsSnapshot(): { resolvConf: string; runResolvconf: string[] | null; bak: boolean } {
  let runResolvconf: string[] | null = null;
  try {
    runResolvconf = fs.readdirSync('/run/resolvconf', { recursive: true }).map(String).sort();
  } catch {}
  return { resolvConf: fs.readFileSync('/etc/resolv.conf', 'utf8'), runResolvconf, bak: fs.existsSync('/etc/resolv.conf.bak') };
}

describe.skipIf(!isRoot)('lab', () => {
  const before = isRoot ? hostDnsSnapshot() : null;
  let lab: Lab;

  beforeAll(async () => {
    lab = await labUp({ id: 1, artistUp: true });
  });
  afterAll(async () => {
    await labDown(1);
  });

  it('names everything uniquely within 15 characters', () => {
    for (const id of [0, 9, 42, 99]) for (const name of allNames(labNames(id))) expect(name.length).toBeLessThanOrEqual(15);
    expect(() => labNames(100)).toThrow(/0–99/);
  });

  it('carries a WireGuard tunnel from the artist to the gateway through the relay', async () => {
    const ping = await labExec(lab, 'artist', 'ping', ['-c', '1', '-W', '5', lab.names.addr.gatewayTunnel]);
    expect(ping.stdout).toMatch(/1 received/);
    const dump = await labExec(lab, 'gateway', 'wg', ['show', lab.names.gatewayIf, 'latest-handshakes']);
    const [, ts] = dump.stdout.trim().split('\t');
    expect(Number(ts)).toBeGreaterThan(0);
    expect((await relayStats(lab)).toGateway).toBeGreaterThan(0);
  });

  it('has no route from the artist to the gateway except through the relay', async () => {
    const r = await labExec(lab, 'artist', 'ping', ['-c', '1', '-W', '1', lab.names.addr.gatewayUnderlay], { okCodes: 'any' });
    expect(r.code).not.toBe(0);
  });

  it('points the namespace resolver at the tunnel DNS (openresolv inside the namespace)', async () => {
    const r = await labExec(lab, 'artist', 'cat', ['/etc/resolv.conf']);
    expect(r.stdout).toContain(`nameserver ${lab.names.addr.gatewayTunnel}`);
  });

  it('drops datagrams over the cap without ICMP (MTU blackhole) and lets small ones through', async () => {
    await setRelay(lab, { capBytes: 1400 });
    const big = await labExec(lab, 'artist', 'ping', ['-c', '1', '-W', '2', '-M', 'do', '-s', '1392', lab.names.addr.gatewayTunnel], { okCodes: 'any' });
    expect(big.stdout).toMatch(/0 received/);
    expect(big.stdout + big.stderr).not.toMatch(/Frag needed|Message too long/);
    const small = await labExec(lab, 'artist', 'ping', ['-c', '1', '-W', '5', '-s', '1200', lab.names.addr.gatewayTunnel]);
    expect(small.stdout).toMatch(/1 received/);
    expect((await relayStats(lab)).droppedOversize).toBeGreaterThan(0);
    await setRelay(lab, { capBytes: 0 });
  });

  it('blocks UDP entirely on request', async () => {
    await setRelay(lab, { block: true });
    const r = await labExec(lab, 'artist', 'ping', ['-c', '1', '-W', '2', lab.names.addr.gatewayTunnel], { okCodes: 'any' });
    expect(r.stdout).toMatch(/0 received/);
    await setRelay(lab, { block: false });
  });

  it('removes every trace on down and never touched the host DNS configuration', async () => {
    await labDown(lab);
    const list = (await ip(['netns', 'list'])).stdout;
    for (const n of Object.values(lab.names.ns)) {
      expect(list.split('\n').map((l) => l.split(' ')[0])).not.toContain(n);
      expect(fs.existsSync(`/etc/netns/${n}`)).toBe(false);
    }
    expect(fs.existsSync(lab.dir)).toBe(false);
    expect(fs.existsSync(`/var/run/wireguard/${lab.names.gatewayIf}.sock`)).toBe(false);
    expect(fs.existsSync(`/var/run/wireguard/${lab.names.profileName}.sock`)).toBe(false);
    expect(hostDnsSnapshot()).toEqual(before);
  });
});
