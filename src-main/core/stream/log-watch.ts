/**
 * Recognise Moonlight's log lines while a stream runs. Environment: any.
 * Formats (fact sheet §2; moonlight-qt `app/main.cpp`): `HH:MM:SS - SDL <Prio> (<cat>): msg`, `HH:MM:SS - Qt <Type>: msg`;
 * the "Global video stats" block has no prefix. Verified on the recordings in test/fixtures/samples
 * (`Network dropped N frames`, `Found matching interface`, `Interface Type`, `Interface MTU`, the stats block).
 * UNVERIFIED against a recording (texts from the fact sheet, which cites moonlight-qt/moonlight-common-c sources):
 * `Connection terminated: <code>`, `No video received from host.`, `Starting <stage> failed: Error <n>`,
 * `Failed to connect to <host>`, `Host returned error: …`, `Using custom packet size: N bytes`,
 * `Packet size capped at 1024 bytes for remote IPv4 streaming`, `Your host PC doesn't support YUV 4:4:4 streaming`,
 * `Redirecting log output to <file>`.
 */
export type LogEvent =
  | { kind: 'dropped-frames'; frames: number; line: string }
  | { kind: 'failure'; reason: string; code?: number; line: string }
  | { kind: 'warning'; text: string; line: string }
  | { kind: 'info'; key: 'packet-size' | 'packet-size-capped' | 'interface' | 'interface-type' | 'interface-mtu' | 'network-drop-percent' | 'log-file'; value: string; line: string };

/** moonlight-common-c `Limelight.h` termination codes. */
export const TERMINATION_CODES: Record<number, string> = {
  [-100]: 'no video traffic reached this computer (UDP 47998 blocked, or packets too large for the tunnel)',
  [-101]: 'no video frame could be decoded from the traffic received',
  [-102]: 'the host ended the stream unexpectedly',
  [-103]: 'the host is showing protected content that cannot be streamed',
  [-104]: 'the host could not convert the video frames',
};

const PREFIX = /^\d{2}:\d{2}:\d{2} - (?:SDL \w+ \(\d+\)|Qt \w+): /;

export function stripPrefix(line: string): string {
  return line.replace(PREFIX, '');
}

export function recogniseLine(raw: string): LogEvent | null {
  const line = raw.replace(/\r$/, '');
  const msg = stripPrefix(line).trim();
  let m: RegExpExecArray | null;
  if ((m = /^Network dropped (\d+) frames?\b/.exec(msg))) return { kind: 'dropped-frames', frames: Number(m[1]), line };
  if ((m = /^Connection terminated: (-?\d+)/.exec(msg))) {
    const code = Number(m[1]);
    return { kind: 'failure', code, reason: `Connection terminated (${code}): ${TERMINATION_CODES[code] ?? 'see the Moonlight log'}`, line };
  }
  if (/^Connection terminated\b/.test(msg)) return { kind: 'failure', reason: 'Connection terminated', line };
  if (/^No video received from host/.test(msg)) return { kind: 'failure', reason: 'No video received from host: UDP video (47998) did not arrive — blocked, or packets too large for the tunnel', line };
  if ((m = /^Starting (.+?) failed: Error (-?\d+)/.exec(msg))) {
    return { kind: 'failure', code: Number(m[2]), reason: `Starting ${m[1]} failed (error ${m[2]}): a Sunshine port (TCP 48010 / UDP 47998–48000) is blocked or closed`, line };
  }
  if ((m = /^Failed to connect to (.+)$/.exec(msg))) return { kind: 'failure', reason: `Moonlight could not reach ${m[1]}`, line };
  if ((m = /^Host returned error: (.+)$/.exec(msg))) return { kind: 'failure', reason: `The host refused: ${m[1]}`, line };
  if (/^Your host PC doesn't support YUV 4:4:4 streaming/.test(msg)) return { kind: 'warning', text: 'The host cannot stream YUV 4:4:4; Moonlight fell back to 4:2:0', line };
  if ((m = /^Using custom packet size: (\d+) bytes/.exec(msg))) return { kind: 'info', key: 'packet-size', value: m[1]!, line };
  if (/^Packet size capped at 1024 bytes for remote IPv4 streaming/.test(msg)) return { kind: 'info', key: 'packet-size-capped', value: '1024', line };
  if ((m = /^Found matching interface: "([^"]*)"/.exec(msg))) return { kind: 'info', key: 'interface', value: m[1]!, line };
  if ((m = /^Interface Type: (\S+)/.exec(msg))) return { kind: 'info', key: 'interface-type', value: m[1]!, line };
  if ((m = /^Interface MTU: (\d+)/.exec(msg))) return { kind: 'info', key: 'interface-mtu', value: m[1]!, line };
  if ((m = /^Frames dropped by your network connection: ([\d.]+)%/.exec(msg))) return { kind: 'info', key: 'network-drop-percent', value: m[1]!, line };
  if ((m = /^Redirecting log output to (.+)$/.exec(msg))) return { kind: 'info', key: 'log-file', value: m[1]!.trim(), line };
  return null;
}

/** Longest line read: a Moonlight log line is under 300 characters; the rest of a longer one is dropped. */
export const LOG_LINE_MAX = 4096;
/** Failures and warnings kept (and reported as events) per session; further ones are counted out. */
export const SESSION_MAX_ITEMS = 50;

/** Accumulates what a session's lines said. Memory and work are bounded whatever the child prints. */
export class SessionWatch {
  droppedFrames = 0;
  failures: string[] = [];
  warnings: string[] = [];
  info: Record<string, string> = {};
  private partial = '';
  private droppedEvents = 0;

  /** Feed raw output (any chunking); returns the events recognised in complete lines. */
  feed(chunk: string): LogEvent[] {
    const events: LogEvent[] = [];
    let from = 0;
    for (;;) {
      const nl = chunk.indexOf('\n', from);
      const end = nl < 0 ? chunk.length : nl;
      const room = LOG_LINE_MAX - this.partial.length;
      if (room > 0 && end > from) this.partial += chunk.slice(from, Math.min(end, from + room));
      if (nl < 0) break;
      const e = this.line(this.partial);
      this.partial = '';
      if (e) events.push(e);
      from = nl + 1;
    }
    return events;
  }

  flush(): LogEvent[] {
    const rest = this.partial;
    this.partial = '';
    const e = rest ? this.line(rest) : null;
    return e ? [e] : [];
  }

  /** Record a line; the event comes back only while its kind is under SESSION_MAX_ITEMS (counts stay exact). */
  private line(l: string): LogEvent | null {
    const e = recogniseLine(l);
    if (!e) return null;
    if (e.kind === 'dropped-frames') {
      this.droppedFrames += e.frames;
      return this.droppedEvents++ < SESSION_MAX_ITEMS ? e : null;
    }
    if (e.kind === 'failure' || e.kind === 'warning') {
      const list = e.kind === 'failure' ? this.failures : this.warnings;
      if (list.length >= SESSION_MAX_ITEMS) return null;
      list.push(e.kind === 'failure' ? e.reason : e.text);
      return e;
    }
    this.info[e.key] = e.value;
    return e;
  }

  /** Advice for next time. */
  advice(bitrateKbps: number | null): string[] {
    const out: string[] = [];
    if (this.droppedFrames > 0) {
      const lower = bitrateKbps ? Math.max(500, Math.round((bitrateKbps * 0.7) / 1000) * 1000) : null;
      out.push(`The network dropped ${this.droppedFrames} frames: try a lower bitrate next time${lower ? ` (for example ${lower} Kbps)` : ''}.`);
    }
    return out;
  }
}
