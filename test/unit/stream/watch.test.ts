/**
 * The stream watch: the probe's line reader on real recordings, the cause rules, and the watch fed the recorded probe
 * output the way the running probe feeds it.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainDrop, windowStats, type HandshakeSample } from '../../../src-main/core/stream/watch/classify';
import { parseProbeLine, probeCommand, type ProbeLine } from '../../../src-main/core/stream/watch/ping-stream';
import { StreamWatch } from '../../../src-main/core/stream/watch/watch';
import { nullLogger } from '../../../src-main/core/log/logger';

const SAMPLES = path.resolve(__dirname, '../../fixtures/samples');
const sample = (f: string) => readFileSync(path.join(SAMPLES, f), 'utf8');
const parseAll = (text: string, now = 0) => text.split('\n').flatMap((l) => parseProbeLine(l, now) ?? []);

describe('probe lines (real recordings)', () => {
  it('reads replies, "no answer yet" and their -D receive times (iputils 20221126, recorded for this project)', () => {
    const lines = parseAll(sample('linux-ping-D-O-i025-icmp-dropped-mid-run.txt'));
    expect(lines.filter((l) => l.kind === 'reply').map((l) => l.seq)).toEqual([1, 2, 3, 4, 5, 12, 13, 14, 15, 16]);
    expect(lines.filter((l) => l.kind === 'no-answer').map((l) => l.seq)).toEqual([6, 7, 8, 9, 10, 11]);
    expect(lines[0]).toEqual({ kind: 'reply', seq: 1, rttMs: 0.134, atMs: 1796232338816 });
    expect(windowStats(lines, 0, Number.MAX_SAFE_INTEGER)).toMatchObject({ sent: 16, lost: 6, late: 0, lossPercent: 37.5 });
  });

  it('reads "Destination Host Unreachable" as a lost echo (pingparsing recording)', () => {
    const lines = parseAll(sample('linux-ping-D-O-destination-host-unreachable-pipe.txt'));
    expect(lines.some((l) => l.kind === 'unreachable' && l.seq === 1)).toBe(true);
    expect(windowStats(lines, 0, Number.MAX_SAFE_INTEGER).lost).toBeGreaterThanOrEqual(4);
  });

  it('reads macOS reply lines (recording) and stamps them with the arrival time', () => {
    const lines = parseAll(sample('macos-ping-success.txt'), 42);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.kind === 'reply' && l.atMs === 42)).toBe(true);
  });

  it('builds the probe command per platform, none on Windows', () => {
    expect(probeCommand('linux', '10.200.1.1')).toEqual({ program: 'ping', args: ['-n', '-D', '-O', '-i', '0.25', '-W', '1', '10.200.1.1'] });
    expect(probeCommand('darwin', '10.200.1.1')?.args).toEqual(['-n', '-i', '0.25', '10.200.1.1']);
    expect(probeCommand('win32', '10.200.1.1')).toBeNull();
  });

  it('ignores other lines and overlong input', () => {
    expect(parseProbeLine('PING 10.0.0.1 (10.0.0.1) 56(84) bytes of data.', 0)).toBeNull();
    expect(parseProbeLine('--- 10.0.0.1 ping statistics ---', 0)).toBeNull();
    expect(parseProbeLine('x'.repeat(5000), 0)).toBeNull();
  });
});

/** Echoes every 250 ms from t=0 to `untilMs`, with `rtt(t)` ms (null: lost). */
function echoes(untilMs: number, rtt: (t: number) => number | null): ProbeLine[] {
  const out: ProbeLine[] = [];
  for (let seq = 1, t = 0; t <= untilMs; seq++, t += 250) {
    const r = rtt(t);
    out.push(r === null ? { kind: 'no-answer', seq, atMs: t + 250 } : { kind: 'reply', seq, rttMs: r, atMs: t + r });
  }
  return out;
}
const fresh: { now: HandshakeSample; previous: HandshakeSample } = { now: { atMs: 0, ageSec: 20, endpoint: '198.51.100.7:51820' }, previous: { atMs: 0, ageSec: 15, endpoint: '198.51.100.7:51820' } };

describe('naming the cause of dropped frames', () => {
  it('loss in the window → tunnel-loss, with the counts', () => {
    const x = explainDrop(15, 10_000, echoes(12_000, (t) => (t > 8_000 && t < 9_000 ? null : 200)), fresh);
    expect(x.cause).toBe('tunnel-loss');
    expect(x.text).toMatch(/lost packets at that moment \(3 of \d+ echoes/);
  });

  it('an RTT jump over the baseline → rtt-spike (late replies count)', () => {
    const x = explainDrop(11, 10_000, echoes(12_000, (t) => (t > 8_000 && t < 9_500 ? 320 : 200)), fresh);
    expect(x.cause).toBe('rtt-spike');
    expect(x.text).toMatch(/jumped from 200 ms to 320 ms/);
    // 20 ms over a 200 ms baseline is jitter, not a spike.
    expect(explainDrop(11, 10_000, echoes(12_000, (t) => (t > 8_000 && t < 9_500 ? 220 : 200)), fresh).cause).toBe('local');
  });

  it('a clean network at that moment → local (decoder/display), with the steady RTT', () => {
    const x = explainDrop(3, 10_000, echoes(12_000, () => 200), fresh);
    expect(x.cause).toBe('local');
    expect(x.text).toMatch(/network was clean .*steady at 200 ms.*this computer/);
  });

  it('a changed endpoint → endpoint-roamed; an old handshake with unanswered echoes → handshake-stalled', () => {
    const roamed = explainDrop(5, 10_000, echoes(12_000, () => 200), { previous: fresh.previous, now: { atMs: 0, ageSec: 1, endpoint: '203.0.113.9:40000' } });
    expect(roamed.cause).toBe('endpoint-roamed');
    expect(roamed.text).toMatch(/198\.51\.100\.7:51820 → 203\.0\.113\.9:40000/);
    const stalled = explainDrop(5, 10_000, echoes(12_000, (t) => (t > 5_000 ? null : 200)), { previous: fresh.previous, now: { atMs: 0, ageSec: 240, endpoint: '198.51.100.7:51820' } });
    expect(stalled.cause).toBe('handshake-stalled');
    // An old handshake while echoes are answered is only an idle rekey, not a stall.
    expect(explainDrop(5, 10_000, echoes(12_000, () => 200), { previous: fresh.previous, now: { atMs: 0, ageSec: 240, endpoint: '198.51.100.7:51820' } }).cause).toBe('local');
  });

  it('no probe → unmeasured, never "clean"', () => {
    expect(explainDrop(5, 10_000, null, fresh).cause).toBe('unmeasured');
    expect(explainDrop(5, 10_000, [], fresh).cause).toBe('unmeasured');
  });
});

describe('StreamWatch', () => {
  it('fed the recorded probe output, explains a drop during the outage as tunnel loss and keeps it in the timeline', () => {
    const seen: string[] = [];
    const w = new StreamWatch({ runner: { start: () => { throw new Error('not started in this test'); } }, platform: 'linux', gateway: null, logger: nullLogger, onEntry: (e) => seen.push(e.cause ?? e.kind) });
    for (const l of sample('linux-ping-D-O-i025-icmp-dropped-mid-run.txt').split('\n')) w.addLine(l);
    const e = w.explainNow(15, 1796232341000);
    expect(e).toMatchObject({ kind: 'dropped-frames', frames: 15, cause: 'tunnel-loss' });
    expect(e.evidence).toMatchObject({ lost: expect.any(Number), sent: expect.any(Number) });
    w.note('failure', 'Connection terminated (-100)');
    expect(w.timeline().map((x) => x.kind)).toEqual(['dropped-frames', 'failure']);
    expect(seen).toEqual(['tunnel-loss', 'failure']);
  });

  it('without a gateway the watch says it did not probe (unmeasured), and stop() makes pending explanations at once', async () => {
    const w = new StreamWatch({ runner: { start: () => { throw new Error('no'); } }, platform: 'linux', gateway: null, logger: nullLogger });
    expect(w.probeAvailable).toBe(false);
    const p = w.droppedFrames(4, 5_000);
    w.stop();
    expect(w.timeline()).toHaveLength(1);
    expect((await p).cause).toBe('unmeasured');
  });
});
