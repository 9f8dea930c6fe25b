import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseServerInfo, ServerInfoError } from '../../../src-main/core/stream/serverinfo';

const SAMPLES = path.resolve(__dirname, '../../fixtures/samples');

describe('/serverinfo parser', () => {
  it('reads the real (truncated) Sunshine recording', () => {
    const info = parseServerInfo(readFileSync(path.join(SAMPLES, 'any-sunshine-serverinfo-xml-truncated.txt'), 'utf8'));
    expect(info.truncated).toBe(true);
    expect(info.hostname).toBe('Gaming3080ti'); // the trailing space in the recording is trimmed
    expect(info.appversion).toBe('7.1.431.-1');
    expect(info.flavor).toBe('sunshine');
    expect(info.gfeVersion).toBe('3.23.0.74');
    expect(info.uniqueid).toBeNull(); // <uniqueid/>
    expect(info.httpsPort).toBe(47984);
    expect(info.externalPort).toBe(47989);
    expect(info.localIp).toBe('192.168.1.113');
    expect(info.maxLumaPixelsHEVC).toBe(1869449984);
    expect(info.codecMask).toBe(3843);
    expect(info.codecs).toEqual(['H.264', 'HEVC', 'HEVC Main10']);
    expect(info.state).toBeNull(); // cut off before <state>
    expect(info.busy).toBe(false);
  });

  it('tells a GameStream (GFE) host from Sunshine by appversion', () => {
    const xml = '<?xml version="1.0" encoding="utf-8"?><root status_code="200"><hostname>gfe</hostname><appversion>7.1.431.0</appversion><state>SUNSHINE_SERVER_FREE</state></root>';
    expect(parseServerInfo(xml).flavor).toBe('gamestream');
  });

  it('sees busy from state or currentgame', () => {
    const xml = (state: string, game: number) =>
      `<root status_code="200"><hostname>h</hostname><appversion>7.1.431.-1</appversion><currentgame>${game}</currentgame><state>${state}</state></root>`;
    expect(parseServerInfo(xml('SUNSHINE_SERVER_BUSY', 0)).busy).toBe(true);
    expect(parseServerInfo(xml('SUNSHINE_SERVER_FREE', 0)).busy).toBe(false);
    expect(parseServerInfo(xml('SUNSHINE_SERVER_FREE', 881448767)).busy).toBe(true);
  });

  it('rejects what is not a GameStream answer, saying why', () => {
    expect(() => parseServerInfo('<html><body>It works</body></html>')).toThrow(ServerInfoError);
    expect(() => parseServerInfo('{"hostname":"x"}')).toThrow(/not XML/);
    expect(() => parseServerInfo('<root status_code="401" status_message="The client is not authorized. Certificate verification failed."/>')).toThrow(/401/);
  });
});
