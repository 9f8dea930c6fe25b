import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRunner } from '../../../src-main/core/platform/runner';
import { generatePin, sunshinePinUrl } from '../../../src-main/core/stream/pairing';
import { openParsec, parsecOpenCommand } from '../../../src-main/core/stream/parsec';
import { SessionHistory } from '../../../src-main/core/stream/history';

describe('Parsec fallback command', () => {
  it('builds the OS handler command as an argument array', () => {
    expect(parsecOpenCommand('2AbC9x', 'linux')).toEqual({ program: 'xdg-open', args: ['parsec://peer_id=2AbC9x'], url: 'parsec://peer_id=2AbC9x' });
    expect(parsecOpenCommand('2AbC9x', 'darwin').program).toBe('open');
    expect(parsecOpenCommand('2AbC9x', 'win32')).toMatchObject({ program: 'rundll32.exe', args: ['url.dll,FileProtocolHandler', 'parsec://peer_id=2AbC9x'] });
    expect(() => parsecOpenCommand('x&calc', 'win32')).toThrow(/not a Parsec peer id/);
  });

  it('runs the built command through the runner (a recording stand-in for xdg-open)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-parsec-'));
    const out = path.join(dir, 'argv');
    fs.writeFileSync(path.join(dir, 'xdg-open'), `#!/bin/sh\n# stand-in for xdg-open: records its arguments\nprintf '%s\\n' "$@" > '${out}'\n`, { mode: 0o755 });
    const r = await openParsec(createRunner({ searchPath: dir, extraDirs: [] }), 'peer42', 'linux');
    expect(r).toEqual({ opened: true, url: 'parsec://peer_id=peer42' });
    expect(fs.readFileSync(out, 'utf8')).toBe('parsec://peer_id=peer42\n');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('pairing helpers', () => {
  it('generates 4-digit PINs', () => {
    for (let i = 0; i < 200; i++) expect(generatePin()).toMatch(/^\d{4}$/);
  });
  it('points at Sunshine\'s PIN page', () => {
    expect(sunshinePinUrl('10.77.0.10')).toBe('https://10.77.0.10:47990/pin');
    expect(sunshinePinUrl('fd00::10')).toBe('https://[fd00::10]:47990/pin');
  });
});

describe('session history', () => {
  it('keeps the newest line per session, newest first, and skips a torn last line', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-hist-'));
    const h = new SessionHistory(dir);
    const rec = { sessionId: 'a', host: 'h', app: 'Desktop', startedAt: 't0', endedAt: null, outcome: 'running' as const, failure: null, droppedFrames: 0, advice: [], argv: ['stream'], gateOverridden: false };
    h.append(rec);
    h.append({ ...rec, sessionId: 'b' });
    h.append({ ...rec, endedAt: 't1', outcome: 'ended' });
    fs.appendFileSync(h.file, '{"sessionId":"c","ho');
    const list = h.list();
    expect(list.map((r) => [r.sessionId, r.outcome])).toEqual([['a', 'ended'], ['b', 'running']]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
