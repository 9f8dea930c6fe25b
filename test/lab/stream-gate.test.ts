/**
 * The stream gate against the real lab (namespaces, wireguard-go, dnsmasq, the relay; the Sunshine stand-in on the
 * farm's stream host): `longhaul stream` run INSIDE the artist namespace, as on an artist's machine, with the
 * moonlight-qt stand-in as Moonlight. Healthy passes and launches with a valid argv; a large-packet blackhole and a
 * tunnel without handshake block with the right finding.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { labDown, labUp, type Lab } from '../../scripts/lab';
import { createRunner } from '../../src-main/core/platform/runner';
import { cliBundle, isRoot, removeCliBundle } from './checks-helpers';

const ROOT = path.resolve(__dirname, '../..');
const MOONLIGHT = path.join(ROOT, 'scripts/standins/moonlight-standin');
const LAB_ID = 71;

if (!isRoot) console.error('\n*** test/lab/stream-gate.test.ts SKIPPED: needs root (network namespaces, wireguard-go) ***\n');

interface StreamDoc {
  schemaVersion: number;
  executable: string;
  argv: string[];
  packetSize: number | null;
  maxPacketSize: number | null;
  gate: { id: string; status: string; summary: string; findingCode?: string; fix?: string }[];
  blocked: boolean;
  session?: { outcome: string; argv: string[] };
}

let current: Lab | null = null;
afterAll(async () => {
  if (current) await labDown(current);
  removeCliBundle();
});

async function streamInLab(lab: Lab, extra: string[]): Promise<{ code: number; doc: StreamDoc; stderr: string }> {
  const cli = await cliBundle();
  const host = lab.extra.streamHost as string;
  const args = ['netns', 'exec', lab.names.ns.artist, process.execPath, cli, 'stream', host, '--profile', lab.profilePath, '--site', lab.extra.sitePath as string, '--moonlight', MOONLIGHT, '--json', ...extra];
  const t0 = Date.now();
  const r = await createRunner().run('ip', args, {
    okCodes: 'any',
    timeoutMs: 90_000,
    env: {
      LONGHAUL_DATA_DIR: path.join(lab.dir, 'longhaul-data'),
      MOONLIGHT_STANDIN_STATE: path.join(lab.dir, 'moonlight-standin.json'),
      MOONLIGHT_STANDIN_ARGV_FILE: path.join(lab.dir, 'moonlight-argv.jsonl'),
    },
  });
  console.error(`stream ${extra.join(' ')}: exit ${r.code} in ${Date.now() - t0} ms`);
  try {
    return { code: r.code ?? -1, doc: JSON.parse(r.stdout) as StreamDoc, stderr: r.stderr };
  } catch {
    throw new Error(`stream printed no JSON (exit ${r.code}): ${r.stdout.slice(0, 500)} ${r.stderr.slice(-1500)}`);
  }
}

const item = (d: StreamDoc, id: string) => d.gate.find((g) => g.id === id);

describe.skipIf(!isRoot)('stream gate in the lab', () => {
  it('healthy: every item green, packet size from the measured path, launch spawns Moonlight with a valid argv', async () => {
    current = await labUp({ id: LAB_ID, scenario: 'farm-healthy' });
    const lab = current;
    const dry = await streamInLab(lab, ['--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.doc.blocked).toBe(false);
    for (const id of ['tunnel', 'stream-host-dns', 'tls', 'path-mtu', 'sunshine-ports', 'packet-size']) expect(item(dry.doc, id)?.status, id).toBe('pass');
    expect(dry.doc.maxPacketSize).toBe(1376); // path MTU 1420 through WireGuard
    expect(dry.doc.packetSize).toBeNull(); // Moonlight detects the VPN and uses 1024: nothing passed

    const opt = await streamInLab(lab, ['--dry-run', '--max-packet-size']);
    expect(opt.doc.packetSize).toBe(1376);
    expect(opt.doc.argv.slice(-2)).toEqual(['--packet-size', '1376']);

    const run = await streamInLab(lab, []);
    expect(run.code, run.stderr).toBe(0);
    expect(run.doc.session?.outcome).toBe('ended');
    const spawned = fs.readFileSync(path.join(lab.dir, 'moonlight-argv.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).argv as string[]);
    expect(spawned.at(-1)).toEqual(run.doc.argv); // the stand-in parsed it (exit 0 = moonlight-qt's grammar accepts it)
    await labDown(lab);
    current = null;
  }, 400_000);

  it('large-packet blackhole: blocked by the path-MTU item with mtu.blackhole and its fix', async () => {
    current = await labUp({ id: LAB_ID, scenario: 'farm-blackhole', capBytes: 1400 });
    const r = await streamInLab(current, ['--dry-run']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.doc.blocked).toBe(true);
    expect(item(r.doc, 'path-mtu')).toMatchObject({ status: 'fail', findingCode: 'mtu.blackhole' });
    expect(item(r.doc, 'path-mtu')!.fix).toMatch(/MTU/);
    await labDown(current);
    current = null;
  }, 300_000);

  it('no handshake: blocked by the tunnel item with tunnel.no-handshake; --override is recorded', async () => {
    current = await labUp({ id: LAB_ID, scenario: 'farm-udp-blocked' });
    const r = await streamInLab(current, ['--dry-run']);
    expect(r.code, r.stderr).toBe(1);
    expect(item(r.doc, 'tunnel')).toMatchObject({ status: 'fail', findingCode: 'tunnel.no-handshake' });
    const over = await streamInLab(current, ['--dry-run', '--override']);
    expect(over.code).toBe(0);
    expect(over.doc).toMatchObject({ blocked: false, overridden: true });
    await labDown(current);
    current = null;
  }, 300_000);
});
