/**
 * `log.write` through the contract dispatch with the real app handlers and the real file logger: the page cannot set
 * ts/level/src/msg, its fields live under `renderer`, a record is at most 2 KiB, and a flood cannot rotate away the
 * log's history (token bucket 20/s, burst 50; the excess is reported once). The clock is injected (no timing).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../contract/dispatch';
import { createAppHandlers } from '../app/handlers';
import { createCoreServices, type CoreServices } from '../app/services';
import { createMemoryLogger } from './logger';
import { Redactor } from './redact';
import { createRendererLog, RENDERER_LOG_LIMITS } from './renderer-log';

const ctx = { host: 'harness' as const };
let tmp: string;
beforeEach(() => void (tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-renderer-log-'))));
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

function logLines(core: CoreServices): Record<string, unknown>[] {
  return core
    .logFiles()
    .flatMap((f) => fs.readFileSync(f, 'utf8').split('\n'))
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function setup(clock: { t: number }) {
  const core = createCoreServices({ face: 'main', dataDir: path.join(tmp, 'data'), policySources: [] });
  const scheduled: (() => void)[] = [];
  const h = createAppHandlers(core, { rendererLog: { now: () => clock.t, schedule: (fn) => void scheduled.push(fn) } });
  return { core, h, scheduled };
}

describe('log.write: the page is untrusted input to main\'s log', () => {
  it('a flood cannot rotate away the history; the excess is reported once as one line', async () => {
    const clock = { t: 0 };
    const { core, h, scheduled } = setup(clock);
    core.logger.info('KNOWN-HISTORY-RECORD before the flood', { marker: 'history-7d1e' });
    const big = { blob: 'x'.repeat(7000) }; // passes the contract, cut to 2 KiB by main
    const flood = 5000;
    for (let i = 0; i < flood; i++) {
      const r = await dispatch(h, 'log.write', { level: 'error', msg: `flood ${i} ${'y'.repeat(3500)}`, fields: big }, ctx);
      expect(r.ok).toBe(true);
    }
    expect(logLines(core).some((l) => l.msg === 'KNOWN-HISTORY-RECORD before the flood' && l.marker === 'history-7d1e')).toBe(true);
    expect(scheduled).toHaveLength(1); // one pending report for the whole flood
    scheduled[0]!();
    const lines = logLines(core);
    expect(lines.filter((l) => l.src === 'renderer')).toHaveLength(RENDERER_LOG_LIMITS.burst);
    const dropped = lines.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('renderer log records dropped'));
    expect(dropped).toEqual([expect.objectContaining({ src: 'main', level: 'warn', msg: `renderer log records dropped: ${flood - RENDERER_LOG_LIMITS.burst}` })]);
    // Nothing was rotated: the history file is the only file.
    expect(core.logFiles().map((f) => path.basename(f))).toEqual(['longhaul.log']);

    // The bucket refills at 20/s: one second later, 20 more records go in.
    clock.t += 1000;
    for (let i = 0; i < 30; i++) await dispatch(h, 'log.write', { level: 'info', msg: `after ${i}` }, ctx);
    scheduled.at(-1)!();
    const after = logLines(core).filter((l) => typeof l.msg === 'string' && l.msg.startsWith('renderer: after'));
    expect(after).toHaveLength(RENDERER_LOG_LIMITS.ratePerSec);
    expect(logLines(core).filter((l) => l.msg === 'renderer log records dropped: 10')).toHaveLength(1);
  });

  it('every record is at most 2 KiB once written, whatever the page sends (multi-byte text, many fields)', async () => {
    const { core, h } = setup({ t: 0 });
    const payloads = [
      { level: 'info', msg: '€'.repeat(4000) },
      { level: 'warn', msg: 'm', fields: Object.fromEntries(Array.from({ length: 32 }, (_, i) => [`k${i}`, '"\\'.repeat(50)])) },
      { level: 'error', msg: '\u0000\n'.repeat(2000), fields: { nested: { deep: ['😀'.repeat(1500)] } } },
    ];
    for (const p of payloads) expect(await dispatch(h, 'log.write', p, ctx)).toEqual({ ok: true, value: null });
    const file = core.logFiles()[0]!;
    const raw = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
    expect(raw).toHaveLength(3);
    for (const l of raw) expect(Buffer.byteLength(l)).toBeLessThanOrEqual(RENDERER_LOG_LIMITS.recordMaxBytes);
    const recs = raw.map((l) => JSON.parse(l) as { renderer?: { truncated?: boolean } });
    expect(recs[1]!.renderer).toMatchObject({ truncated: true });
  });

  it('the page cannot set ts/level/src/msg: its fields stay under "renderer"', async () => {
    const { core, h } = setup({ t: 0 });
    const forged = { ts: '1999-01-01T00:00:00.000Z', level: 'error', src: 'main', msg: 'tunnel up (forged)', renderer: 'x' };
    await dispatch(h, 'log.write', { level: 'info', msg: 'page says hi', fields: forged }, ctx);
    const [rec] = logLines(core);
    expect(rec).toMatchObject({ level: 'info', src: 'renderer', msg: 'renderer: page says hi', renderer: forged });
    expect(rec!.ts).not.toBe(forged.ts);
    expect(Object.keys(rec!).sort()).toEqual(['level', 'msg', 'renderer', 'src', 'ts']);
  });

  it('the contract refuses a 3 MiB record and too many fields before main sees them', async () => {
    const { core, h } = setup({ t: 0 });
    const huge = await dispatch(h, 'log.write', { level: 'info', msg: 'm', fields: { blob: 'z'.repeat(3 * 1024 * 1024) } }, ctx);
    expect(huge).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    const many = await dispatch(h, 'log.write', { level: 'info', msg: 'm', fields: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, i])) }, ctx);
    expect(many).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    expect(core.logFiles()).toEqual([]);
  });
});

describe('createRendererLog', () => {
  it('a sustained flood at the allowed rate adds at most the hourly byte budget, so hours of history survive', () => {
    const mem = createMemoryLogger('main');
    const clock = { t: 0 };
    const log = createRendererLog(mem, { now: () => clock.t, schedule: () => {} });
    // 20 records/s of ~2 KiB for 10 minutes: 24 MB asked for; the budget lets in about 256 KiB plus 10 min of refill.
    for (let s = 0; s < 600; s++) {
      for (let i = 0; i < RENDERER_LOG_LIMITS.ratePerSec; i++) log.write({ level: 'error', msg: 'z'.repeat(600), fields: { blob: 'q'.repeat(3000) } });
      clock.t += 1000;
    }
    log.flush();
    const written = mem.lines.filter((l) => l.includes('"src":"renderer"')).reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
    const allowed = RENDERER_LOG_LIMITS.bytesPerHour * (1 + 600 / 3600);
    expect(written).toBeLessThanOrEqual(allowed);
    expect(written).toBeGreaterThan(RENDERER_LOG_LIMITS.bytesPerHour * 0.9); // the budget is used, not a blanket refusal
    expect(mem.lines.some((l) => l.includes('renderer log records dropped'))).toBe(true);
  });

  it('redacts before cutting, so a cut never leaves half a key behind', () => {
    const key = 'yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=';
    const r = new Redactor();
    r.addSecret(key);
    const mem = createMemoryLogger('main', r);
    const log = createRendererLog(mem, { now: () => 0, redactor: r, schedule: () => {} });
    log.write({ level: 'info', msg: `${'a'.repeat(500)}${key}` });
    log.write({ level: 'info', msg: 'f', fields: { text: `${'b'.repeat(3000)}${key}` } });
    for (const l of mem.lines) for (let n = 8; n <= key.length; n++) expect(l).not.toContain(key.slice(0, n));
  });

  it('reports a flood that just stops through the scheduled flush, and nothing when nothing was dropped', () => {
    const mem = createMemoryLogger('main');
    const scheduled: (() => void)[] = [];
    const log = createRendererLog(mem, { now: () => 0, schedule: (fn) => void scheduled.push(fn), limits: { burst: 2 } });
    for (let i = 0; i < 5; i++) log.write({ level: 'info', msg: `m${i}` });
    expect(scheduled).toHaveLength(1);
    scheduled[0]!();
    log.flush();
    const msgs = mem.lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
    expect(msgs).toEqual(['renderer: m0', 'renderer: m1', 'renderer log records dropped: 3']);
  });
});
