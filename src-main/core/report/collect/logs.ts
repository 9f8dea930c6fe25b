/**
 * Recent app logs for the report, capped (Mullvad's rule: 128 KiB per file, newest bytes kept; a total cap on top).
 * Environment: plain Node. Text is returned raw; the report anonymises it with everything else.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

export const LOG_CAP_PER_FILE = 128 * 1024;
export const LOG_CAP_TOTAL = 512 * 1024;

export interface LogExcerpt {
  name: string;
  sizeBytes: number;
  truncated: boolean;
  text: string;
}

/** `files` newest first. Reads the tail of each file, starting at a line boundary when cut. */
export async function collectLogs(files: readonly string[], perFile = LOG_CAP_PER_FILE, total = LOG_CAP_TOTAL): Promise<LogExcerpt[]> {
  const out: LogExcerpt[] = [];
  let budget = total;
  for (const file of files) {
    if (budget <= 0) break;
    let fh: fs.FileHandle | undefined;
    try {
      fh = await fs.open(file, 'r');
      const { size } = await fh.stat();
      const want = Math.min(size, perFile, budget);
      const buf = Buffer.alloc(want);
      await fh.read(buf, 0, want, size - want);
      let text = buf.toString('utf8');
      const truncated = want < size;
      if (truncated) {
        const nl = text.indexOf('\n');
        text = nl >= 0 ? text.slice(nl + 1) : text;
      }
      budget -= want;
      out.push({ name: path.basename(file), sizeBytes: size, truncated, text });
    } catch {
      // A log rotated away between listing and reading: skip it.
    } finally {
      await fh?.close();
    }
  }
  return out;
}
