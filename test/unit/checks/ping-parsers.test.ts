import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { linuxPingArgs, parseLinuxPing } from '../../../src-main/core/checks/probes/ping-linux';
import { macosPingArgs, parseMacosPing } from '../../../src-main/core/checks/probes/ping-macos';
import { parseWindowsPingJson, windowsPingCommand, WINDOWS_PING_SCRIPT } from '../../../src-main/core/checks/probes/ping-windows';

const dir = path.resolve(__dirname, '../../fixtures/samples');
const sample = (name: string) => readFileSync(path.join(dir, name), 'utf8');

describe('Linux iputils DF ping parser (real recordings)', () => {
  it('builds the DF command', () => {
    expect(linuxPingArgs('10.0.0.1', 1392, 900)).toEqual(['-4', '-n', '-M', 'do', '-s', '1392', '-c', '1', '-W', '1', '10.0.0.1']);
  });
  it('reads a reply and its RTT', () => {
    const r = parseLinuxPing(sample('linux-ping-df-success.txt'), '');
    expect(r).toMatchObject({ outcome: 'reply', rttMs: 0.068 });
    expect(parseLinuxPing(sample('linux-ping-df-success-wg.txt'), '')).toMatchObject({ outcome: 'reply', rttMs: 0.533 });
    expect(parseLinuxPing(sample('linux-ping-df-success-after-pmtu-1440.txt'), '').outcome).toBe('reply');
  });
  it('reads a remote frag-needed with its MTU', () => {
    expect(parseLinuxPing(sample('linux-ping-df-frag-needed-remote.txt'), '')).toMatchObject({ outcome: 'too-big', mtu: 1400 });
    expect(parseLinuxPing(sample('linux-ping-df-frag-needed-then-sendmsg-message-too-long.txt'), '')).toMatchObject({ outcome: 'too-big', mtu: 1440 });
  });
  it('reads the local "message too long" from stderr', () => {
    const r = parseLinuxPing(sample('linux-ping-df-local-message-too-long-wg-stdout.txt'), sample('linux-ping-df-local-message-too-long-wg-stderr.txt'));
    expect(r).toMatchObject({ outcome: 'too-big', mtu: 1420 });
    const p = parseLinuxPing(sample('linux-ping-df-local-message-too-long-pmtu-stdout.txt'), sample('linux-ping-df-local-message-too-long-pmtu-stderr.txt'));
    expect(p).toMatchObject({ outcome: 'too-big', mtu: 1400 });
  });
  it('tells a silent loss from an unreachable', () => {
    expect(parseLinuxPing(sample('linux-ping-df-timeout.txt'), '').outcome).toBe('timeout');
    expect(parseLinuxPing(sample('linux-ping-df-host-unreachable.txt'), '').outcome).toBe('unreachable');
    expect(parseLinuxPing(sample('linux-ping-destination-host-unreachable.txt'), '').outcome).toBe('unreachable');
  });
});

describe('macOS ping parser (real recordings)', () => {
  it('builds the DF command', () => {
    expect(macosPingArgs('10.0.0.1', 1392, 1500)).toEqual(['-D', '-n', '-s', '1392', '-c', '1', '-t', '2', '10.0.0.1']);
  });
  it('reads success, total loss and a permission error', () => {
    expect(parseMacosPing(sample('macos-ping-success.txt'), '')).toMatchObject({ outcome: 'reply', rttMs: 5.371 });
    expect(parseMacosPing(sample('macos-ping-total-loss.txt'), '').outcome).toBe('timeout');
    const e = parseMacosPing(sample('macos-ping-permission-denied.txt'), '');
    expect(e.outcome).toBe('error');
    expect(e.detail).toContain('permission denied');
  });
});

describe('Windows ping', () => {
  it('passes host and size through the environment, never in the script text', () => {
    const c = windowsPingCommand('10.0.0.1', 1372, 800);
    expect(c.args).toEqual(['-NoProfile', '-NonInteractive', '-Command', WINDOWS_PING_SCRIPT]);
    expect(WINDOWS_PING_SCRIPT).not.toContain('10.0.0.1');
    expect(c.env).toEqual({ LONGHAUL_PING_HOST: '10.0.0.1', LONGHAUL_PING_SIZE: '1372', LONGHAUL_PING_TIMEOUT: '800' });
  });
  it('maps culture-independent IPStatus names', () => {
    expect(parseWindowsPingJson('{"status":"Success","rtt":12}')).toMatchObject({ outcome: 'reply', rttMs: 12 });
    expect(parseWindowsPingJson('{"status":"PacketTooBig","rtt":0}').outcome).toBe('too-big');
    expect(parseWindowsPingJson('{"status":"TimedOut","rtt":0}').outcome).toBe('timeout');
    expect(parseWindowsPingJson('garbage').outcome).toBe('error');
  });
});
