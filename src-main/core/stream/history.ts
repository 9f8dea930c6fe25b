/**
 * Session history for the report: JSON lines under `<data dir>/state/stream-sessions.jsonl`, one line per update
 * (start, end); the newest line per session wins. Environment: plain Node. Appends are single `write`s of one line
 * (O_APPEND), so a crash leaves at worst one incomplete last line, which the reader skips.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { z } from 'zod';
import { appendFilePrivate, ensurePrivateDir } from '../platform/atomic';
import { SessionRecordSchema } from '../../contract/stream';

export type SessionRecord = z.infer<typeof SessionRecordSchema>;

export class SessionHistory {
  readonly file: string;
  constructor(stateDir: string) {
    this.file = path.join(stateDir, 'stream-sessions.jsonl');
  }

  append(rec: SessionRecord): void {
    ensurePrivateDir(path.dirname(this.file));
    appendFilePrivate(this.file, JSON.stringify(rec) + '\n');
  }

  /** Sessions, newest first. */
  list(limit = 100): SessionRecord[] {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch {
      return [];
    }
    const byId = new Map<string, SessionRecord>();
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const rec = SessionRecordSchema.safeParse(JSON.parse(line));
        if (rec.success) {
          byId.delete(rec.data.sessionId);
          byId.set(rec.data.sessionId, rec.data);
        }
      } catch {
        // an incomplete last line after a crash
      }
    }
    return [...byId.values()].reverse().slice(0, limit);
  }
}
