/**
 * The stream gate's `capacity` item (issue 14): the measured line against what the chosen resolution/fps needs
 * (Moonlight's default bitrate for it, settings.ts, or the artist's own), the bitrate passed to Moonlight, and
 * concrete settings to propose. Pure. Environment: any.
 *
 * - line carries the need (the first step, at need ÷ 0.8, passed; or the fit ≥ the need): pass, Moonlight gets the need;
 * - the fit is below the need but ≥ MIN_USABLE_KBPS: warn `stream.capacity-low`, Moonlight gets the fit, and the
 *   proposal names the chosen mode at the fit ("1440p60 at 28 Mbit/s") and the best standard mode whose own default fits;
 * - below MIN_USABLE_KBPS (5 Mbit/s): fail `stream.capacity-too-low` with the fix (wired instead of Wi-Fi, another
 *   network); Moonlight would get the fit (at least 500 kbit/s, its minimum) on an override;
 * - not measured (no probe, policy off) or the measurement failed: warn `stream.capacity-unmeasured` — never a pass;
 *   not tried because the gate is already red: skip. Moonlight gets the need — or, with `knownGood` (the last fit
 *   measured on this network, core/capacity/for-stream.ts), that fit when it is below the need (still a warning).
 * The measurement's limit adds `net-loss` (`net.loss`) or `net-bufferbloat` (`net.bufferbloat`) items, warnings.
 * Per-network memory (docs/capacity.md): when the fit fell below 70 % of the last one on the same network
 * (`capacity.network.fell`, core/capacity/change.ts) a `capacity-fell` item warns `stream.capacity-fell`, whatever
 * the fit decided.
 */
import type { CapacityDoc } from '../../contract/stream';
import { makeFinding } from '../findings/finding';
import type { GateCheckResult } from './gate';
import { moonlightDefaultBitrate } from './settings';

export const MIN_USABLE_KBPS = 5000;
/** Moonlight's lowest bitrate (its slider's minimum, 500 Kbps). */
export const MOONLIGHT_MIN_KBPS = 500;

export interface ModeChoice {
  width: number;
  height: number;
  fps: number;
  /** 4:4:4 as it will actually be passed (host and Moonlight permitting). */
  yuv444: boolean;
}

export interface CapacityDecision {
  items: GateCheckResult[];
  /** The `--bitrate` for Moonlight. */
  bitrateKbps: number;
  neededKbps: number;
  /** One sentence: the measured line, the chosen bitrate and why. */
  why: string;
  proposal: string | null;
}

/** "27.5" / "28": Mbit/s for people (one decimal below 10 Mbit/s). */
export function mbit(kbps: number): string {
  return kbps >= 10_000 ? String(Math.floor(kbps / 1000)) : String(Math.floor(kbps / 100) / 10);
}

/** "1080p60" for 16:9 modes, else "1680x1050 at 60 fps". */
export function modeLabel(width: number, height: number, fps: number): string {
  return Math.abs(width - Math.round((height * 16) / 9)) <= 2 ? `${height}p${fps}` : `${width}x${height} at ${fps} fps`;
}

const STANDARD_MODES: readonly (readonly [number, number])[] = [
  [3840, 2160],
  [2560, 1440],
  [1920, 1080],
  [1280, 720],
  [854, 480],
];

/** The best standard mode, no larger and no faster than the chosen one, whose Moonlight default fits `kbps`. */
export function bestModeWithin(kbps: number, m: ModeChoice): { width: number; height: number; fps: number; kbps: number } | null {
  const fpsChoices = [...new Set([m.fps, 60, 30])].filter((f) => f <= m.fps);
  const candidates = STANDARD_MODES.filter(([w, h]) => w * h <= m.width * m.height)
    .flatMap(([w, h]) => fpsChoices.map((fps) => ({ width: w, height: h, fps, kbps: moonlightDefaultBitrate(w, h, fps, m.yuv444) })))
    .filter((c) => !(c.width === m.width && c.height === m.height && c.fps === m.fps) && c.kbps <= kbps)
    .sort((a, b) => b.kbps - a.kbps || b.fps - a.fps);
  return candidates[0] ?? null;
}

/** The `--bitrate` for a line that carries `fitKbps`: rounded down to 100 kbit/s, never below Moonlight's minimum. */
export function bitrateForFit(fitKbps: number): number {
  return Math.max(MOONLIGHT_MIN_KBPS, Math.floor(fitKbps / 100) * 100);
}

/** What to propose for a line that carries `fitKbps`: the chosen mode at the fit, and a smaller mode at its default. */
export function proposeSettings(fitKbps: number, m: ModeChoice): string {
  const usable = bitrateForFit(fitKbps);
  const parts = [`${modeLabel(m.width, m.height, m.fps)} at ${mbit(usable)} Mbit/s`];
  const lower = bestModeWithin(fitKbps, m);
  if (lower) parts.push(`${modeLabel(lower.width, lower.height, lower.fps)} at ${mbit(lower.kbps)} Mbit/s (Moonlight's default for it, a sharper picture in motion)`);
  if (m.yuv444 && moonlightDefaultBitrate(m.width, m.height, m.fps, false) <= fitKbps) {
    parts.push(`${modeLabel(m.width, m.height, m.fps)} without YUV 4:4:4 at ${mbit(moonlightDefaultBitrate(m.width, m.height, m.fps, false))} Mbit/s (4:4:4 doubles the bitrate)`);
  }
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} or ${parts[parts.length - 1]}`;
}

function unmeasuredFix(c: Extract<CapacityDoc, { status: 'unmeasured' | 'failed' }>): string {
  if (c.reason === 'policy-off') return 'Nothing to do: your organisation chose not to measure the line. If the stream stutters, lower the resolution or bitrate in the stream settings.';
  if (c.reason === 'no-probe') return 'IT: run a stock `iperf3 -s` on the gateway and name it in the site file: "capacityProbe": {"host": "<gateway tunnel address>", "port": 5201} (docs/site-file.md).';
  if (c.reason === 'gate-blocked') return 'Fix the red items first; the line is measured once the tunnel works.';
  return `${c.message} If the stream stutters, lower the resolution or bitrate.`;
}

/**
 * What a stream needs when no host answered yet (no proof of 4:4:4): the artist's own bitrate, else Moonlight's 4:2:0
 * default for the resolution/fps. `longhaul capacity` and Home's stored line (`stream.lastCapacity`) use it.
 */
export function hostlessNeedKbps(settings: { width: number; height: number; fps: number; bitrateKbps: number | null }): number {
  return settings.bitrateKbps ?? moonlightDefaultBitrate(settings.width, settings.height, settings.fps, false);
}

/** The bitrate Moonlight would get from a stored measured result with these settings (null: nothing measured). */
export function storedLineBitrate(capacity: CapacityDoc | null, settings: { width: number; height: number; fps: number; bitrateKbps: number | null }): number | null {
  if (capacity?.status !== 'measured') return null;
  const need = hostlessNeedKbps(settings);
  return decideCapacity(capacity, { width: settings.width, height: settings.height, fps: settings.fps, yuv444: false }, need).bitrateKbps;
}

export function decideCapacity(capacity: CapacityDoc, mode: ModeChoice, neededKbps: number): CapacityDecision {
  if (capacity.status !== 'measured') {
    const why = capacity.status === 'failed' ? `the measurement failed (${capacity.reason}): ${capacity.message}` : capacity.message;
    const status = capacity.reason === 'gate-blocked' ? 'skip' : 'warn';
    const known = status === 'warn' ? capacity.knownGood : undefined;
    if (known) {
      // Known-good (docs/capacity.md): the last fit measured on this network, at most what the settings need.
      const bitrateKbps = known.downKbps >= neededKbps ? neededKbps : bitrateForFit(known.downKbps);
      const last = `the last measurement on this network (${known.measuredAt.slice(0, 16).replace('T', ' ')} UTC) found ${mbit(known.downKbps)} Mbit/s`;
      const f = makeFinding('stream.capacity-unmeasured', { why: `${why}; ${last}`, bitrateMbit: mbit(bitrateKbps), fix: unmeasuredFix(capacity) }, { reason: capacity.reason, knownGoodKbps: known.downKbps });
      return {
        items: [{ id: 'capacity', status, summary: `line not measured now: ${why}; using ${last}`, findingCode: f.code, fix: f.fix, evidence: { reason: capacity.reason, knownGoodKbps: known.downKbps, knownGoodAt: known.measuredAt } }],
        bitrateKbps,
        neededKbps,
        why: `Moonlight gets ${mbit(bitrateKbps)} Mbit/s from ${last}${bitrateKbps < neededKbps ? ` (these settings need ${mbit(neededKbps)})` : ''}; the line was not measured now (${why}).`,
        proposal: bitrateKbps < neededKbps ? proposeSettings(known.downKbps, mode) : null,
      };
    }
    const f = makeFinding('stream.capacity-unmeasured', { why, bitrateMbit: mbit(neededKbps), fix: unmeasuredFix(capacity) }, { reason: capacity.reason });
    return {
      items: [{ id: 'capacity', status, summary: `line not measured: ${why}`, findingCode: f.code, fix: f.fix, evidence: { reason: capacity.reason } }],
      bitrateKbps: neededKbps,
      neededKbps,
      why: `Moonlight gets ${mbit(neededKbps)} Mbit/s, the bitrate these settings need; the line was not measured (${why}).`,
      proposal: null,
    };
  }
  const fit = capacity.downKbps;
  // What needs the bitrate: 4:4:4 doubles Moonlight's default, so it is named ("1080p60 4:4:4 needs 40 Mbit/s").
  const label = `${modeLabel(mode.width, mode.height, mode.fps)}${mode.yuv444 ? ' 4:4:4' : ''}`;
  const measured = `the line carries a clean stream up to ${mbit(fit)} Mbit/s (loss ${capacity.lossPercent} %, jitter ${capacity.jitterMs} ms, delay growth ${capacity.delayGrowthMs} ms)`;
  const evidence = { downKbps: fit, neededKbps, limit: capacity.limit, lossPercent: capacity.lossPercent, delayGrowthMs: capacity.delayGrowthMs, server: `${capacity.server.host}:${capacity.server.port}` };
  const extra: GateCheckResult[] = [];
  if (capacity.limit === 'loss') {
    const worst = capacity.steps.reduce((a, s) => (s.lossPercent > a.lossPercent ? s : a), capacity.steps[0]!);
    const f = makeFinding('net.loss', { lossPercent: worst.lossPercent, rateMbit: mbit(worst.rateKbps) }, { steps: capacity.steps.length });
    extra.push({ id: 'net-loss', status: 'warn', summary: `${worst.lossPercent} % loss at ${mbit(worst.rateKbps)} Mbit/s, not caused by the rate`, findingCode: f.code, fix: f.fix });
  }
  const carries = fit >= neededKbps || (capacity.limit === 'none' && capacity.steps[0]?.passed === true);
  const bitrateKbps = carries ? neededKbps : bitrateForFit(fit);
  if (capacity.limit === 'bufferbloat') {
    const worst = Math.max(...capacity.steps.map((s) => s.delayGrowthMs));
    const f = makeFinding('net.bufferbloat', { delayGrowthMs: worst, bitrateMbit: mbit(bitrateKbps) }, { delayGrowthMs: worst });
    extra.push({ id: 'net-bufferbloat', status: 'warn', summary: `the delay grew ${worst} ms under load (bufferbloat)`, findingCode: f.code, fix: f.fix });
  }
  if (capacity.network?.fell) {
    const n = capacity.network;
    const f = makeFinding('stream.capacity-fell', { fell: n.fell }, { networkId: n.id, previousKbps: n.previousKbps, previousAt: n.previousAt, downKbps: fit });
    extra.push({ id: 'capacity-fell', status: 'warn', summary: n.fell!, findingCode: f.code, fix: f.fix });
  }
  if (carries) {
    return {
      items: [{ id: 'capacity', status: 'pass', summary: `${measured}; ${label} needs ${mbit(neededKbps)} Mbit/s`, evidence }, ...extra],
      bitrateKbps,
      neededKbps,
      why: `Moonlight gets ${mbit(neededKbps)} Mbit/s, what ${label} needs: ${measured}.`,
      proposal: null,
    };
  }
  const proposal = proposeSettings(fit, mode);
  if (fit < MIN_USABLE_KBPS) {
    const f = makeFinding('stream.capacity-too-low', { measuredMbit: mbit(fit), limit: capacity.limit, minMbit: mbit(MIN_USABLE_KBPS), proposal }, evidence);
    return {
      items: [{ id: 'capacity', status: 'fail', summary: `${measured}: below the ${mbit(MIN_USABLE_KBPS)} Mbit/s a usable stream needs (${label} needs ${mbit(neededKbps)})`, findingCode: f.code, fix: f.fix, evidence }, ...extra],
      bitrateKbps,
      neededKbps,
      why: `The line is too slow: ${measured}; a usable stream needs ${mbit(MIN_USABLE_KBPS)} Mbit/s.`,
      proposal,
    };
  }
  const f = makeFinding('stream.capacity-low', { measuredMbit: mbit(fit), settings: label, neededMbit: mbit(neededKbps), bitrateMbit: mbit(bitrateKbps), proposal }, evidence);
  return {
    items: [{ id: 'capacity', status: 'warn', summary: `${measured}; ${label} needs ${mbit(neededKbps)} Mbit/s: Moonlight gets ${mbit(bitrateKbps)} Mbit/s`, findingCode: f.code, fix: f.fix, evidence }, ...extra],
    bitrateKbps,
    neededKbps,
    why: `Moonlight gets ${mbit(bitrateKbps)} Mbit/s instead of the ${mbit(neededKbps)} Mbit/s ${label} needs: ${measured}. Suggested: ${proposal}.`,
    proposal,
  };
}
