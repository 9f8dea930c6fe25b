/**
 * iperf3's wire format as Longhaul builds and reads it, checked against the recordings of the real iperf3 3.12
 * (test/fixtures/iperf3/, SOURCES.md there).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { clientResultsJson, paramsJson, parseServerResults } from '../../../src-main/core/capacity/params';
import { COOKIE_SIZE, isUdpConnectReply, makeCookie, STATE, UDP_CONNECT_MSG } from '../../../src-main/core/capacity/protocol';
import { UdpAccounting } from '../../../src-main/core/capacity/udp-accounting';

interface Line {
  dir: 'C>S' | 'S>C';
  chan: 'tcp' | 'udp';
  len: number;
  bytes: Buffer | null;
  text: string | null;
}

function recording(name: string): Line[] {
  const file = path.join(__dirname, '../../fixtures/iperf3', name);
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => {
      const [dir, chan, len, ...rest] = l.split(' ');
      const body = rest.join(' ');
      const hex = /^[0-9a-f]+$/.test(body) ? Buffer.from(body, 'hex') : null;
      return { dir: dir as Line['dir'], chan: chan as Line['chan'], len: Number(len), bytes: hex, text: hex ? null : body };
    });
}

const session = recording('linux-iperf3-3.12-client-reverse-udp-control.txt');
const tcpStates = (dir: Line['dir']) => session.filter((l) => l.chan === 'tcp' && l.dir === dir && l.len === 1).map((l) => l.bytes!.readInt8(0));

describe('the recorded 3.12 session', () => {
  it('runs the state order the client implements', () => {
    expect(tcpStates('S>C')).toEqual([STATE.PARAM_EXCHANGE, STATE.CREATE_STREAMS, STATE.TEST_START, STATE.TEST_RUNNING, STATE.EXCHANGE_RESULTS, STATE.DISPLAY_RESULTS]);
    expect(tcpStates('C>S')).toEqual([STATE.TEST_END, STATE.IPERF_DONE]);
    const busy = recording('linux-iperf3-3.12-client-busy-access-denied.txt');
    expect(busy[1]!.bytes!.readInt8(0)).toBe(STATE.ACCESS_DENIED);
  });

  it('opens with a cookie shaped like ours: 36 characters of make_cookie\'s alphabet and a NUL', () => {
    const theirs = session[0]!.bytes!;
    const ours = makeCookie(new Uint8Array(36).map((_, i) => i * 7));
    for (const c of [theirs, ours]) {
      expect(c.length).toBe(COOKIE_SIZE);
      expect(c.subarray(0, 36).toString('latin1')).toMatch(/^[a-z2-7]{36}$/);
      expect(c[36]).toBe(0);
    }
  });

  it('frames JSON as a 4-byte big-endian length of the text that follows', () => {
    for (let i = 0; i < session.length - 1; i++) {
      const l = session[i]!;
      if (l.chan === 'tcp' && l.len === 4 && l.bytes && session[i + 1]!.text) expect(l.bytes.readUInt32BE(0)).toBe(session[i + 1]!.len);
    }
  });

  it('sends the parameters the real client sends, with the same types', () => {
    const real = JSON.parse(session.find((l) => l.text?.includes('"reverse"'))!.text!) as Record<string, unknown>;
    const ours = paramsJson({ rateBps: 2_000_000, payloadBytes: 1040, fps: 125, timeSec: 1 });
    for (const [k, v] of Object.entries(ours)) {
      expect(real, k).toHaveProperty(k);
      expect(typeof v, k).toBe(typeof real[k]);
    }
    // -b 2M/4 gave burst 4; 2 Mbit/s at 1040-byte datagrams and 60 fps is 4 per frame as well.
    expect(real.burst).toBe(4);
    expect(paramsJson({ rateBps: 2_000_000, payloadBytes: 1040, fps: 60, timeSec: 1 }).burst).toBe(4);
  });

  it('answers the results exchange with the fields the real client sends', () => {
    const real = JSON.parse(session.filter((l) => l.text?.includes('cpu_util_total'))[0]!.text!) as { streams: Record<string, unknown>[] };
    const ours = clientResultsJson({ bytes: 1, jitterSec: 0.001, errors: 0, packets: 1, seconds: 0.5 }) as { streams: Record<string, unknown>[] };
    expect(Object.keys(ours).sort()).toEqual(Object.keys(real).sort());
    expect(Object.keys(ours.streams[0]!).sort()).toEqual(Object.keys(real.streams[0]!).sort());
  });

  it('reads the real server results', () => {
    const serverJson = JSON.parse(session.filter((l) => l.text?.includes('cpu_util_total'))[1]!.text!) as Record<string, unknown>;
    const r = parseServerResults(serverJson, 'gw:5201', 10_000);
    expect(r.packets).toBe(244);
    expect(r.bytes).toBe(253_760);
    expect(r.seconds).toBeCloseTo(1.000637, 6);
    expect(() => parseServerResults(serverJson, 'gw:5201', 100)).toThrow(/not a count this step could send/);
  });

  it('sends the UDP connect bytes the real client sends and accepts its reply', () => {
    const udp = session.filter((l) => l.chan === 'udp' && l.len === 4);
    expect(udp[0]!.bytes!.equals(UDP_CONNECT_MSG)).toBe(true);
    expect(isUdpConnectReply(udp[1]!.bytes!)).toBe(true);
    expect(isUdpConnectReply(Buffer.from([0x39, 0x38, 0x37, 0x36]))).toBe(true); // the other byte order
    expect(isUdpConnectReply(Buffer.from('abcd'))).toBe(false);
  });

  it('reads the recorded data headers: consecutive counts from 1, sender microseconds increasing', () => {
    const heads = session.filter((l) => l.chan === 'udp' && l.len === 1040).map((l) => l.text!.split(' ')[0]!);
    const acc = new UdpAccounting(1000, 60, 100);
    heads.forEach((h, i) => {
      const b = Buffer.alloc(1040);
      Buffer.from(h, 'hex').copy(b);
      expect(acc.onPacket(b, 100 + i * 0.001)).toBe(true);
    });
    const s = acc.stats();
    expect(s.received).toBe(3);
    expect(s.highestCount).toBe(3);
    expect(s.iperfErrors).toBe(0);
  });
});
