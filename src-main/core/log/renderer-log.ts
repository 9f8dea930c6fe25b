/**
 * The renderer's log records (`log.write`). The page is untrusted input to main's log: main sets `ts`, `level`
 * (one of the four, as asked), `src: "renderer"` and `msg` ("renderer: " + the page's text, bounded); the page's fields go
 * under their own key `renderer`, never beside main's. Each record is at most RECORD_MAX_BYTES once serialised
 * (redacted first: redaction can lengthen a value), and a token bucket (RATE records/s, BURST at once) keeps a flood
 * from filling the log in seconds, and a byte budget (BYTES_PER_HOUR, refilled continuously) keeps a sustained flood at
 * the allowed rate from rotating the history away within hours (the log keeps about 4 MiB); the excess is counted and reported once as a single main line
 * "renderer log records dropped: N" when the flood ends (next accepted record, or a timer). Environment: plain Node.
 */
import type { LogLevel, Logger } from './logger';
import { globalRedactor, type Redactor } from './redact';

export const RENDERER_LOG_LIMITS = {
  ratePerSec: 20,
  burst: 50,
  /** One serialised log line (JSON, UTF-8), envelope included. */
  recordMaxBytes: 2048,
  /** The page's text in `msg`, in UTF-8 bytes as written (JSON-escaped). */
  msgMaxBytes: 512,
  /** Bytes the page may add to the log per hour (a bucket of this size, refilled continuously). */
  bytesPerHour: 256 * 1024,
} as const;

/** Room kept for `{"ts":"…","level":"debug","src":"renderer","msg":"renderer: ","renderer":}` and the logger's own. */
const ENVELOPE_BYTES = 160;

export interface RendererLogRequest {
  level: LogLevel;
  msg: string;
  fields?: Record<string, unknown>;
}

export interface RendererLogOptions {
  /** Milliseconds, monotonic enough; default Date.now. */
  now?: () => number;
  /** Run `fn` once after `ms` (default: an unref'd setTimeout), to report a flood that simply stops. */
  schedule?: (fn: () => void, ms: number) => void;
  redactor?: Redactor;
  limits?: Partial<Record<keyof typeof RENDERER_LOG_LIMITS, number>>;
}

export interface RendererLog {
  write(req: RendererLogRequest): void;
  /** Report the records dropped since the last report, if any. */
  flush(): void;
}

const bytes = (s: string) => Buffer.byteLength(s);

/** Size of `ch` inside a JSON string literal, in UTF-8 bytes (`\u0000` is 6, `"` is 2). */
const jsonBytes = (ch: string) => bytes(JSON.stringify(ch)) - 2;

/** The longest prefix of `s` (whole code points) whose JSON string form fits in `max` UTF-8 bytes. */
function cutToBytes(s: string, max: number): string {
  if (bytes(JSON.stringify(s)) - 2 <= max) return s;
  let out = '';
  let used = 0;
  for (const ch of s) {
    const b = jsonBytes(ch);
    if (used + b > max) break;
    out += ch;
    used += b;
  }
  return out;
}

function safeJson(v: unknown): string | null {
  try {
    return JSON.stringify(v) ?? null;
  } catch {
    return null; // cyclic, BigInt…
  }
}

/** The page's fields, redacted, as a value whose JSON fits in `budget` bytes. */
function boundFields(fields: Record<string, unknown> | undefined, budget: number, redactor: Redactor): unknown {
  if (!fields || Object.keys(fields).length === 0) return undefined;
  const json = safeJson(redactor.redactValue(fields));
  if (json === null) return { unserialisable: true };
  if (bytes(json) <= budget) return JSON.parse(json) as unknown;
  // Too big: keep a redacted preview of the JSON text; escaping can grow it, so shrink until it fits.
  let keep = budget;
  for (;;) {
    const v = { truncated: true, bytes: bytes(json), preview: cutToBytes(json, keep) };
    if (bytes(JSON.stringify(v)) <= budget || keep === 0) return v;
    keep = Math.floor(keep / 2);
  }
}

export function createRendererLog(logger: Logger, opts: RendererLogOptions = {}): RendererLog {
  const limits = { ...RENDERER_LOG_LIMITS, ...(opts.limits ?? {}) };
  const now = opts.now ?? Date.now;
  const redactor = opts.redactor ?? globalRedactor;
  const schedule = opts.schedule ?? ((fn, ms) => void setTimeout(fn, ms).unref());
  const pageLog = logger.child('renderer');
  let tokens: number = limits.burst;
  let byteTokens: number = limits.bytesPerHour;
  let last = now();
  let dropped = 0;
  let reportPending = false;

  const flush = () => {
    reportPending = false;
    if (dropped === 0) return;
    const n = dropped;
    dropped = 0;
    logger.warn(`renderer log records dropped: ${n}`, { dropped: n, limit: `${limits.ratePerSec}/s, burst ${limits.burst}, ${Math.round(limits.bytesPerHour / 1024)} KiB/h` });
  };

  return {
    write(req) {
      const t = now();
      const elapsed = Math.max(0, t - last);
      tokens = Math.min(limits.burst, tokens + (elapsed * limits.ratePerSec) / 1000);
      byteTokens = Math.min(limits.bytesPerHour, byteTokens + (elapsed * limits.bytesPerHour) / 3_600_000);
      last = t;
      const text = cutToBytes(redactor.redact(req.msg), limits.msgMaxBytes);
      const msg = `renderer: ${text}`;
      const budget = limits.recordMaxBytes - ENVELOPE_BYTES - bytes(JSON.stringify(msg));
      const renderer = boundFields(req.fields, Math.max(0, budget), redactor);
      const size = ENVELOPE_BYTES + bytes(JSON.stringify(msg)) + (renderer === undefined ? 0 : bytes(JSON.stringify(renderer)));
      if (tokens < 1 || byteTokens < size) {
        dropped++;
        if (!reportPending) {
          reportPending = true;
          schedule(flush, 1000);
        }
        return;
      }
      tokens -= 1;
      byteTokens -= size;
      if (dropped > 0) flush();
      pageLog[req.level](msg, renderer === undefined ? undefined : { renderer });
    },
    flush,
  };
}
