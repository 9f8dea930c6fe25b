/**
 * `longhaul up/status/down` for real, inside the lab's artist namespace (root; lab ids 3–5): a tunnel comes up with a
 * handshake and traffic, a ping crosses, down removes the interface and its routes; every failure path has its own
 * reason and exit code.
 */
import * as fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artistProfileText, labDown, labExec, labUp, setRelay, type Lab } from '../../scripts/lab';
import { removeCliBundle } from '../support/bundle';
import { longhaul, statusDoc, tempDataDir, writeProfile } from './tunnel-helpers';
import { isRoot, warnSkippedUnlessRoot } from '../support/lab';

afterAll(() => removeCliBundle());

warnSkippedUnlessRoot('tunnel lab tests they need root (namespaces, wireguard-go)');

describe.skipIf(!isRoot)('longhaul up/status/down in the lab', () => {
  let lab: Lab;
  let data: string;

  beforeAll(async () => {
    lab = await labUp({ id: 3 });
    data = tempDataDir(lab, 'main');
  });
  afterAll(async () => {
    await labDown(3);
  });

  it('brings a real tunnel up, shows handshake and traffic, carries a ping, and down removes it', async () => {
    const up = await longhaul(lab, ['up', lab.profilePath, '--wait', '15', '--json'], { dataDir: data });
    const upDoc = statusDoc(up);
    expect(up.code, up.stderr).toBe(0);
    expect(upDoc.tunnels[0]).toMatchObject({ name: lab.names.profileName, interface: lab.names.profileName, state: 'connected', reason: null });

    const ping = await labExec(lab, 'artist', 'ping', ['-c', '2', '-W', '5', lab.names.addr.gatewayTunnel]);
    expect(ping.stdout).toMatch(/2 received/);

    const st = await longhaul(lab, ['status', lab.names.profileName, '--json'], { dataDir: data });
    const t = statusDoc(st).tunnels[0]!;
    expect(statusDoc(st).schemaVersion).toBe(1);
    expect(t.state).toBe('connected');
    expect(t.latestHandshakeAgeSec).not.toBeNull();
    expect(t.rxBytes).toBeGreaterThan(0);
    expect(t.txBytes).toBeGreaterThan(0);
    expect(t.endpoint).toBe(lab.names.endpoint);
    expect(t.peers[0]!.publicKey).toBe(lab.keys.gateway.publicKey);
    expect(st.stdout).not.toContain(lab.keys.artist.privateKey);

    const down = await longhaul(lab, ['down', lab.names.profileName], { dataDir: data });
    expect(down.code, down.stderr).toBe(0);
    const links = await labExec(lab, 'artist', 'ip', ['-j', 'link']);
    expect(links.stdout).not.toContain(`"${lab.names.profileName}"`);
    const routes = await labExec(lab, 'artist', 'ip', ['route']);
    expect(routes.stdout).not.toContain(lab.names.addr.tunnelNet.split('/')[0]!);
    const after = statusDoc(await longhaul(lab, ['status', lab.names.profileName, '--json'], { dataDir: data }));
    expect(after.tunnels[0]!.state).toBe('disconnected');
    // the canonical file with the private key is not left behind
    expect(fs.readdirSync(`${data}/state/tunnels`).filter((f) => f.endsWith('.conf'))).toEqual([]);
  });

  it('reports no-handshake (exit 1) when UDP is blocked on the path', async () => {
    await setRelay(lab, { block: true });
    try {
      const d = tempDataDir(lab, 'blocked');
      const r = await longhaul(lab, ['up', lab.profilePath, '--wait', '3', '--json'], { dataDir: d });
      expect(r.code, r.stderr).toBe(1);
      const t = statusDoc(r).tunnels[0]!;
      expect(t).toMatchObject({ state: 'error', reason: 'no-handshake' });
      expect(t.message).toMatch(/public key/);
      expect(t.message).toMatch(/UDP/);
      expect((await longhaul(lab, ['down', lab.names.profileName], { dataDir: d })).code).toBe(0);
    } finally {
      await setRelay(lab, { block: false });
    }
  });

  it('refuses an endpoint whose host name does not resolve (exit 2) before touching the system', async () => {
    const text = artistProfileText(lab.names, lab.keys.artist, lab.keys.gateway, { endpoint: 'gateway.nonexistent.invalid:51820' });
    const file = writeProfile(lab, 'p-unres', 'lh3unres', text);
    const r = await longhaul(lab, ['up', file, '--wait', '3', '--json'], { dataDir: tempDataDir(lab, 'unres') });
    expect(r.code, r.stderr).toBe(2);
    expect(statusDoc(r).tunnels[0]).toMatchObject({ state: 'error', reason: 'endpoint-unresolvable' });
    expect(statusDoc(r).tunnels[0]!.message).toContain('gateway.nonexistent.invalid');
    const links = await labExec(lab, 'artist', 'ip', ['-j', 'link']);
    expect(links.stdout).not.toContain('"lh3unres"');
  });

  it('connects by endpoint host name when it resolves', async () => {
    const text = artistProfileText(lab.names, lab.keys.artist, lab.keys.gateway, { endpointByName: true });
    const file = writeProfile(lab, 'p-byname', lab.names.profileName, text);
    const d = tempDataDir(lab, 'byname');
    const r = await longhaul(lab, ['up', file, '--wait', '15', '--json'], { dataDir: d });
    expect(r.code, r.stderr).toBe(0);
    expect((await longhaul(lab, ['down', lab.names.profileName], { dataDir: d })).code).toBe(0);
  });

  it('says which tools are missing and how to install them (exit 2) when PATH has no WireGuard tools', async () => {
    const r = await longhaul(lab, ['up', lab.profilePath, '--json'], { dataDir: tempDataDir(lab, 'notools'), hideFiles: ['/usr/bin/wg', '/usr/bin/wg-quick', '/usr/bin/wireguard-go', '/usr/sbin/resolvconf'] });
    expect(r.code, r.stderr).toBe(2);
    const t = statusDoc(r).tunnels[0]!;
    expect(t.reason).toBe('tools-missing');
    expect(t.message).toMatch(/wg-quick/);
    expect(t.message).toMatch(/apt install wireguard-tools/);
    expect(t.message).toMatch(/resolvconf|openresolv/);
  });

  it('refuses when the interface name is already taken (exit 2)', async () => {
    await labExec(lab, 'artist', 'ip', ['link', 'add', lab.names.profileName, 'type', 'veth', 'peer', 'name', 'lh3other']);
    try {
      const r = await longhaul(lab, ['up', lab.profilePath, '--json'], { dataDir: tempDataDir(lab, 'taken') });
      expect(r.code, r.stderr).toBe(2);
      expect(statusDoc(r).tunnels[0]).toMatchObject({ state: 'error', reason: 'interface-exists' });
    } finally {
      await labExec(lab, 'artist', 'ip', ['link', 'del', lab.names.profileName]);
    }
  });

  it('refuses a profile whose routes collide with the local network unless --force (exit 1)', async () => {
    const text = artistProfileText(lab.names, lab.keys.artist, lab.keys.gateway).replace(
      `AllowedIPs = ${lab.names.addr.tunnelNet}`,
      `AllowedIPs = ${lab.names.addr.tunnelNet}, 172.30.${lab.id}.0/24`,
    );
    const file = writeProfile(lab, 'p-route', 'lh3route', text);
    const r = await longhaul(lab, ['up', file, '--json'], { dataDir: tempDataDir(lab, 'route') });
    expect(r.code, r.stderr).toBe(1);
    const t = statusDoc(r).tunnels[0]!;
    expect(t).toMatchObject({ state: 'error', reason: 'route-conflict' });
    expect(t.message).toMatch(/--force/);
    expect(t.message).toContain(`172.30.${lab.id}.0/24`);
  });
});

describe.skipIf(!isRoot)('a gateway that does not know our key', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await labUp({ id: 4, scenario: 'wrong-key' });
  });
  afterAll(async () => {
    await labDown(4);
  });

  it('is no-handshake within --wait (exit 1), the same as blocked UDP', async () => {
    const d = tempDataDir(lab, 'wk');
    const r = await longhaul(lab, ['up', lab.profilePath, '--wait', '3', '--json'], { dataDir: d });
    expect(r.code, r.stderr).toBe(1);
    expect(statusDoc(r).tunnels[0]).toMatchObject({ state: 'error', reason: 'no-handshake' });
    const st = statusDoc(await longhaul(lab, ['status', lab.names.profileName, '--json'], { dataDir: d }));
    expect(st.tunnels[0]).toMatchObject({ state: 'error', reason: 'no-handshake', latestHandshakeAgeSec: null });
    expect((await longhaul(lab, ['down', lab.names.profileName], { dataDir: d })).code).toBe(0);
  });
});
