/**
 * The stream watch's light probe: one long-running ping through the tunnel (≈ 4 echoes/s, 84-byte IPv4 packets:
 * under 3 kbit/s) and a reader of its lines. Environment: plain Node (the reader is pure).
 *
 * Linux (iputils): `ping -n -D -O -i 0.25 -W 1 HOST` with LC_ALL=C. `-D` prefixes every line with the receive time
 * `[epoch.micro]`; `-O` prints `no answer yet for icmp_seq=N` just before the next echo is sent when echo N has no
 * reply yet (a late reply still prints its own line afterwards). Verified on the recordings
 * `linux-ping-D-O-i025-icmp-dropped-mid-run.txt` (recorded for this project, iputils 20221126) and
 * `linux-ping-D-O-destination-host-unreachable-pipe.txt` (thombashi/pingparsing): replies, `no answer yet`,
 * `From … Destination Host Unreachable`.
 * macOS: `ping -n -i 0.25 HOST` prints `64 bytes from …: icmp_seq=0 ttl=64 time=… ms` (recorded: macos-ping-success.txt)
 * and `Request timeout for icmp_seq N` for a lost echo (UNVERIFIED: no recording; text from Apple's ping.c
 * `(void)printf("Request timeout for icmp_seq %ld\n", …)`). No `-D`: the reader stamps lines with the arrival time.
 * Windows: no probe (ping.exe's text is localised and it has no sub-second interval); the watch says so.
 */
export type ProbeLine =
  | { kind: 'reply'; seq: number; rttMs: number; atMs: number }
  | { kind: 'no-answer'; seq: number; atMs: number }
  | { kind: 'unreachable'; seq: number; atMs: number };

export const PROBE_INTERVAL_MS = 250;

/** The probe command for this platform, or null where there is none. */
export function probeCommand(platform: NodeJS.Platform, host: string): { program: string; args: string[] } | null {
  if (platform === 'linux') return { program: 'ping', args: ['-n', '-D', '-O', '-i', String(PROBE_INTERVAL_MS / 1000), '-W', '1', host] };
  if (platform === 'darwin') return { program: 'ping', args: ['-n', '-i', String(PROBE_INTERVAL_MS / 1000), host] };
  return null;
}

const STAMP = /^\[(\d{9,11})(?:\.(\d{1,6}))?\]\s*/;
const REPLY = /^\d+ bytes from [^:]+: icmp_seq=(\d+) ttl=\d+ time=([\d.]+) ms/;
const NO_ANSWER = /^no answer yet for icmp_seq=(\d+)$/;
const MAC_TIMEOUT = /^Request timeout for icmp_seq (\d+)$/;
const UNREACHABLE = /^From \S+ icmp_seq=(\d+) Destination (?:Host|Net) Unreachable/;

/** Read one line; `nowMs` stamps lines that carry no `-D` time. Lines of any other shape are ignored (null). */
export function parseProbeLine(raw: string, nowMs: number): ProbeLine | null {
  let line = raw.replace(/\r$/, '').trim();
  if (line.length > 512) return null;
  let atMs = nowMs;
  const st = STAMP.exec(line);
  if (st) {
    atMs = Number(st[1]) * 1000 + Math.floor(Number((st[2] ?? '0').padEnd(6, '0')) / 1000);
    line = line.slice(st[0].length);
  }
  let m: RegExpExecArray | null;
  if ((m = REPLY.exec(line))) return { kind: 'reply', seq: Number(m[1]), rttMs: Number(m[2]), atMs };
  if ((m = NO_ANSWER.exec(line)) || (m = MAC_TIMEOUT.exec(line))) return { kind: 'no-answer', seq: Number(m[1]), atMs };
  if ((m = UNREACHABLE.exec(line))) return { kind: 'unreachable', seq: Number(m[1]), atMs };
  return null;
}
