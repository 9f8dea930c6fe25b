/**
 * The last stream-fitness outcome per profile, for the report and the Stream page: `<data dir>/state/capacity.json`,
 * `{ version: 1, profiles: { <profile>: CapacityDoc } }`, written atomically (core/platform/atomic.ts, 0600). At most
 * MAX_PROFILES entries (the oldest measurement goes first). A damaged file is logged with its path and ignored, and
 * kept aside as `capacity.json.damaged` before the next write replaces it (nothing stored is silently lost).
 * Environment: plain Node.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { CapacitySchema, type CapacityDoc } from '../../contract/stream';
import type { Logger } from '../log/logger';
import { ensurePrivateDir, writeFileAtomic } from '../platform/atomic';

export const MAX_PROFILES = 64;
const FileSchema = z.object({ version: z.literal(1), profiles: z.record(z.string().max(128), CapacitySchema) });

export class LastCapacityStore {
  readonly file: string;
  constructor(
    stateDir: string,
    private readonly logger?: Logger,
  ) {
    this.file = path.join(stateDir, 'capacity.json');
  }

  private load(): { profiles: Record<string, CapacityDoc>; damaged: boolean } {
    let raw: string;
    try {
      raw = fs.readFileSync(this.file, 'utf8');
    } catch {
      return { profiles: {}, damaged: false };
    }
    try {
      const parsed = FileSchema.safeParse(JSON.parse(raw));
      if (parsed.success) return { profiles: parsed.data.profiles, damaged: false };
      this.logger?.warn('capacity: saved results ignored', { file: this.file, error: parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
    } catch (err) {
      this.logger?.warn('capacity: saved results are not JSON; ignored', { file: this.file, error: (err as Error).message });
    }
    return { profiles: {}, damaged: true };
  }

  all(): Record<string, CapacityDoc> {
    return this.load().profiles;
  }

  get(profile: string): CapacityDoc | null {
    return Object.prototype.hasOwnProperty.call(this.all(), profile) ? this.all()[profile]! : null;
  }

  put(profile: string, doc: CapacityDoc): void {
    const { profiles, damaged } = this.load();
    ensurePrivateDir(path.dirname(this.file));
    if (damaged) fs.copyFileSync(this.file, `${this.file}.damaged`);
    const next: Record<string, CapacityDoc> = { ...profiles, [profile]: doc };
    const names = Object.keys(next).sort((a, b) => (next[b]!.measuredAt ?? '').localeCompare(next[a]!.measuredAt ?? ''));
    const kept = Object.fromEntries(names.slice(0, MAX_PROFILES).map((n) => [n, next[n]!]));
    writeFileAtomic(this.file, JSON.stringify({ version: 1, profiles: kept }, null, 2) + '\n');
  }
}
