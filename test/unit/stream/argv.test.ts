import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StreamSettings } from '../../../src-main/contract/stream';
import { ArgvError, buildStreamArgv } from '../../../src-main/core/stream/argv';
import { decodeCodecMask } from '../../../src-main/core/stream/codecs';
import { checkStreamArgs } from '../../../src-main/core/stream/grammar';
import { ARTIST_DEFAULTS, moonlightDefaultBitrate, resolveSettings, SettingsError } from '../../../src-main/core/stream/settings';
import type { Version } from '../../../src-main/core/stream/version';
import { standinRun } from './standin';

const ALL = decodeCodecMask(8323841).codecs;
const H264_ONLY = decodeCodecMask(1).codecs;
const HEVC10 = decodeCodecMask(769).codecs;
const V610: Version = [6, 1, 0];
const V600: Version = [6, 0, 0];
const V520: Version = [5, 2, 0];

const build = (s: Partial<StreamSettings>, o: { version?: Version | null; codecs?: typeof ALL | null; packetSize?: number | null; app?: string } = {}) =>
  buildStreamArgv({
    host: '10.77.0.10',
    app: o.app ?? 'Desktop',
    settings: resolveSettings(s),
    version: o.version === undefined ? V610 : o.version,
    hostCodecs: o.codecs === undefined ? ALL : o.codecs,
    packetSize: o.packetSize ?? null,
  });

const valueOf = (args: string[], opt: string) => {
  const i = args.indexOf(opt);
  return i >= 0 ? args[i + 1] : undefined;
};

describe('Moonlight default bitrate (StreamingPreferences::getDefaultBitrate)', () => {
  it('matches the fact sheet values', () => {
    expect(moonlightDefaultBitrate(1920, 1080, 60, false)).toBe(20000);
    expect(moonlightDefaultBitrate(3840, 2160, 60, false)).toBe(80000);
    expect(moonlightDefaultBitrate(1920, 1080, 120, false)).toBe(28000);
    expect(moonlightDefaultBitrate(1920, 1080, 60, true)).toBe(40000);
    expect(moonlightDefaultBitrate(1280, 720, 60, false)).toBe(10000);
    expect(moonlightDefaultBitrate(1920, 1200, 60, false)).toBe(23000); // interpolated: (10 + 10·230400/1612800)·2 = 22.86 → 23
  });
});

describe('stream argv builder', () => {
  it('builds the artist defaults: stream HOST APP, bitrate always, explicit toggles', () => {
    const b = build({});
    expect(b.args.slice(0, 3)).toEqual(['stream', '10.77.0.10', 'Desktop']);
    expect(valueOf(b.args, '--resolution')).toBe('1920x1080');
    expect(valueOf(b.args, '--fps')).toBe('60');
    expect(valueOf(b.args, '--bitrate')).toBe('40000'); // 4:4:4 doubles Moonlight's default, computed here
    expect(b.args).toContain('--absolute-mouse');
    expect(b.args).toContain('--yuv444');
    expect(b.args).toContain('--no-hdr');
    expect(b.args).not.toContain('--packet-size');
    expect(checkStreamArgs(b.args, V610)).toEqual([]);
  });

  it('passes the chosen bitrate unchanged', () => {
    expect(valueOf(build({ bitrateKbps: 35000 }).args, '--bitrate')).toBe('35000');
  });

  it('turns 4:4:4 on only when the host advertises it for the codec', () => {
    expect(build({ yuv444: true, videoCodec: 'HEVC' }, { codecs: HEVC10 }).args).toContain('--no-yuv444');
    const b = build({ yuv444: true, videoCodec: 'H.264' }, { codecs: decodeCodecMask(0x1 | 0x40000).codecs });
    expect(b.args).toContain('--yuv444');
    expect(build({ yuv444: true }, { codecs: null }).args).toContain('--no-yuv444'); // not probed: nothing proves it
  });

  it('turns HDR on only with a Main10 mode', () => {
    expect(build({ hdr: true, yuv444: false, videoCodec: 'HEVC' }, { codecs: HEVC10 }).args).toContain('--hdr');
    const h264 = build({ hdr: true, yuv444: false, videoCodec: 'H.264' }, { codecs: ALL });
    expect(h264.args).toContain('--no-hdr');
    expect(h264.notes.join(' ')).toMatch(/Main10/);
    expect(build({ hdr: true, yuv444: false }, { codecs: decodeCodecMask(257).codecs }).args).toContain('--no-hdr');
  });

  it('leaves version-gated flags out for older Moonlight', () => {
    const v600 = build({ hdr: true, yuv444: true }, { version: V600 });
    expect(v600.args.some((a) => a.includes('yuv444'))).toBe(false);
    expect(v600.args).toContain('--hdr');
    const v520 = build({ hdr: true, yuv444: true, videoCodec: 'AV1' }, { version: V520 });
    expect(v520.args.some((a) => /hdr|yuv444/.test(a))).toBe(false);
    expect(valueOf(v520.args, '--video-codec')).toBe('AV1');
    const unknown = build({ hdr: true, videoCodec: 'AV1' }, { version: null });
    expect(valueOf(unknown.args, '--video-codec')).toBe('auto');
    expect(unknown.args.some((a) => /hdr|yuv444/.test(a))).toBe(false);
  });

  it('falls back to auto when the host lacks the codec', () => {
    const b = build({ videoCodec: 'AV1' }, { codecs: H264_ONLY });
    expect(valueOf(b.args, '--video-codec')).toBe('auto');
    expect(b.notes.join(' ')).toMatch(/AV1/);
  });

  it('passes --packet-size only when decided', () => {
    expect(valueOf(build({}, { packetSize: 1376 }).args, '--packet-size')).toBe('1376');
    expect(() => build({}, { packetSize: 1008 })).toThrow(/Packet size must be greater than 1024 bytes/);
  });

  it('refuses a host or app Moonlight would read as an option', () => {
    expect(() => buildStreamArgv({ host: '--4K', app: 'Desktop', settings: ARTIST_DEFAULTS, version: V610, hostCodecs: ALL, packetSize: null })).toThrow(ArgvError);
    expect(() => build({}, { app: '-x' })).toThrow(/starts with "-"/);
  });

  it('refuses out-of-range settings naming the field', () => {
    expect(() => resolveSettings({ fps: 5 })).toThrow(SettingsError);
    expect(() => resolveSettings({ bitrateKbps: 600000 })).toThrow(/bitrateKbps/);
  });

  it('every settings combination yields an argv the grammar accepts (property)', () => {
    const settings = fc.record({
      width: fc.integer({ min: 256, max: 7680 }),
      height: fc.integer({ min: 144, max: 4320 }),
      fps: fc.integer({ min: 10, max: 480 }),
      bitrateKbps: fc.option(fc.integer({ min: 500, max: 500000 }), { nil: null }),
      videoCodec: fc.constantFrom('auto', 'H.264', 'HEVC', 'AV1'),
      yuv444: fc.boolean(),
      hdr: fc.boolean(),
      displayMode: fc.constantFrom('fullscreen', 'windowed', 'borderless'),
      absoluteMouse: fc.boolean(),
      audioConfig: fc.constantFrom('stereo', '5.1-surround', '7.1-surround'),
      videoDecoder: fc.constantFrom('auto', 'software', 'hardware'),
      gameOptimization: fc.boolean(),
      quitAfter: fc.boolean(),
      vsync: fc.boolean(),
      framePacing: fc.boolean(),
      maxPacketSize: fc.boolean(),
    }) as fc.Arbitrary<StreamSettings>;
    const version = fc.constantFrom<Version | null>(V610, V600, V520, [4, 2, 0], null);
    const mask = fc.integer({ min: 0, max: 0x7fffff }).map((m) => decodeCodecMask(m | 1).codecs);
    const packet = fc.option(fc.integer({ min: 1024, max: 9000 }), { nil: null });
    fc.assert(
      fc.property(settings, version, mask, packet, (s, v, codecs, p) => {
        const b = buildStreamArgv({ host: 'ws01.farm.example', app: 'Blender 4.2', settings: s, version: v, hostCodecs: codecs, packetSize: p });
        expect(checkStreamArgs(b.args, v)).toEqual([]);
        expect(b.args).toContain('--bitrate');
        if (b.hdr) expect(b.args).toContain('--hdr');
      }),
      { numRuns: 500 },
    );
  });

  it('the moonlight-qt stand-in (an independent implementation of the grammar) accepts built argv', () => {
    const cases: [Partial<StreamSettings>, Version][] = [
      [{}, V610],
      [{ width: 3840, height: 2160, fps: 120, videoCodec: 'AV1', hdr: true, yuv444: false, displayMode: 'fullscreen' }, V610],
      [{ width: 2560, height: 1440, videoCodec: 'HEVC', hdr: true, absoluteMouse: false, audioConfig: '7.1-surround' }, V600],
      [{ videoCodec: 'H.264', yuv444: true, videoDecoder: 'software', vsync: false, framePacing: true }, V520],
    ];
    for (const [s, v] of cases) {
      const b = build(s, { version: v, packetSize: 1376 });
      const host = b.args.indexOf('10.77.0.10');
      const args = [...b.args];
      args[host] = '127.0.0.1:1'; // refused at once: the stand-in exits 0 after parsing
      const r = standinRun(args, { MOONLIGHT_STANDIN_VERSION: v.join('.') });
      expect({ code: r.code, stderr: r.stderr.split('\n')[0] }).toEqual({ code: 0, stderr: 'Failed to connect to 127.0.0.1:1' });
    }
  });
});
