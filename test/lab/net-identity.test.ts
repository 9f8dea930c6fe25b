/**
 * The network identity (core/net/network-identity.ts) against a real artist namespace — root; lab id 41. The real
 * runner runs `ip -n lh41a -j route get` / `neigh show dev`: before any traffic the next hop has no neighbour entry
 * (null: nothing remembered); after a ping, the id is the hash of the relay's real MAC (read from the path
 * namespace) and wired; the tunnel's own gateway address (through WireGuard, no MAC) and an unroutable address are null.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labExec, labUp, type Lab } from '../../scripts/lab';
import { networkIdOf, readNetworkIdentity } from '../../src-main/core/net/network-identity';
import { createRunner } from '../../src-main/core/platform/runner';

const isRoot = process.getuid?.() === 0;
if (!isRoot) console.warn('\n*** test/lab/net-identity.test.ts SKIPPED: needs root (namespaces, wireguard-go) ***\n');

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
});
