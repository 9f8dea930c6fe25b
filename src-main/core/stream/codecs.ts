/**
 * Sunshine's `ServerCodecModeSupport` bitmask (`src/nvhttp.cpp`, SCM_* in moonlight-common-c `Limelight.h`), decoded.
 * Environment: any. Source: /work/shared/facts/moonlight-sunshine.md §6.
 */
export const CODEC_BITS = [
  { bit: 0x000001, id: 'H.264' },
  { bit: 0x000100, id: 'HEVC' },
  { bit: 0x000200, id: 'HEVC Main10' },
  { bit: 0x010000, id: 'AV1 Main8' },
  { bit: 0x020000, id: 'AV1 Main10' },
  { bit: 0x040000, id: 'H.264 4:4:4' },
  { bit: 0x080000, id: 'HEVC 4:4:4' },
  { bit: 0x100000, id: 'HEVC 4:4:4 Main10' },
  { bit: 0x200000, id: 'AV1 4:4:4' },
  { bit: 0x400000, id: 'AV1 4:4:4 Main10' },
] as const;

export type CodecId = (typeof CODEC_BITS)[number]['id'];

const KNOWN_MASK = CODEC_BITS.reduce((m, c) => m | c.bit, 0);

export interface DecodedCodecs {
  mask: number;
  codecs: CodecId[];
  /** Bits no SCM_ constant defines (GFE-style 3843 carries some); reported, never guessed at. */
  unknownBits: number;
}

export function decodeCodecMask(mask: number): DecodedCodecs {
  if (!Number.isInteger(mask) || mask < 0) throw new RangeError(`codec mask must be a non-negative integer, got ${mask}`);
  return {
    mask,
    codecs: CODEC_BITS.filter((c) => (mask & c.bit) !== 0).map((c) => c.id),
    unknownBits: mask & ~KNOWN_MASK,
  };
}

/** The codec choice Moonlight's `--video-codec` takes (`auto` lets Moonlight pick). */
export type VideoCodec = 'auto' | 'H.264' | 'HEVC' | 'AV1';

const FAMILY: Record<Exclude<VideoCodec, 'auto'>, { base: CodecId; main10: CodecId | null; yuv444: CodecId; yuv444Main10: CodecId | null }> = {
  'H.264': { base: 'H.264', main10: null, yuv444: 'H.264 4:4:4', yuv444Main10: null },
  HEVC: { base: 'HEVC', main10: 'HEVC Main10', yuv444: 'HEVC 4:4:4', yuv444Main10: 'HEVC 4:4:4 Main10' },
  AV1: { base: 'AV1 Main8', main10: 'AV1 Main10', yuv444: 'AV1 4:4:4', yuv444Main10: 'AV1 4:4:4 Main10' },
};

function familiesFor(codec: VideoCodec, have: ReadonlySet<CodecId>) {
  const names = codec === 'auto' ? (Object.keys(FAMILY) as (keyof typeof FAMILY)[]) : [codec];
  return names.map((n) => FAMILY[n]).filter((f) => have.has(f.base));
}

/** Does the host advertise the codec at all (`auto` always works: H.264 is always there)? */
export function hostSupportsCodec(codecs: readonly CodecId[], codec: VideoCodec): boolean {
  return codec === 'auto' || new Set(codecs).has(FAMILY[codec].base);
}

/** A 4:4:4 mode the host advertises for this codec (for `auto`: for any codec it also advertises). */
export function hostSupportsYuv444(codecs: readonly CodecId[], codec: VideoCodec): boolean {
  const have = new Set(codecs);
  return familiesFor(codec, have).some((f) => have.has(f.yuv444) || (f.yuv444Main10 !== null && have.has(f.yuv444Main10)));
}

/** HDR needs a Main10 mode for the codec (and a 4:4:4 Main10 mode when 4:4:4 is on). */
export function hostSupportsHdr(codecs: readonly CodecId[], codec: VideoCodec, yuv444: boolean): boolean {
  const have = new Set(codecs);
  return familiesFor(codec, have).some((f) => {
    const need = yuv444 ? f.yuv444Main10 : f.main10;
    return need !== null && have.has(need);
  });
}
