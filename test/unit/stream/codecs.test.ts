import { describe, expect, it } from 'vitest';
import { decodeCodecMask, hostSupportsHdr, hostSupportsYuv444 } from '../../../src-main/core/stream/codecs';

describe('Sunshine codec mask', () => {
  it('decodes the fact sheet examples', () => {
    expect(decodeCodecMask(1).codecs).toEqual(['H.264']);
    expect(decodeCodecMask(257).codecs).toEqual(['H.264', 'HEVC']);
    expect(decodeCodecMask(769).codecs).toEqual(['H.264', 'HEVC', 'HEVC Main10']);
    expect(decodeCodecMask(197377).codecs).toEqual(['H.264', 'HEVC', 'HEVC Main10', 'AV1 Main8', 'AV1 Main10']);
    const all = decodeCodecMask(8323841);
    expect(all.codecs).toEqual([
      'H.264', 'HEVC', 'HEVC Main10', 'AV1 Main8', 'AV1 Main10',
      'H.264 4:4:4', 'HEVC 4:4:4', 'HEVC 4:4:4 Main10', 'AV1 4:4:4', 'AV1 4:4:4 Main10',
    ]);
    expect(all.unknownBits).toBe(0);
  });

  it('reports the undefined bits of a GFE-style mask instead of guessing', () => {
    const d = decodeCodecMask(3843); // the recording's value
    expect(d.codecs).toEqual(['H.264', 'HEVC', 'HEVC Main10']);
    expect(d.unknownBits).toBe(0x2 | 0x400 | 0x800);
  });

  it('refuses a negative or fractional mask', () => {
    expect(() => decodeCodecMask(-1)).toThrow(RangeError);
    expect(() => decodeCodecMask(1.5)).toThrow(RangeError);
  });

  it('answers 4:4:4 and HDR per codec', () => {
    const hevc444 = decodeCodecMask(0x1 | 0x100 | 0x200 | 0x80000).codecs;
    expect(hostSupportsYuv444(hevc444, 'HEVC')).toBe(true);
    expect(hostSupportsYuv444(hevc444, 'H.264')).toBe(false);
    expect(hostSupportsYuv444(hevc444, 'auto')).toBe(true);
    expect(hostSupportsHdr(hevc444, 'HEVC', false)).toBe(true);
    expect(hostSupportsHdr(hevc444, 'HEVC', true)).toBe(false); // no 4:4:4 Main10
    expect(hostSupportsHdr(hevc444, 'H.264', false)).toBe(false);
    expect(hostSupportsHdr(decodeCodecMask(257).codecs, 'auto', false)).toBe(false);
    expect(hostSupportsYuv444(decodeCodecMask(8323841).codecs, 'AV1')).toBe(true);
  });
});
