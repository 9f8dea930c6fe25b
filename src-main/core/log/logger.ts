/**
 * The logger: JSON lines under `<data dir>/logs/<name>.log`, size-capped rotation (`.1` … `.N`), secrets redacted at
 * write time. Environment: plain Node. Writes are synchronous appends so a crash never loses an acknowledged line.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { appendFilePrivate, ensurePrivateDir } from '../platform/atomic';
import { globalRedactor, type Redactor } from './redact';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const RESERVED_KEYS = new Set(['ts', 'level', 'src', 'msg']);

export interface LogRecord {
  ts: string;
  level: LogLevel;
  /** Who wrote it: `main`, `cli`, `renderer`, `helper`, … */
  src: string;
  msg: string;
  [field: string]: unknown;
}

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** A logger writing to the same sink with another `src`. */
  child(src: string): Logger;
}

export interface FileLogOptions {
  dir: string;
  /** File base name without extension. */
  name?: string;
  /** Rotate when the current file would exceed this many bytes. */
  maxBytes?: number;
  /** How many rotated files to keep. */
  keep?: number;
  level?: LogLevel;
  redactor?: Redactor;
  /** Also mirror records to this function (e.g. stderr in the CLI with --verbose). */
  mirror?: (rec: LogRecord) => void;
  now?: () => Date;
}

export class FileSink {
  readonly file: string;
  private readonly maxBytes: number;
  private readonly keep: number;
  private size = -1;

  constructor(readonly opts: FileLogOptions) {
    this.file = path.join(opts.dir, `${opts.name ?? 'longhaul'}.log`);
    this.maxBytes = opts.maxBytes ?? 1024 * 1024;
    this.keep = opts.keep ?? 3;
  }

  write(line: string): void {
    const bytes = Buffer.byteLength(line) + 1;
    try {
      if (this.size < 0) {
        ensurePrivateDir(this.opts.dir);
        this.size = fs.existsSync(this.file) ? fs.statSync(this.file).size : 0;
      }
      if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
      appendFilePrivate(this.file, line + '\n');
      this.size += bytes;
    } catch {
      // Logging must never take the app down (read-only disk, full disk): drop the line.
    }
  }

  private rotate(): void {
    for (let i = this.keep - 1; i >= 1; i--) {
      const from = `${this.file}.${i}`;
      if (fs.existsSync(from)) fs.renameSync(from, `${this.file}.${i + 1}`);
    }
    if (this.keep >= 1) fs.renameSync(this.file, `${this.file}.1`);
    else fs.rmSync(this.file, { force: true });
    this.size = 0;
  }

  /** The current file and its rotations, newest first (for the report). */
  files(): string[] {
    const out = [this.file];
    for (let i = 1; i <= this.keep; i++) out.push(`${this.file}.${i}`);
    return out.filter((f) => fs.existsSync(f));
  }
}

class SinkLogger implements Logger {
  constructor(
    private readonly sink: { write(line: string): void },
    private readonly src: string,
    private readonly opts: { level: LogLevel; redactor: Redactor; mirror?: (rec: LogRecord) => void; now: () => Date },
  ) {}

  private log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void {
    if (LEVELS[level] < LEVELS[this.opts.level]) return;
    const rec: LogRecord = { ts: this.opts.now().toISOString(), level, src: this.src, msg };
    // ts/level/src/msg are the logger's: a field of the same name never replaces them (it is kept as `field.<name>`).
    for (const [k, v] of Object.entries(fields ?? {})) rec[RESERVED_KEYS.has(k) ? `field.${k}` : k] = v;
    const safe = this.opts.redactor.redactValue(rec);
    this.sink.write(JSON.stringify(safe));
    this.opts.mirror?.(safe);
  }
  debug(msg: string, fields?: Record<string, unknown>) { this.log('debug', msg, fields); }
  info(msg: string, fields?: Record<string, unknown>) { this.log('info', msg, fields); }
  warn(msg: string, fields?: Record<string, unknown>) { this.log('warn', msg, fields); }
  error(msg: string, fields?: Record<string, unknown>) { this.log('error', msg, fields); }
  child(src: string): Logger { return new SinkLogger(this.sink, src, this.opts); }
}

export function createFileLogger(src: string, opts: FileLogOptions): Logger & { sink: FileSink } {
  const sink = new FileSink(opts);
  const logger = new SinkLogger(sink, src, {
    level: opts.level ?? 'info',
    redactor: opts.redactor ?? globalRedactor,
    mirror: opts.mirror,
    now: opts.now ?? (() => new Date()),
  });
  return Object.assign(logger, { sink });
}

/** A logger that keeps records in memory (tests, and the CLI before the data dir is known). */
export function createMemoryLogger(src = 'test', redactor: Redactor = globalRedactor): Logger & { lines: string[] } {
  const lines: string[] = [];
  const logger = new SinkLogger({ write: (l) => lines.push(l) }, src, { level: 'debug', redactor, now: () => new Date() });
  return Object.assign(logger, { lines });
}

export const nullLogger: Logger = {
  debug() {}, info() {}, warn() {}, error() {},
  child() { return nullLogger; },
};
