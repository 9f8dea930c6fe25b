/**
 * The stream page's own saved state: the chosen Moonlight path, the artist's settings, manually added hosts.
 * `<data dir>/state/stream.json`, written atomically (temp + fsync + rename, mode 0600). Environment: plain Node.
 * A damaged file is reported with its path and ignored (defaults apply), never half-read.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { StreamSettingsSchema, type StreamSettings } from '../../contract/stream';
import type { Logger } from '../log/logger';
import { ensurePrivateDir, writeFileAtomic } from '../platform/atomic';

const StoreSchema = z.object({
  moonlightPath: z.string().nullable().default(null),
  settings: StreamSettingsSchema.partial().default({}),
  manualHosts: z.array(z.object({ name: z.string(), host: z.string(), app: z.string().nullable().default(null) })).default([]),
});
export type StreamStoreData = z.infer<typeof StoreSchema>;

export class StreamStore {
  readonly file: string;
  constructor(
    stateDir: string,
    private readonly logger?: Logger,
  ) {
    this.file = path.join(stateDir, 'stream.json');
  }

  read(): StreamStoreData {
    let raw: string;
    try {
      raw = fs.readFileSync(this.file, 'utf8');
    } catch {
      return StoreSchema.parse({});
    }
    try {
      const parsed = StoreSchema.safeParse(JSON.parse(raw));
      if (parsed.success) return parsed.data;
      this.logger?.warn('stream: saved state ignored', { file: this.file, error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
    } catch (err) {
      this.logger?.warn('stream: saved state is not JSON; ignored', { file: this.file, error: (err as Error).message });
    }
    return StoreSchema.parse({});
  }

  update(fn: (d: StreamStoreData) => StreamStoreData): StreamStoreData {
    const next = StoreSchema.parse(fn(this.read()));
    ensurePrivateDir(path.dirname(this.file));
    writeFileAtomic(this.file, JSON.stringify(next, null, 2) + '\n');
    return next;
  }

  settings(): Partial<StreamSettings> {
    return this.read().settings;
  }
}
