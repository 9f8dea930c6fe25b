/**
 * Moonlight versions: parse, compare, and which flags a version supports. Environment: any.
 * Gates (fact sheet §1): `--hdr` from 6.0.0, `--yuv444` from 6.1.0, `AV1` as a `--video-codec` choice from 5.0.0,
 * `pair`/`list` actions from 4.2.0.
 */
export type Version = readonly [number, number, number];

/** `Moonlight 6.1.0` (the `--version` line), `6.1.0`, or a Windows FileVersion `6.1.0.0`. */
export function parseVersion(text: string): Version | null {
  const m = /(?:^|\s|v)(\d+)\.(\d+)(?:\.(\d+))?(?:\.\d+)?\b/.exec(text.trim());
  if (!m) return null;
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

export function compareVersion(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

export function formatVersion(v: Version): string {
  return v.join('.');
}

export const FEATURE_MIN = {
  hdr: [6, 0, 0],
  yuv444: [6, 1, 0],
  av1: [5, 0, 0],
  pairAndList: [4, 2, 0],
} as const satisfies Record<string, Version>;

export type Feature = keyof typeof FEATURE_MIN;

/** Unknown version → false: a flag the program may not know is an `Unknown options` error (exit 1). */
export function supports(version: Version | null, feature: Feature): boolean {
  return version !== null && compareVersion(version, FEATURE_MIN[feature]) >= 0;
}
