/**
 * The helper's only data input: the canonical profile text the unprivileged app pipes to `up NAME` on stdin (never
 * argv, never a file path). Read at most MAX_STDIN_BYTES, within a time limit; an empty or closed stdin (or a
 * terminal) means "nothing delivered" — the helper then uses a profile IT provisioned in its root-only directory.
 * The bytes are returned as-is for the profile parser; they hold a private key and are never logged or echoed.
 * Environment: plain Node.
 */
import type { Readable } from 'node:stream';

export const MAX_STDIN_BYTES = 64 * 1024;
export const STDIN_TIMEOUT_MS = 5_000;

export type StdinRead = { kind: 'empty' } | { kind: 'bytes'; bytes: Uint8Array } | { kind: 'error'; message: string };

export interface StdinOptions {
  maxBytes?: number;
  timeoutMs?: number;
}

/** Read the whole of stdin (bounded in size and time). `null` (no stream) and a terminal count as empty. */
export function readBoundedStdin(stream: (Readable & { isTTY?: boolean }) | null | undefined, o: StdinOptions = {}): Promise<StdinRead> {
  const maxBytes = o.maxBytes ?? MAX_STDIN_BYTES;
  const timeoutMs = o.timeoutMs ?? STDIN_TIMEOUT_MS;
  if (!stream || stream.isTTY) return Promise.resolve({ kind: 'empty' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let done = false;
    const finish = (r: StdinRead) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      if (r.kind !== 'bytes' && r.kind !== 'empty') chunks.length = 0;
      stream.pause();
      if (r.kind === 'error') stream.destroy();
      resolve(r);
    };
    const onData = (c: Buffer | string) => {
      const b = typeof c === 'string' ? Buffer.from(c, 'utf8') : c;
      total += b.length;
      if (total > maxBytes) {
        finish({ kind: 'error', message: `the profile on stdin is larger than ${Math.floor(maxBytes / 1024)} KiB; a WireGuard profile is a few hundred bytes` });
        return;
      }
      chunks.push(b);
    };
    const onEnd = () => finish(total === 0 ? { kind: 'empty' } : { kind: 'bytes', bytes: new Uint8Array(Buffer.concat(chunks)) });
    // A closed or unusable descriptor 0 (EBADF, EINVAL) is "nothing delivered" when nothing was read.
    const onError = (e: Error) =>
      finish(total === 0 ? { kind: 'empty' } : { kind: 'error', message: `reading the profile from stdin failed (${(e as NodeJS.ErrnoException).code ?? e.message})` });
    const timer = setTimeout(
      () => finish({ kind: 'error', message: `stdin was not closed within ${timeoutMs / 1000} s: send the profile and close stdin, or redirect it from /dev/null to use the profile IT installed` }),
      timeoutMs,
    );
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.resume();
  });
}
