/**
 * Linux DF ping (iputils): `ping -4 -n -M do -s N -c 1 -W S HOST` under LC_ALL=C (the runner sets it).
 * Parser tested on the real recordings test/fixtures/samples/linux-ping-*.txt (iputils 20221126).
 * Environment: plain Node.
 */
import type { PingResult } from './ping-types';

export function linuxPingArgs(host: string, payload: number, timeoutMs: number): string[] {
  const waitS = Math.max(1, Math.ceil(timeoutMs / 1000));
  return ['-4', '-n', '-M', 'do', '-s', String(payload), '-c', '1', '-W', String(waitS), host];
}

/** Classify iputils output. stdout and stderr both matter: the local "message too long" goes to stderr. */
export function parseLinuxPing(stdout: string, stderr: string): PingResult {
  const text = `${stdout}\n${stderr}`;
  // `[^:\n]` and `(?<!\d)` keep every pattern to one pass over a line (no scan across lines or digit runs).
  const reply = /^\d+ bytes from [^:\n]+: icmp_seq=\d+ .*time[=<]([\d.]+) ms/m.exec(text);
  if (reply) return { outcome: 'reply', rttMs: Number(reply[1]), mtu: null, detail: reply[0] };
  const local = /local error: message too long, mtu=(\d+)/i.exec(text);
  if (local) return { outcome: 'too-big', rttMs: null, mtu: Number(local[1]), detail: local[0] };
  const frag = /Frag needed and DF set \(mtu = (\d+)\)/i.exec(text);
  if (frag) return { outcome: 'too-big', rttMs: null, mtu: Number(frag[1]), detail: lineOf(text, frag.index) };
  const sendmsg = /sendmsg: Message too long/i.exec(text);
  if (sendmsg) return { outcome: 'too-big', rttMs: null, mtu: null, detail: sendmsg[0] };
  const unreach = /^From \S+ icmp_seq=\d+ (Destination \w+ Unreachable|Packet filtered|.*Unreachable.*)$/im.exec(text);
  if (unreach) return { outcome: 'unreachable', rttMs: null, mtu: null, detail: unreach[0].trim() };
  const loss = text.split('\n').find((l) => /(?<!\d)\d+ packets transmitted, 0 received/.test(l) && l.includes('100% packet loss'));
  if (loss) return { outcome: 'timeout', rttMs: null, mtu: null, detail: loss.trim() };
  const firstErr = stderr.trim().split('\n')[0] ?? '';
  return { outcome: 'error', rttMs: null, mtu: null, detail: firstErr || stdout.trim().split('\n').pop() || 'no output' };
}

function lineOf(text: string, index: number): string {
  const start = text.lastIndexOf('\n', index) + 1;
  const end = text.indexOf('\n', index);
  return text.slice(start, end === -1 ? undefined : end).trim();
}
