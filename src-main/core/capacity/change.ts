/**
 * Per-network memory (docs/capacity.md): did the line on this network fall since it was last measured here?
 * `capacityChange(previous, current)`: both measured, and the current fit below FELL_RATIO × the previous one → the
 * sentence for the artist ("capacity on this network fell from 40 to 12 Mbit/s since yesterday"); otherwise null.
 * "since" is relative to the current measurement's time, in calendar days of the machine's time zone: "earlier
 * today", "yesterday", "3 days ago". Pure. Environment: any.
 */
import type { CapacityDoc } from '../../contract/stream';

/** Below 70 % of the last fit on the same network is a fall worth telling; smaller swings are the line's noise. */
export const FELL_RATIO = 0.7;

export interface CapacityFall {
  previousKbps: number;
  currentKbps: number;
  previousAt: string;
  /** "earlier today" / "yesterday" / "N days ago". */
  since: string;
  text: string;
}

/** Mbit/s for people, as the gate says it (one decimal below 10 Mbit/s). */
const mbit = (kbps: number) => (kbps >= 10_000 ? String(Math.floor(kbps / 1000)) : String(Math.floor(kbps / 100) / 10));

/** Calendar days (local time) from `then` to `now`, as words. */
export function relativeDay(then: Date, now: Date): string {
  const day = (d: Date) => Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) / 86_400_000;
  const days = Math.round(day(now) - day(then));
  if (days <= 0) return 'earlier today';
  if (days === 1) return 'yesterday';
  return `${days} days ago`;
}

export function capacityChange(previous: CapacityDoc | null, current: CapacityDoc): CapacityFall | null {
  if (!previous || previous.status !== 'measured' || current.status !== 'measured') return null;
  if (!(previous.downKbps > 0) || !(current.downKbps < FELL_RATIO * previous.downKbps)) return null;
  const then = new Date(previous.measuredAt);
  const now = new Date(current.measuredAt);
  if (Number.isNaN(then.getTime()) || Number.isNaN(now.getTime())) return null;
  const since = relativeDay(then, now);
  return {
    previousKbps: previous.downKbps,
    currentKbps: current.downKbps,
    previousAt: previous.measuredAt,
    since,
    text: `capacity on this network fell from ${mbit(previous.downKbps)} to ${mbit(current.downKbps)} Mbit/s since ${since}`,
  };
}
