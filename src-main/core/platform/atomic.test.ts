import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileLogger } from '../log/logger';
import { SessionHistory } from '../stream/history';
import { appendFilePrivate, ensurePrivateDir, writeFileAtomic } from './atomic';

const posix = process.platform !== 'win32';
let tmp: string;
beforeAll(() => void (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-atomic-'))));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const modeOf = (p: string) => fs.statSync(p).mode & 0o7777;
function dirWithMode(name: string, mode: number): string {
  const d = path.join(tmp, name);
  fs.mkdirSync(d);
  fs.chmodSync(d, mode);
  return d;
}

describe.skipIf(!posix)('ensurePrivateDir: mode changes only on directories it created', () => {
  it('leaves an existing sticky 1777 and an existing 0755 directory exactly as they are', () => {
    for (const [name, mode] of [['sticky', 0o1777], ['open', 0o755], ['group', 0o770]] as const) {
      const d = dirWithMode(name, mode);
      expect(ensurePrivateDir(d)).toBe('existing');
      expect(modeOf(d)).toBe(mode);
      writeFileAtomic(path.join(d, 'f'), 'x');
      expect(modeOf(path.join(d, 'f'))).toBe(0o600);
      expect(modeOf(d)).toBe(mode);
    }
  });

  it('creates every missing level 0700 and says so; the existing parent is untouched', () => {
    const parent = dirWithMode('parent', 0o755);
    const leaf = path.join(parent, 'a', 'b', 'c');
    expect(ensurePrivateDir(leaf)).toBe('created');
    for (const d of [path.join(parent, 'a'), path.join(parent, 'a', 'b'), leaf]) expect(modeOf(d)).toBe(0o700);
    expect(modeOf(parent)).toBe(0o755);
    expect(ensurePrivateDir(leaf)).toBe('existing');
  });

  it('a symlink to a directory is that (existing) directory: the target is not chmod-ed', () => {
    const target = dirWithMode('link-target', 0o755);
    const link = path.join(tmp, 'link');
    fs.symlinkSync(target, link);
    expect(ensurePrivateDir(link)).toBe('existing');
    expect(modeOf(target)).toBe(0o755);
  });

  it('a level that is a file is a clear error naming it; the file is untouched', () => {
    const f = path.join(tmp, 'plain-file');
    fs.writeFileSync(f, 'keep', { mode: 0o644 });
    expect(() => ensurePrivateDir(path.join(f, 'sub'))).toThrow(`cannot write into ${path.join(f, 'sub')}: ${f} exists and is not a directory`);
    expect(() => ensurePrivateDir(f)).toThrow(/plain-file exists and is not a directory/);
    expect(fs.readFileSync(f, 'utf8')).toBe('keep');
    expect(modeOf(f)).toBe(0o644);
  });
});

describe.skipIf(!posix)('appendFilePrivate: 0600, never through a symlink, only into a regular file', () => {
  it('creates the file 0600 and appends', () => {
    const f = path.join(tmp, 'append.log');
    appendFilePrivate(f, 'one\n');
    appendFilePrivate(f, 'two\n');
    expect(fs.readFileSync(f, 'utf8')).toBe('one\ntwo\n');
    expect(modeOf(f)).toBe(0o600);
  });

  it('refuses a symlink planted at the path (the file it points to is unchanged)', () => {
    const canary = path.join(tmp, 'canary');
    fs.writeFileSync(canary, 'CANARY', { mode: 0o644 });
    const f = path.join(tmp, 'planted.log');
    fs.symlinkSync(canary, f);
    expect(() => appendFilePrivate(f, 'x\n')).toThrow(/ELOOP/);
    expect(fs.readFileSync(canary, 'utf8')).toBe('CANARY');
  });

  it('refuses a FIFO planted at the path instead of blocking on it', () => {
    const f = path.join(tmp, 'fifo.log');
    const mk = spawnSync('mkfifo', [f]);
    if (mk.status !== 0) return void console.warn('SKIPPED: no mkfifo here');
    expect(() => appendFilePrivate(f, 'x\n')).toThrow(/ENXIO|not a regular file/);
  });
});

describe.skipIf(!posix)('the logger and the stream history write privately into their directories', () => {
  it('the logger keeps an existing 0755 log directory as it is and never follows a planted symlink', () => {
    const dir = dirWithMode('logs', 0o755);
    const canary = path.join(tmp, 'log-canary');
    fs.writeFileSync(canary, 'CANARY');
    fs.symlinkSync(canary, path.join(dir, 'longhaul.log'));
    const log = createFileLogger('main', { dir });
    log.info('hello');
    expect(fs.readFileSync(canary, 'utf8')).toBe('CANARY');
    expect(modeOf(dir)).toBe(0o755);
    const fresh = path.join(tmp, 'fresh-logs');
    createFileLogger('main', { dir: fresh }).info('hello');
    expect(modeOf(fresh)).toBe(0o700);
    expect(modeOf(path.join(fresh, 'longhaul.log'))).toBe(0o600);
  });

  it('the stream history refuses a planted symlink and keeps an existing state directory as it is', () => {
    const state = dirWithMode('state', 0o755);
    const canary = path.join(tmp, 'history-canary');
    fs.writeFileSync(canary, 'CANARY');
    fs.symlinkSync(canary, path.join(state, 'stream-sessions.jsonl'));
    const h = new SessionHistory(state);
    expect(() => h.append({ sessionId: 's1', host: 'h', app: 'Desktop', startedAt: new Date(0).toISOString(), endedAt: null, outcome: 'running', failure: null, droppedFrames: 0, advice: [], argv: [], gateOverridden: false })).toThrow(/ELOOP/);
    expect(fs.readFileSync(canary, 'utf8')).toBe('CANARY');
    expect(modeOf(state)).toBe(0o755);
  });
});
