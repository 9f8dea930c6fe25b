/**
 * One source of local networks (core/net/local-networks.ts): the `route-conflict` check (`longhaul diagnose`) and
 * `longhaul up`'s preflight, both run for real INSIDE the artist namespace, agree — root; lab ids 90–91.
 *
 * Lab 90: another tunnel (a second wireguard-go interface, link type `none`) carries 10.200.90.130/25, inside the
 * farm's AllowedIPs 10.200.90.0/24. Before core/net, the check saw it (os.networkInterfaces) and `up` did not
 * (`ip -j addr` minus tunnels): the check said "conflict", `up` connected. Now both name lh90xtun and
 * 10.200.90.128/25. With its address outside but a route into the farm's range (what wg-quick installs for another
 * profile's AllowedIPs), both name lh90xtun and that route. Out of the farm's range, both pass, and the farm's own
 * interface (up) is no conflict.
 * Lab 91: a LAN-like interface (veth, link type `ether`) with 10.200.91.200/29: both refuse with that network.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labExec, labUp, type Lab } from '../../scripts/lab';
import { nsStartDetached } from '../../scripts/lab/netns';
import { diagnoseInLab, type DiagnoseDoc } from './checks-helpers';
import { longhaul, statusDoc, tempDataDir } from './tunnel-helpers';
import { removeCliBundle } from '../support/bundle';
import { isRoot, warnSkippedUnlessRoot } from '../support/lab';

afterAll(() => removeCliBundle());

warnSkippedUnlessRoot('test/lab/net-local-networks.test.ts needs root (namespaces, wireguard-go)');

function routeCheck(doc: DiagnoseDoc) {
  const c = doc.checks.find((x) => x.id === 'route-conflict');
  if (!c) throw new Error(`no route-conflict check in ${JSON.stringify(doc.checks.map((x) => x.id))}`);
  return c;
}

/** `[interface, network]` of each route.conflict the check reported. */
function checkConflicts(doc: DiagnoseDoc): [unknown, unknown][] {
  const findings = (routeCheck(doc).evidence.findings ?? []) as { code: string; evidence: Record<string, unknown> }[];
  return findings.filter((f) => f.code === 'route.conflict').map((f) => [f.evidence.interface, f.evidence.localPrefix]);
}

async function expectBothRefuse(lab: Lab, iface: string, network: string, label: string): Promise<void> {
  const d = await diagnoseInLab(lab);
  const check = routeCheck(d.doc);
  expect(check.status, check.summary).toBe('fail');
  expect(checkConflicts(d.doc)).toEqual([[iface, network]]);
  expect(d.doc.findings.map((f) => f.code)).toContain('route.conflict');

  const up = await longhaul(lab, ['up', lab.profilePath, '--wait', '5', '--json'], { dataDir: tempDataDir(lab, label) });
  expect(up.code, up.stderr).toBe(1);
  const t = statusDoc(up).tunnels[0]!;
  expect(t).toMatchObject({ state: 'error', reason: 'route-conflict' });
  expect(t.message).toContain(iface);
  expect(t.message).toContain(network);
  // The same words as the check: both come from the one rule over the one reader.
  expect(t.message).toContain(check.summary);
  const links = await labExec(lab, 'artist', 'ip', ['-j', 'link']);
  expect(links.stdout).not.toContain(`"${lab.names.profileName}"`);
}

describe.skipIf(!isRoot)('route-conflict check and up agree: another tunnel overlapping the farm (lab 90)', () => {
  let lab: Lab;
  const other = 'lh90xtun';

  beforeAll(async () => {
    lab = await labUp({ id: 90 });
    // wireguard-go in the foreground inside the artist namespace, as the lab starts the gateway's; labDown kills it.
    nsStartDetached(lab.names.ns.artist, 'wireguard-go', ['-f', other], path.join(lab.dir, 'wireguard-go-other.log'), { WG_I_PREFER_BUGGY_USERSPACE_TO_POLISHED_KMOD: '1', LOG_LEVEL: 'error' });
    for (let i = 0; i < 400 && !fs.existsSync(`/var/run/wireguard/${other}.sock`); i++) await new Promise((r) => setTimeout(r, 25));
    await labExec(lab, 'artist', 'ip', ['addr', 'add', '10.200.90.130/25', 'dev', other]);
    await labExec(lab, 'artist', 'ip', ['link', 'set', other, 'up']);
  });
  afterAll(async () => {
    await labDown(90);
    fs.rmSync(`/var/run/wireguard/${other}.sock`, { force: true });
  });

  it('the other tunnel is a tunnel link (link type none), not a LAN', async () => {
    const r = await labExec(lab, 'artist', 'ip', ['-j', 'link', 'show', 'dev', other]);
    expect((JSON.parse(r.stdout) as { link_type: string }[])[0]!.link_type).toBe('none');
  });

  it('overlap: the check fails naming lh90xtun 10.200.90.128/25, and up refuses with the same', async () => {
    await expectBothRefuse(lab, other, '10.200.90.128/25', 'overlap');
  });

  it('a route into the farm\'s range through the other tunnel (its address outside): both refuse with that route', async () => {
    await labExec(lab, 'artist', 'ip', ['addr', 'flush', 'dev', other]);
    await labExec(lab, 'artist', 'ip', ['addr', 'add', '10.201.90.130/25', 'dev', other]);
    await labExec(lab, 'artist', 'ip', ['route', 'add', '10.200.90.64/26', 'dev', other]);
    try {
      await expectBothRefuse(lab, other, '10.200.90.64/26', 'routed');
    } finally {
      await labExec(lab, 'artist', 'ip', ['route', 'del', '10.200.90.64/26', 'dev', other]);
    }
  });

  it('control: moved out of the farm\'s range, the check passes and up connects; with the farm up, still no conflict', async () => {
    await labExec(lab, 'artist', 'ip', ['addr', 'flush', 'dev', other]);
    await labExec(lab, 'artist', 'ip', ['addr', 'add', '10.201.90.130/25', 'dev', other]);
    const before = await diagnoseInLab(lab);
    expect(routeCheck(before.doc).status, routeCheck(before.doc).summary).toBe('pass');
    expect(routeCheck(before.doc).evidence.localNetworks).toContain(`${other} 10.201.90.128/25 (tunnel)`);

    const data = tempDataDir(lab, 'control');
    const up = await longhaul(lab, ['up', lab.profilePath, '--wait', '15', '--json'], { dataDir: data });
    expect(up.code, up.stderr).toBe(0);
    expect(statusDoc(up).tunnels[0]).toMatchObject({ state: 'connected', reason: null });
    try {
      // The farm's own interface (10.200.90.2/32, inside its AllowedIPs) is not "another" network.
      const during = await diagnoseInLab(lab);
      expect(routeCheck(during.doc).status, routeCheck(during.doc).summary).toBe('pass');
      expect(routeCheck(during.doc).evidence.localNetworks).not.toContain(`${lab.names.profileName} 10.200.90.2/32 (tunnel)`);
    } finally {
      expect((await longhaul(lab, ['down', lab.names.profileName], { dataDir: data })).code).toBe(0);
    }
  });
});

describe.skipIf(!isRoot)('route-conflict check and up agree: a LAN overlapping the farm (lab 91)', () => {
  let lab: Lab;
  const lan = 'lh91lan';

  beforeAll(async () => {
    lab = await labUp({ id: 91 });
    await labExec(lab, 'artist', 'ip', ['link', 'add', lan, 'type', 'veth', 'peer', 'name', 'lh91peer']);
    await labExec(lab, 'artist', 'ip', ['addr', 'add', '10.200.91.200/29', 'dev', lan]);
    await labExec(lab, 'artist', 'ip', ['link', 'set', 'lh91peer', 'up']);
    await labExec(lab, 'artist', 'ip', ['link', 'set', lan, 'up']);
  });
  afterAll(async () => {
    await labDown(91);
  });

  it('overlap: both name lh91lan 10.200.91.200/29', async () => {
    await expectBothRefuse(lab, lan, '10.200.91.200/29', 'lan');
  });

  it('control: the LAN down, both pass', async () => {
    await labExec(lab, 'artist', 'ip', ['link', 'set', lan, 'down']);
    const d = await diagnoseInLab(lab);
    expect(routeCheck(d.doc).status, routeCheck(d.doc).summary).toBe('pass');
    const data = tempDataDir(lab, 'lan-control');
    const up = await longhaul(lab, ['up', lab.profilePath, '--wait', '15', '--json'], { dataDir: data });
    expect(up.code, up.stderr).toBe(0);
    expect((await longhaul(lab, ['down', lab.names.profileName], { dataDir: data })).code).toBe(0);
  });
});
