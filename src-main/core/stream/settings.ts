/**
 * Stream settings: artist defaults and Moonlight's default-bitrate formula. Environment: any.
 * Bitrate: moonlight-qt `StreamingPreferences::getDefaultBitrate` — resolution factor linearly interpolated over
 * (640×360 → 1, 854×480 → 2, 1280×720 → 5, 1920×1080 → 10, 2560×1440 → 20, 3840×2160 → 40), × frame-rate factor
 * (fps ≤ 60 ? fps : √(fps/60)·60)/30, ×2 for 4:4:4, rounded, ×1000 Kbps (fact sheet §1: 1080p60 = 20000,
 * 4K60 = 80000, 1080p120 = 28000). Longhaul always passes `--bitrate`: a resolution or `--fps` without it makes
 * Moonlight recompute the bitrate (and read `yuv444` before `--yuv444` is parsed).
 */
import type { StreamSettings } from '../../contract/stream';
import { StreamSettingsSchema } from '../../contract/stream';

export const ARTIST_DEFAULTS: StreamSettings = {
  width: 1920,
  height: 1080,
  fps: 60,
  bitrateKbps: null,
  videoCodec: 'auto',
  yuv444: true, // sharp text and line art when the host can
  hdr: false,
  displayMode: 'borderless',
  absoluteMouse: true, // pen tablets and desktop apps
  audioConfig: 'stereo',
  videoDecoder: 'auto',
  gameOptimization: false, // do not let the host change its display mode
  quitAfter: false,
  vsync: true,
  framePacing: false,
  maxPacketSize: false,
};

const TABLE: readonly (readonly [number, number])[] = [
  [640 * 360, 1],
  [854 * 480, 2],
  [1280 * 720, 5],
  [1920 * 1080, 10],
  [2560 * 1440, 20],
  [3840 * 2160, 40],
];

export function moonlightDefaultBitrate(width: number, height: number, fps: number, yuv444: boolean): number {
  const frameRateFactor = (fps <= 60 ? fps : Math.sqrt(fps / 60) * 60) / 30;
  const pixels = width * height;
  let factor = TABLE[TABLE.length - 1]![1];
  for (let i = 0; i < TABLE.length; i++) {
    const [px, f] = TABLE[i]!;
    if (pixels === px) {
      factor = f;
      break;
    }
    if (pixels < px) {
      if (i === 0) factor = f;
      else {
        const [ppx, pf] = TABLE[i - 1]!;
        factor = pf + ((pixels - ppx) / (px - ppx)) * (f - pf);
      }
      break;
    }
  }
  if (yuv444) factor *= 2;
  return Math.round(factor * frameRateFactor) * 1000;
}

export class SettingsError extends Error {
  constructor(
    readonly source: string,
    message: string,
  ) {
    super(`${source}: ${message}`);
    this.name = 'SettingsError';
  }
}

/** Merge partial settings over the defaults and validate; errors name the field and the allowed range. */
export function resolveSettings(partial: Partial<StreamSettings> | undefined, source = 'stream settings'): StreamSettings {
  const parsed = StreamSettingsSchema.safeParse({ ...ARTIST_DEFAULTS, ...(partial ?? {}) });
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new SettingsError(source, why);
  }
  return parsed.data;
}
