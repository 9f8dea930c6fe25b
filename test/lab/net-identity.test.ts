/**
 * The network identity (core/net/network-identity.ts) against a real artist namespace — root; lab id 41. The real
 * runner runs `ip -n lh41a -j route get` / `neigh show dev`: before any traffic the next hop has no neighbour entry
 * (null: nothing remembered); after a ping, the id is the hash of the relay's real MAC (read from the path
 * namespace) and wired; the tunnel's own gateway address (through WireGuard, no MAC) and an unroutable address are null.
 * Then the artist's tunnel becomes a full tunnel exactly as wg-quick's add_default makes one (fwmark 51820, `not fwmark`
 * rule, `suppress_prefixlength 0`, default route in table 51820) with a home router as the default route: an
 * off-link endpoint is still identified by the router's MAC (asked with the mark), the same id as before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labExec, labUp, type Lab } from '../../scripts/lab';
import { networkIdOf, readNetworkIdentity } from '../../src-main/core/net/network-identity';
import { createRunner } from '../../src-main/core/platform/runner';
import { isRoot, warnSkippedUnlessRoot } from '../support/lab';

warnSkippedUnlessRoot('test/lab/net-identity.test.ts needs root (namespaces, wireguard-go)');

describe.skipIf(!isRoot)('network identity in lab 41', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await labUp({ id: 41, artistUp: true });
  }, 60_000);
  afterAll(async () => {
    if (lab) await labDown(lab);
  });

  it('no neighbour yet → null; after traffic → the relay MAC hashed, wired; tunnel and unroutable → null', async () => {
    const runner = createRunner();
    const ns = lab.names.ns.artist;
    const relay = lab.names.addr.pathArtistSide;
    await labExec(lab, 'artist', 'ip', ['neigh', 'flush', 'dev', lab.names.veth.artist]);
    expect(await readNetworkIdentity(runner, relay, { netns: ns, platform: 'linux' })).toBeNull();
    await labExec(lab, 'artist', 'ping', ['-c', '1', '-W', '2', relay]);
    const link = JSON.parse((await labExec(lab, 'path', 'ip', ['-j', 'link', 'show', 'dev', lab.names.veth.pathA])).stdout) as { address: string }[];
    const id = await readNetworkIdentity(runner, relay, { netns: ns, platform: 'linux' });
    expect(id).toEqual({ id: networkIdOf(link[0]!.address, 'wired'), kind: 'wired', dev: lab.names.veth.artist });
    expect(await readNetworkIdentity(runner, lab.names.addr.gatewayTunnel, { netns: ns, platform: 'linux' })).toBeNull();
    expect(await readNetworkIdentity(runner, '203.0.113.9', { netns: ns, platform: 'linux' })).toBeNull();
  }, 30_000);

  it('a full tunnel (wg-quick AllowedIPs 0.0.0.0/0): an off-link endpoint is found through the fwmark, same network id', async () => {
    const runner = createRunner();
    const ns = lab.names.ns.artist;
    const tun = lab.names.profileName;
    const router = lab.names.addr.pathArtistSide;
    await labExec(lab, 'artist', 'ping', ['-c', '1', '-W', '2', router]);
    const link = JSON.parse((await labExec(lab, 'path', 'ip', ['-j', 'link', 'show', 'dev', lab.names.veth.pathA])).stdout) as { address: string }[];
    const home = networkIdOf(link[0]!.address, 'wired');
    await labExec(lab, 'artist', 'ip', ['route', 'add', 'default', 'via', router, 'dev', lab.names.veth.artist]);
    // Before the full tunnel: an off-link endpoint goes via the router.
    expect((await readNetworkIdentity(runner, '198.51.100.7', { netns: ns, platform: 'linux' }))?.id).toBe(home);
    await labExec(lab, 'artist', 'wg', ['set', tun, 'fwmark', '51820']);
    await labExec(lab, 'artist', 'ip', ['-4', 'rule', 'add', 'not', 'fwmark', '51820', 'table', '51820']);
    await labExec(lab, 'artist', 'ip', ['-4', 'rule', 'add', 'table', 'main', 'suppress_prefixlength', '0']);
    await labExec(lab, 'artist', 'ip', ['-4', 'route', 'add', '0.0.0.0/0', 'dev', tun, 'table', '51820']);
    // The unmarked lookup names the tunnel now (what the old code read: no MAC, no network) …
    const unmarked = JSON.parse((await labExec(lab, 'artist', 'ip', ['-j', 'route', 'get', '198.51.100.7'])).stdout) as { dev: string; table?: string }[];
    expect(unmarked[0]).toMatchObject({ dev: tun, table: '51820' });
    // … and the identity still names the home network.
    expect(await readNetworkIdentity(runner, '198.51.100.7', { netns: ns, platform: 'linux' })).toEqual({ id: home, kind: 'wired', dev: lab.names.veth.artist });
  }, 30_000);
});
