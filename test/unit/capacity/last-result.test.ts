/**
 * The saved outcomes (core/capacity/last-result.ts): per profile and per network, version 1 files still read (and
 * kept) after the move to version 2, the bounds, atomic 0600 writes.
 */
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CapacityDoc } from '../../../src-main/contract/stream';
import { LastCapacityStore, lineForNetwork, MAX_NETWORKS, MAX_PROFILES } from '../../../src-main/core/capacity/last-result';
import { tempDirs } from '../../support/tmp';

const tmp = tempDirs('lh-capstore-');
const doc = (downKbps: number, measuredAt: string, profile = 'farm'): CapacityDoc => ({
  status: 'measured', profile, neededKbps: 20_000, measuredAt, downKbps, lossPercent: 0, jitterMs: 0.1, delayGrowthMs: 1, durationMs: 800, bytes: 1_000_000,
  server: { host: '10.200.1.1', port: 5201 }, steps: [], limit: 'none', targetKbps: 25_000, packetBytes: 1040, fps: 60, truncated: false,
});
const NET_A = '24e86c589ec901fd';
const NET_B = '0123456789abcdef';

describe('LastCapacityStore per network', () => {
  it('reads a version 1 file, and the first put writes version 2 keeping every v1 profile', () => {
    const store = new LastCapacityStore(tmp());
    const v1 = { version: 1, profiles: { farm: doc(30_000, '2026-12-01T10:00:00.000Z'), other: doc(9_000, '2026-11-30T10:00:00.000Z', 'other') } };
    fs.writeFileSync(store.file, JSON.stringify(v1));
    expect(store.get('farm')).toEqual(v1.profiles.farm);
    expect(store.networks()).toEqual({});
    expect(store.onNetwork(NET_A, 'farm')).toBeNull();
    const now = doc(12_000, '2026-12-03T08:00:00.000Z');
    store.put('farm', now, NET_A);
    const file = JSON.parse(fs.readFileSync(store.file, 'utf8'));
    expect(file.version).toBe(2);
    expect(file.profiles.other).toEqual(v1.profiles.other);
    expect(file.profiles.farm).toEqual(now);
    expect(file.networks).toEqual({ [NET_A]: { farm: now } });
    expect(fs.statSync(store.file).mode & 0o777).toBe(0o600);
    expect(fs.existsSync(`${store.file}.damaged`)).toBe(false);
  });

  it('keeps each network apart; a put without a network id touches only the profile', () => {
    const store = new LastCapacityStore(tmp());
    store.put('farm', doc(40_000, '2026-12-01T10:00:00.000Z'), NET_A);
    store.put('farm', doc(8_000, '2026-12-02T10:00:00.000Z'), NET_B);
    store.put('farm', doc(1_000, '2026-12-03T10:00:00.000Z'));
    expect(store.onNetwork(NET_A, 'farm')).toMatchObject({ downKbps: 40_000 });
    expect(store.onNetwork(NET_B, 'farm')).toMatchObject({ downKbps: 8_000 });
    expect(store.get('farm')).toMatchObject({ downKbps: 1_000 });
    expect(store.onNetwork(NET_A, 'other')).toBeNull();
    expect(store.onNetwork('__proto__', 'farm')).toBeNull();
    expect(() => store.put('farm', doc(1, '2026-12-03T10:00:00.000Z'), '52:53:c2:82:93:4d')).toThrow(/16 hex/);
  });

  it('bounded: at most MAX_NETWORKS networks (the oldest goes) and MAX_PROFILES profiles per network', () => {
    const store = new LastCapacityStore(tmp());
    const id = (i: number) => i.toString(16).padStart(16, '0');
    const at = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
    for (let i = 0; i < MAX_NETWORKS + 3; i++) store.put('farm', doc(10_000 + i, at(i)), id(i));
    const nets = store.networks();
    expect(Object.keys(nets)).toHaveLength(MAX_NETWORKS);
    expect(nets[id(0)]).toBeUndefined();
    expect(nets[id(2)]).toBeUndefined();
    expect(nets[id(3)]).toBeDefined();
    expect(nets[id(MAX_NETWORKS + 2)]!.farm).toMatchObject({ downKbps: 10_000 + MAX_NETWORKS + 2 });
    for (let i = 0; i < MAX_PROFILES + 2; i++) store.put(`p${i}`, doc(5_000, at(100 + i), `p${i}`), NET_A);
    expect(Object.keys(store.networks()[NET_A]!)).toHaveLength(MAX_PROFILES);
    expect(store.onNetwork(NET_A, 'p0')).toBeNull();
    expect(store.onNetwork(NET_A, `p${MAX_PROFILES + 1}`)).not.toBeNull();
    expect(Object.keys(store.all())).toHaveLength(MAX_PROFILES);
  });

  it('a version 2 file with a MAC-shaped network key is damaged: kept aside, not trusted', () => {
    const store = new LastCapacityStore(tmp());
    fs.writeFileSync(store.file, JSON.stringify({ version: 2, profiles: {}, networks: { '52:53:c2:82:93:4d': { farm: doc(1, '2026-12-01T10:00:00.000Z') } } }));
    expect(store.networks()).toEqual({});
    store.put('farm', doc(2, '2026-12-02T10:00:00.000Z'), NET_A);
    expect(fs.readFileSync(`${store.file}.damaged`, 'utf8')).toContain('52:53:c2');
    expect(Object.keys(store.networks())).toEqual([NET_A]);
  });

  it('lineForNetwork: the outcome on this network; another network\'s marked as such; unknown where it cannot be told', () => {
    const store = new LastCapacityStore(tmp());
    expect(lineForNetwork(store, 'farm', NET_A)).toEqual({ capacity: null, network: 'unknown' });
    const home = doc(80_000, '2026-12-02T20:00:00.000Z');
    const hotel = doc(10_000, '2026-12-03T09:00:00.000Z');
    store.put('farm', home, NET_A);
    store.put('farm', hotel, NET_B); // the profile's last is now the hotel's
    // Back home: home's line, not the hotel's newer one.
    expect(lineForNetwork(store, 'farm', NET_A)).toEqual({ capacity: home, network: 'this' });
    expect(lineForNetwork(store, 'farm', NET_B)).toEqual({ capacity: hotel, network: 'this' });
    // A third network never measured: the last line, said to be another network's.
    expect(lineForNetwork(store, 'farm', 'fedcba9876543210')).toEqual({ capacity: hotel, network: 'other' });
    // The network cannot be told here: the profile's last, as it is.
    expect(lineForNetwork(store, 'farm', null)).toEqual({ capacity: hotel, network: 'unknown' });
    // Measured where no network could be told (saved per profile only): not claimed for any network.
    const unplaced = doc(40_000, '2026-12-03T10:00:00.000Z');
    store.put('farm', unplaced);
    expect(lineForNetwork(store, 'farm', 'fedcba9876543210')).toEqual({ capacity: unplaced, network: 'unknown' });
  });
});
