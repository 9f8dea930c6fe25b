/**
 * macOS DF ping (`network_cmds` ping): `ping -D -n -s N -c 1 -t S HOST`.
 * Parser tested on the real recordings test/fixtures/samples/macos-ping-*.txt (success, total loss, permission denied).
 * UNVERIFIED (no recording stored): the DF-specific lines `ping: sendto: Message too long` and
 * `frag needed and DF set (MTU N)`; format from apple-oss-distributions/network_cmds ping.tproj/ping.c (pr_icmph,
 * ICMP_UNREACH_NEEDFRAG) as summarised in /work/shared/facts/diagnostics-and-deployment.md §4.
 * Environment: plain Node.
 */
import type { PingResult } from './ping-types';

export function macosPingArgs(host: string, payload: number, timeoutMs: number): string[] {
  const waitS = Math.max(1, Math.ceil(timeoutMs / 1000));
  return ['-D', '-n', '-s', String(payload), '-c', '1', '-t', String(waitS), host];
}

export function parseMacosPing(stdout: string, stderr: string): PingResult {
  const text = `${stdout}\n${stderr}`;
  // `[^:\n]` and `(?<!\d)` keep every pattern to one pass over a line (no scan across lines or digit runs).
  const reply = /^\d+ bytes from [^:\n]+: icmp_seq=\d+ .*time[=<]([\d.]+) ms/m.exec(text);
  if (reply) return { outcome: 'reply', rttMs: Number(reply[1]), mtu: null, detail: reply[0] };
  const sendto = /sendto: Message too long/i.exec(text);
  if (sendto) return { outcome: 'too-big', rttMs: null, mtu: null, detail: sendto[0] };
  const frag = /frag needed and DF set \(MTU (\d+)\)/i.exec(text);
  if (frag) return { outcome: 'too-big', rttMs: null, mtu: Number(frag[1]), detail: frag[0] };
  const unreach = /Destination (Host|Net|Port) Unreachable/i.exec(text);
  if (unreach) return { outcome: 'unreachable', rttMs: null, mtu: null, detail: unreach[0] };
  const loss = /(?<!\d)\d+ packets transmitted, 0 packets received/.exec(text);
  if (loss) return { outcome: 'timeout', rttMs: null, mtu: null, detail: loss[0] };
  const err = /^ping: .*$/m.exec(text);
  return { outcome: 'error', rttMs: null, mtu: null, detail: err ? err[0] : 'no output' };
}
