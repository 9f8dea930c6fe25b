/** The health tracker: since, time-to-visible (injected clock), dependents suppressed, change events only on change. */
import { describe, expect, it } from 'vitest';
import type { HealthFinding } from '../../../src-main/contract/health';
import { createHealthTracker } from '../../../src-main/core/health/tracker';
import { manualClock } from './manual-clock';

function setup(opts: { debounceMs?: number; timeToVisibleMs?: Record<string, number> } = {}) {
  const clock = manualClock();
  const t = createHealthTracker({ clock, debounceMs: opts.debounceMs ?? 100, timeToVisibleMs: opts.timeToVisibleMs });
  const events: HealthFinding[][] = [];
  t.onChange((f) => events.push(f));
  const codes = (list: HealthFinding[]) => list.map((f) => `${f.code}@${f.subject ?? '-'}`);
  return { clock, t, events, codes };
}

describe('health tracker', () => {
  it('a condition without a time-to-visible shows at once, with since = when it was first seen, and is announced once', () => {
    const { clock, t, events } = setup();
    const at = new Date(clock.now()).toISOString();
    t.set('tunnel.vanished', { profile: 'farm', interface: 'farm' }, { interface: 'farm' }, 'farm');
    expect(t.current()).toMatchObject([
      { code: 'tunnel.vanished', severity: 'error', subject: 'farm', since: at, timeToVisibleMs: 0, evidence: { interface: 'farm' } },
    ]);
    expect(t.current()[0]!.detail).toContain('farm');
    expect(events).toEqual([]); // debounced
    clock.advance(100);
    expect(events.map((e) => e.map((f) => f.code))).toEqual([['tunnel.vanished']]);
    clock.advance(10_000);
    expect(events).toHaveLength(1);
  });

  it('a condition must persist for its time-to-visible before it shows; its since is still the first sighting', () => {
    const { clock, t, events } = setup();
    const first = new Date(clock.now()).toISOString();
    t.set('tunnel.stale', { profile: 'farm', endpoint: '192.0.2.1:51820', thresholdSec: 180 }, {}, 'farm');
    expect(t.current()).toEqual([]);
    clock.advance(1000);
    t.set('tunnel.stale', { profile: 'farm', endpoint: '192.0.2.1:51820', thresholdSec: 180 }, { latestHandshakeAgeSec: 200 }, 'farm'); // still holds
    clock.advance(3999); // 4999 ms after the first sighting (the default for tunnel.stale is 5000)
    expect(t.current()).toEqual([]);
    expect(events).toEqual([]);
    clock.advance(1);
    expect(t.current()).toMatchObject([{ code: 'tunnel.stale', since: first, timeToVisibleMs: 5000, evidence: { latestHandshakeAgeSec: 200 } }]);
    clock.advance(100);
    expect(events).toHaveLength(1);
    expect(events[0]![0]).toMatchObject({ code: 'tunnel.stale', since: first });
  });

  it('a blip shorter than its time-to-visible is never shown nor announced; a set-and-clear inside the debounce is no change', () => {
    const { clock, t, events } = setup({ timeToVisibleMs: { 'tunnel.stale': 2000 } });
    t.set('tunnel.stale', {}, {}, 'farm');
    clock.advance(1500);
    t.clear('tunnel.stale', 'farm');
    clock.advance(5000);
    expect(t.current()).toEqual([]);
    t.set('tunnel.vanished', {}, {}, 'farm');
    clock.advance(50);
    t.clear('tunnel.vanished', 'farm');
    clock.advance(5000);
    expect(events).toEqual([]);
    // Cleared and raised again: a new since.
    t.set('tunnel.stale', {}, {}, 'farm');
    const again = new Date(clock.now()).toISOString();
    clock.advance(2000);
    expect(t.current()[0]!.since).toBe(again);
  });

  it('evidence alone is no change; a change of text is', () => {
    const { clock, t, events } = setup();
    t.set('checks.fix-available', { profile: 'farm', finding: 'Large packets vanish in the tunnel' }, { runId: 'chk-1' }, 'farm');
    clock.advance(100);
    t.set('checks.fix-available', { profile: 'farm', finding: 'Large packets vanish in the tunnel' }, { runId: 'chk-2' }, 'farm');
    clock.advance(100);
    expect(events).toHaveLength(1);
    expect(t.current()[0]!.evidence).toEqual({ runId: 'chk-2' });
    t.set('checks.fix-available', { profile: 'farm', finding: 'Something else' }, { runId: 'chk-3' }, 'farm');
    clock.advance(100);
    expect(events).toHaveLength(2);
    expect(events[1]![0]!.detail).toContain('Something else');
  });

  it('suppresses dependents of a visible finding and brings them back when it clears', () => {
    const { clock, t, events, codes } = setup({ timeToVisibleMs: { 'tunnel.stale': 0 } });
    t.set('tunnel.stale', {}, {}, 'farm');
    t.set('checks.fix-available', {}, {}, 'farm');
    t.set('tunnel.vanished', {}, {}, 'farm');
    clock.advance(100);
    expect(codes(t.current())).toEqual(['tunnel.vanished@farm']);
    t.clear('tunnel.vanished', 'farm');
    clock.advance(100);
    expect(codes(t.current())).toEqual(['tunnel.stale@farm', 'checks.fix-available@farm']); // warning before info
    expect(events.map(codes)).toEqual([['tunnel.vanished@farm'], ['tunnel.stale@farm', 'checks.fix-available@farm']]);
  });

  it('suppresses only within the subject: one tunnel vanishing hides nothing of another', () => {
    const { t, codes } = setup();
    t.set('tunnel.vanished', {}, {}, 'studio-a');
    t.set('checks.fix-available', {}, {}, 'studio-a');
    t.set('checks.fix-available', {}, {}, 'studio-b');
    expect(codes(t.current())).toEqual(['tunnel.vanished@studio-a', 'checks.fix-available@studio-b']);
  });

  it('keeps one condition per subject; clear without a subject clears every subject', () => {
    const { clock, t, codes } = setup({ timeToVisibleMs: { 'tunnel.stale': 0 } });
    t.set('tunnel.stale', {}, {}, 'studio-b');
    t.set('tunnel.stale', {}, {}, 'studio-a');
    expect(codes(t.current())).toEqual(['tunnel.stale@studio-a', 'tunnel.stale@studio-b']);
    t.clear('tunnel.stale', 'studio-a');
    expect(codes(t.current())).toEqual(['tunnel.stale@studio-b']);
    t.set('tunnel.stale', {}, {}, 'studio-a');
    t.clear('tunnel.stale');
    clock.advance(100);
    expect(t.current()).toEqual([]);
  });

  it('announces a burst of changes once, and nothing after stop', () => {
    const { clock, t, events } = setup();
    t.set('tunnel.vanished', {}, {}, 'a');
    clock.advance(40);
    t.set('tunnel.vanished', {}, {}, 'b');
    clock.advance(40);
    t.set('checks.fix-available', {}, {}, 'c');
    clock.advance(100);
    expect(events).toHaveLength(1);
    expect(events[0]!.map((f) => f.subject)).toEqual(['a', 'b', 'c']);
    t.stop();
    t.clear('tunnel.vanished');
    clock.advance(1000);
    expect(events).toHaveLength(1);
    expect(clock.pending()).toBe(0);
  });
});
