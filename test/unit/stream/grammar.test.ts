import { describe, expect, it } from 'vitest';
import { checkPin, checkStreamArgs } from '../../../src-main/core/stream/grammar';
import type { Version } from '../../../src-main/core/stream/version';
import { standinRun } from './standin';

const V610: Version = [6, 1, 0];
const base = ['stream', '127.0.0.1:1', 'Desktop'];

/** Argv Moonlight refuses, the first line of its message, and the version it runs as. */
const BAD: [string[], string, string][] = [
  [[...base, '--4k'], 'Unknown options: 4k', '6.1.0'],
  [[...base, '--fps', 'sixty'], 'Invalid fps value: sixty', '6.1.0'],
  [[...base, '--bitrate=20k'], 'Invalid bitrate value: 20k', '6.1.0'],
  [[...base, '--packet-size', '1000'], 'Packet size must be greater than 1024 bytes', '6.1.0'],
  [[...base, '--video-codec', 'VP9'], 'Invalid video-codec choice: VP9', '6.1.0'],
  [[...base, '--display-mode', 'maximised'], 'Invalid display-mode choice: maximised', '6.1.0'],
  [[...base, '--resolution', '1920*1080'], 'Invalid resolution format: 1920*1080', '6.1.0'],
  [[...base, '--yuv444'], 'Unknown options: yuv444', '6.0.0'],
  [[...base, '--hdr'], 'Unknown options: hdr', '5.1.0'],
  [['stream', '127.0.0.1:1'], 'App not provided', '6.1.0'],
  [['stream'], 'Host not provided', '6.1.0'],
];

describe('moonlight-qt grammar, checked before spawning', () => {
  it('accepts what moonlight-qt accepts (single dash, =, case-insensitive choices)', () => {
    expect(checkStreamArgs([...base, '-fps', '60', '--bitrate=20000', '--video-codec', 'hevc', '--resolution', '1920X1080', '--yuv444', '--no-hdr'], V610)).toEqual([]);
  });

  it.each(BAD)('%j → %s (same as the stand-in)', (args, message, version) => {
    const v = version.split('.').map(Number) as unknown as Version;
    expect(checkStreamArgs(args, v)).toContain(message);
    const r = standinRun(args, { MOONLIGHT_STANDIN_VERSION: version });
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe(message);
  });

  it('checks a PIN like Longhaul generates it', () => {
    expect(checkPin('0427')).toBeNull();
    expect(checkPin('123')).toBe('PIN must be 4 digits');
    expect(checkPin('12a4')).toBe('PIN must be 4 digits');
    expect(standinRun(['pair', '127.0.0.1:1', '--pin', '123']).stderr.split('\n')[0]).toBe('PIN must be 4 digits');
  });

  it('the stand-in reports its version like Moonlight (stdout, exit 0)', () => {
    expect(standinRun(['--version'])).toMatchObject({ code: 0, stdout: 'Moonlight 6.1.0\n' });
    expect(standinRun(['-v'], { MOONLIGHT_STANDIN_VERSION: '5.0.1' })).toMatchObject({ code: 0, stdout: 'Moonlight 5.0.1\n' });
  });
});
