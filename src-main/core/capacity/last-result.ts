/**
 * The last stream-fitness outcome per profile, for the report and the Stream page, and per network (docs/capacity.md
 * "Per-network memory"): `<data dir>/state/capacity.json`,
 * `{ version: 2, profiles: { <profile>: CapacityDoc }, networks: { <networkId>: { <profile>: CapacityDoc } } }`,
 * written atomically (core/platform/atomic.ts, 0600). A version 1 file (`profiles` only) is read as is (no
 * networks) and rewritten as version 2 on the next `put`, its profiles kept. At most MAX_PROFILES profiles (overall
 * and per network) and MAX_NETWORKS networks (the oldest measurement goes first). The network id is the opaque hash
 * of core/net/network-identity.ts (16 hex characters), never a MAC. A damaged file is logged with its path and
 * ignored, and kept aside as `capacity.json.damaged` before the next write replaces it (nothing stored is silently
 * lost). Environment: plain Node.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { CapacitySchema, type CapacityDoc } from '../../contract/stream';
import type { Logger } from '../log/logger';
import { ensurePrivateDir, writeFileAtomic } from '../platform/atomic';

export const MAX_PROFILES = 64;
export const MAX_NETWORKS = 32;
export const NETWORK_ID = /^[0-9a-f]{16}$/;

type PerProfile = Record<string, CapacityDoc>;
const Profiles = z.record(z.string().max(128), CapacitySchema);
const FileSchema = z.union([
  z.object({ version: z.literal(1), profiles: Profiles }),
  z.object({ version: z.literal(2), profiles: Profiles, networks: z.record(z.string().regex(NETWORK_ID), Profiles) }),
]);

const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
const newest = (docs: PerProfile) => Object.values(docs).reduce((a, d) => ((d.measuredAt ?? '') > a ? (d.measuredAt ?? '') : a), '');

/** The newest `max` entries of `rec`, by `at` (descending). */
function keepNewest<T>(rec: Record<string, T>, max: number, at: (v: T) => string): Record<string, T> {
  const names = Object.keys(rec).sort((a, b) => at(rec[b]!).localeCompare(at(rec[a]!)));
  return Object.fromEntries(names.slice(0, max).map((n) => [n, rec[n]!]));
}

export class LastCapacityStore {
  readonly file: string;
  constructor(
    stateDir: string,
    private readonly logger?: Logger,
  ) {
    this.file = path.join(stateDir, 'capacity.json');
  }

  private load(): { profiles: PerProfile; networks: Record<string, PerProfile>; damaged: boolean } {
    let raw: string;
    try {
      raw = fs.readFileSync(this.file, 'utf8');
    } catch {
      return { profiles: {}, networks: {}, damaged: false };
    }
    try {
      const parsed = FileSchema.safeParse(JSON.parse(raw));
      if (parsed.success) return { profiles: parsed.data.profiles, networks: parsed.data.version === 2 ? parsed.data.networks : {}, damaged: false };
      this.logger?.warn('capacity: saved results ignored', { file: this.file, error: parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
    } catch (err) {
      this.logger?.warn('capacity: saved results are not JSON; ignored', { file: this.file, error: (err as Error).message });
    }
    return { profiles: {}, networks: {}, damaged: true };
  }

  all(): Record<string, CapacityDoc> {
    return this.load().profiles;
  }

  get(profile: string): CapacityDoc | null {
    const all = this.all();
    return has(all, profile) ? all[profile]! : null;
  }

  /** Every network's outcomes, by network id. */
  networks(): Record<string, PerProfile> {
    return this.load().networks;
  }

  /** The last outcome for `profile` on network `networkId`, or null. */
  onNetwork(networkId: string, profile: string): CapacityDoc | null {
    const nets = this.networks();
    if (!has(nets, networkId)) return null;
    return has(nets[networkId]!, profile) ? nets[networkId]![profile]! : null;
  }

  /** Save `doc` as the profile's last outcome, and with a network id (NETWORK_ID) as its last on that network too. */
  put(profile: string, doc: CapacityDoc, networkId: string | null = null): void {
    if (networkId !== null && !NETWORK_ID.test(networkId)) throw new Error('capacity: a network id is 16 hex characters');
    const { profiles, networks, damaged } = this.load();
    ensurePrivateDir(path.dirname(this.file));
    if (damaged) fs.copyFileSync(this.file, `${this.file}.damaged`);
    const at = (d: CapacityDoc) => d.measuredAt ?? '';
    const keptProfiles = keepNewest({ ...profiles, [profile]: doc }, MAX_PROFILES, at);
    const nextNetworks = networkId === null ? networks : { ...networks, [networkId]: keepNewest({ ...(has(networks, networkId) ? networks[networkId] : {}), [profile]: doc }, MAX_PROFILES, at) };
    const keptNetworks = keepNewest(nextNetworks, MAX_NETWORKS, newest);
    writeFileAtomic(this.file, JSON.stringify({ version: 2, profiles: keptProfiles, networks: keptNetworks }, null, 2) + '\n');
  }
}

/** Where a stored line measurement comes from, seen from the network this computer is on now. */
export type LineNetwork = 'this' | 'other' | 'unknown';

/**
 * The line to show for `profile` on the current network (`networkId`, or null when unknown): the outcome measured on
 * this network when there is one ('this'); otherwise the profile's last outcome, marked 'other' when that very
 * measurement is remembered under another network (a hotel's 10 Mbit/s is not the home line) and 'unknown' when it
 * was made where the network could not be told.
 */
export function lineForNetwork(store: LastCapacityStore, profile: string, networkId: string | null): { capacity: CapacityDoc | null; network: LineNetwork } {
  const last = store.get(profile);
  if (networkId === null) return { capacity: last, network: 'unknown' };
  const here = store.onNetwork(networkId, profile);
  if (here) return { capacity: here, network: 'this' };
  if (!last) return { capacity: null, network: 'unknown' };
  const sameAs = (d: CapacityDoc | undefined) => !!d && d.measuredAt !== null && d.measuredAt === last.measuredAt;
  const elsewhere = Object.values(store.networks()).some((byProfile) => has(byProfile, profile) && sameAs(byProfile[profile]));
  return { capacity: last, network: elsewhere ? 'other' : 'unknown' };
}
