/**
 * Why did Moonlight drop frames just now? The probe's echoes around the moment, the handshake, and the baseline RTT
 * name one cause. Pure. Environment: any.
 *
 * Rules, in order (the first that holds wins):
 *  1. the tunnel's endpoint changed since the previous sample → `endpoint-roamed` (the computer changed network, e.g.
 *     a Wi-Fi switch; WireGuard follows, but packets in flight are lost);
 *  2. the handshake is older than HANDSHAKE_STALE_SEC while echoes go unanswered → `handshake-stalled`;
 *  3. an echo in the window was lost (or the gateway unreachable) → `tunnel-loss`;
 *  4. an echo's RTT (a late reply included) exceeded the baseline by max(30 ms, 50 %) → `rtt-spike` (a queue filled
 *     somewhere on the path: congestion);
 *  5. otherwise the network was clean at that moment → `local` (decoder, display sync, a busy computer);
 *  no probe at all → `unmeasured`.
 */
import type { ProbeLine } from './ping-stream';

export type DropCause = 'endpoint-roamed' | 'handshake-stalled' | 'tunnel-loss' | 'rtt-spike' | 'local' | 'unmeasured';

/** WireGuard rekeys every 120 s (REKEY_AFTER_TIME) and gives up on a session after 180 s (REJECT_AFTER_TIME). */
export const HANDSHAKE_STALE_SEC = 180;
/** How far back from the drop the window reaches, and how long after it probe lines are still awaited. */
export const WINDOW_BEFORE_MS = 4_000;
export const WINDOW_AFTER_MS = 750;
export const SPIKE_MIN_MS = 30;

export interface HandshakeSample {
  atMs: number;
  ageSec: number | null;
  endpoint: string | null;
}

export interface WindowStats {
  sent: number;
  lost: number;
  late: number;
  lossPercent: number;
  maxRttMs: number | null;
  medianRttMs: number | null;
}

export interface DropExplanation {
  cause: DropCause;
  text: string;
  evidence: WindowStats & { baselineRttMs: number | null; handshakeAgeSec: number | null; endpoint: string | null; previousEndpoint: string | null };
}

const median = (xs: number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

/** Echo outcomes by sequence number, for lines whose time falls in [from, to]. */
export function windowStats(lines: readonly ProbeLine[], fromMs: number, toMs: number): WindowStats {
  const bySeq = new Map<number, { reply?: number; noAnswer?: boolean; unreachable?: boolean }>();
  for (const l of lines) {
    if (l.atMs < fromMs || l.atMs > toMs) continue;
    const e = bySeq.get(l.seq) ?? {};
    if (l.kind === 'reply') e.reply = l.rttMs;
    else if (l.kind === 'no-answer') e.noAnswer = true;
    else e.unreachable = true;
    bySeq.set(l.seq, e);
  }
  const entries = [...bySeq.values()];
  const lost = entries.filter((e) => e.reply === undefined && (e.noAnswer || e.unreachable)).length;
  const late = entries.filter((e) => e.reply !== undefined && e.noAnswer).length;
  const rtts = entries.flatMap((e) => (e.reply === undefined ? [] : [e.reply]));
  return {
    sent: entries.length,
    lost,
    late,
    lossPercent: entries.length ? Math.round((lost / entries.length) * 1000) / 10 : 0,
    maxRttMs: rtts.length ? Math.max(...rtts) : null,
    medianRttMs: median(rtts),
  };
}

/** The RTT the tunnel has when nothing is wrong: the median of the replies before `beforeMs` (null: none yet). */
export function baselineRtt(lines: readonly ProbeLine[], beforeMs: number): number | null {
  return median(lines.flatMap((l) => (l.kind === 'reply' && l.atMs < beforeMs ? [l.rttMs] : [])));
}

const ms = (v: number | null) => (v === null ? '?' : `${Math.round(v)} ms`);

export function explainDrop(
  frames: number,
  atMs: number,
  lines: readonly ProbeLine[] | null,
  handshake: { now: HandshakeSample | null; previous: HandshakeSample | null },
): DropExplanation {
  const stats: WindowStats = lines ? windowStats(lines, atMs - WINDOW_BEFORE_MS, atMs + WINDOW_AFTER_MS) : { sent: 0, lost: 0, late: 0, lossPercent: 0, maxRttMs: null, medianRttMs: null };
  const baseline = lines ? baselineRtt(lines, atMs - WINDOW_BEFORE_MS) : null;
  const hs = handshake.now;
  const evidence = { ...stats, baselineRttMs: baseline, handshakeAgeSec: hs?.ageSec ?? null, endpoint: hs?.endpoint ?? null, previousEndpoint: handshake.previous?.endpoint ?? null };
  const n = `Moonlight dropped ${frames} frame${frames === 1 ? '' : 's'}`;
  const prevEp = handshake.previous?.endpoint ?? null;
  if (hs?.endpoint && prevEp && hs.endpoint !== prevEp) {
    return { cause: 'endpoint-roamed', evidence, text: `${n}: the tunnel's endpoint changed (${prevEp} → ${hs.endpoint}) — this computer switched network (Wi-Fi roaming or a new connection). Stay on one network, or use a wired connection, for the session.` };
  }
  if (hs?.ageSec !== null && hs?.ageSec !== undefined && hs.ageSec > HANDSHAKE_STALE_SEC && (stats.lost > 0 || stats.sent === 0)) {
    return { cause: 'handshake-stalled', evidence, text: `${n}: the tunnel stalled — its last handshake was ${hs.ageSec} s ago and echoes to the gateway go unanswered. The farm's gateway or the path to it is not answering; reconnect, and if it persists send a report to support.` };
  }
  if (!lines || stats.sent === 0) {
    return { cause: 'unmeasured', evidence, text: `${n}; the tunnel was not being probed at that moment, so the cause is not known.` };
  }
  if (stats.lost > 0) {
    return { cause: 'tunnel-loss', evidence, text: `${n}: the tunnel lost packets at that moment (${stats.lost} of ${stats.sent} echoes to the gateway, ${stats.lossPercent} %). The network between you and the farm is dropping traffic: use a wired connection, pause other traffic on this line, or lower the bitrate.` };
  }
  const threshold = baseline === null ? null : baseline + Math.max(SPIKE_MIN_MS, baseline * 0.5);
  if (threshold !== null && stats.maxRttMs !== null && stats.maxRttMs > threshold) {
    return { cause: 'rtt-spike', evidence, text: `${n}: the round trip to the farm jumped from ${ms(baseline)} to ${ms(stats.maxRttMs)} (congestion: a queue filled on the path). Pause uploads/downloads on this line, or lower the bitrate.` };
  }
  return { cause: 'local', evidence, text: `${n}, but the network was clean at that moment (no echo lost, round trip steady at ${ms(stats.medianRttMs)}, handshake fresh): the frames were most likely dropped on this computer (video decoder or display sync). Try a lower resolution or frame rate, or turn V-Sync off in Moonlight.` };
}
