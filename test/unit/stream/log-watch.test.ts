import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { recogniseLine, SessionWatch } from '../../../src-main/core/stream/log-watch';

const sample = (f: string) => readFileSync(path.resolve(__dirname, '../../fixtures/samples', f), 'utf8');

describe('Moonlight log lines (recordings)', () => {
  it('counts "Network dropped N frames" and advises a lower bitrate', () => {
    const w = new SessionWatch();
    // feed in awkward chunks: lines split across chunks must still be recognised once
    const text = sample('any-moonlight-qt-log-network-dropped-frames-excerpt.txt');
    for (let i = 0; i < text.length; i += 37) w.feed(text.slice(i, i + 37));
    w.flush();
    expect(w.droppedFrames).toBe(15 + 11);
    expect(w.failures).toEqual([]);
    expect(w.advice(40000)[0]).toMatch(/dropped 26 frames.*lower bitrate.*28000 Kbps/);
  });

  it('reads the interface Moonlight matched and its MTU', () => {
    const w = new SessionWatch();
    w.feed(sample('any-moonlight-qt-log-launch-interface-mtu-excerpt.txt'));
    w.flush();
    expect(w.info).toMatchObject({ interface: 'en0', 'interface-type': 'QNetworkInterface::Wifi', 'interface-mtu': '1500' });
    expect(w.failures).toEqual([]);
  });

  it('reads the network drop percentage from the Windows stats block (no prefix, CRLF-safe)', () => {
    const w = new SessionWatch();
    w.feed(sample('windows-moonlight-qt-log-global-video-stats-excerpt.txt').replace(/\n/g, '\r\n'));
    w.flush();
    expect(w.info['network-drop-percent']).toBe('1.17');
  });

  it('recognises the failure lines the fact sheet lists (UNVERIFIED against a recording)', () => {
    expect(recogniseLine('00:01:02 - SDL Error (0): Connection terminated: -100')).toMatchObject({ kind: 'failure', code: -100 });
    expect(recogniseLine('No video received from host.')).toMatchObject({ kind: 'failure' });
    expect(recogniseLine('00:01:02 - Qt Warning: Starting RTSP handshake failed: Error 10060')).toMatchObject({ kind: 'failure', code: 10060 });
    expect(recogniseLine('00:01:02 - SDL Info (0): Using custom packet size: 1376 bytes')).toMatchObject({ kind: 'info', key: 'packet-size', value: '1376' });
    expect(recogniseLine('00:12:55 - SDL Info (0): Found host supported resolution: 3840x2160')).toBeNull();
  });
});
