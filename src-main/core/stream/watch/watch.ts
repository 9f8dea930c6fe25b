/**
 * The watch that runs beside a stream: the light probe through the tunnel (ping-stream.ts), the handshake sampled
 * every few seconds, and — when Moonlight reports dropped frames — the cause named at that moment (classify.ts),
 * added to the session's timeline and handed to `onEntry` (the shell turns it into a notification). Environment:
 * plain Node. Collaborators are small delegates: a process starter, a handshake reader, a clock.
 */
import type { ChildProcess } from 'node:child_process';
import type { z } from 'zod';
import type { TimelineEntrySchema } from '../../../contract/stream';
import type { Logger } from '../../log/logger';
import type { ProcessRunner } from '../../platform/runner';
import { explainDrop, WINDOW_AFTER_MS, type HandshakeSample } from './classify';
import { parseProbeLine, probeCommand, type ProbeLine } from './ping-stream';

export type TimelineEntry = z.infer<typeof TimelineEntrySchema>;

export interface StreamWatchDeps {
  runner: Pick<ProcessRunner, 'start'>;
  platform: NodeJS.Platform;
  /** The address echoes go to through the tunnel (the gateway / the tunnel's DNS server); null: no probe. */
  gateway: string | null;
  /** The tunnel's handshake age and endpoint (null when it cannot be read). */
  handshake?: () => Promise<Omit<HandshakeSample, 'atMs'> | null>;
  logger: Logger;
  onEntry?: (e: TimelineEntry) => void;
  clock?: () => number;
  handshakeEveryMs?: number;
  /** Probe lines kept (≈ 4 per second). */
  keepLines?: number;
}

export class StreamWatch {
  private readonly lines: ProbeLine[] = [];
  private readonly entries: TimelineEntry[] = [];
  private probe: ChildProcess | null = null;
  private timer: NodeJS.Timeout | null = null;
  private handshakeNow: HandshakeSample | null = null;
  private handshakePrev: HandshakeSample | null = null;
  private stopped = false;
  private readonly pending = new Map<NodeJS.Timeout, () => void>();
  private readonly now: () => number;
  readonly probeAvailable: boolean;

  constructor(private readonly d: StreamWatchDeps) {
    this.now = d.clock ?? Date.now;
    this.probeAvailable = d.gateway !== null && probeCommand(d.platform, d.gateway) !== null;
  }

  start(): void {
    const cmd = this.d.gateway ? probeCommand(this.d.platform, this.d.gateway) : null;
    if (cmd) {
      try {
        const child = this.d.runner.start(cmd.program, cmd.args, { stdio: ['ignore', 'pipe', 'ignore'] });
        this.probe = child;
        let buf = '';
        child.stdout?.on('data', (chunk: Buffer) => {
          buf += chunk.toString('utf8');
          const parts = buf.split('\n');
          buf = parts.pop()!.slice(-1024);
          for (const p of parts) this.addLine(p);
        });
        child.once('error', (err) => this.d.logger.warn('stream watch: probe failed', { error: err.message }));
      } catch (err) {
        this.d.logger.warn('stream watch: probe not started', { error: (err as Error).message });
      }
    }
    if (this.d.handshake) {
      void this.sampleHandshake();
      this.timer = setInterval(() => void this.sampleHandshake(), this.d.handshakeEveryMs ?? 5_000);
      this.timer.unref?.();
    }
  }

  /** Feed one probe line (the probe's stdout; tests feed recordings). */
  addLine(raw: string): void {
    const l = parseProbeLine(raw, this.now());
    if (!l) return;
    this.lines.push(l);
    const keep = this.d.keepLines ?? 600;
    if (this.lines.length > keep) this.lines.splice(0, this.lines.length - keep);
  }

  private async sampleHandshake(): Promise<void> {
    if (this.stopped || !this.d.handshake) return;
    try {
      const s = await this.d.handshake();
      if (!s || this.stopped) return;
      const sample = { ...s, atMs: this.now() };
      const prev = this.handshakeNow;
      this.handshakePrev = prev;
      this.handshakeNow = sample;
      if (prev?.endpoint && sample.endpoint && prev.endpoint !== sample.endpoint) {
        this.add({ at: new Date(sample.atMs).toISOString(), kind: 'endpoint-changed', frames: null, cause: 'endpoint-roamed', text: `The tunnel's endpoint changed (${prev.endpoint} → ${sample.endpoint}): this computer switched network.`, evidence: { endpoint: sample.endpoint, previousEndpoint: prev.endpoint } });
      }
    } catch (err) {
      this.d.logger.warn('stream watch: handshake not read', { error: (err as Error).message });
    }
  }

  /**
   * Moonlight said it dropped `frames` frames. The explanation waits WINDOW_AFTER_MS for the probe lines of that
   * moment to arrive, then is added to the timeline; the promise resolves with it.
   */
  droppedFrames(frames: number, atMs = this.now()): Promise<TimelineEntry> {
    return new Promise((resolve) => {
      const run = () => {
        clearTimeout(t);
        this.pending.delete(t);
        resolve(this.explainNow(frames, atMs));
      };
      const t = setTimeout(run, this.stopped ? 0 : WINDOW_AFTER_MS);
      this.pending.set(t, run);
    });
  }

  /** The explanation from what is known now (used directly by tests with recorded lines). */
  explainNow(frames: number, atMs: number): TimelineEntry {
    // The handshake sample taken just before a roam is the one to compare with.
    const x = explainDrop(frames, atMs, this.probeAvailable || this.lines.length ? this.lines : null, { now: this.handshakeNow, previous: this.handshakePrev });
    const entry: TimelineEntry = { at: new Date(atMs).toISOString(), kind: 'dropped-frames', frames, cause: x.cause, text: x.text, evidence: { ...x.evidence } };
    this.add(entry);
    return entry;
  }

  /** A line Moonlight printed that ends or endangers the stream (kept in the timeline as it came). */
  note(kind: 'failure' | 'warning', text: string, atMs = this.now()): void {
    this.add({ at: new Date(atMs).toISOString(), kind, frames: null, cause: null, text: text.slice(0, 500), evidence: {} });
  }

  private add(e: TimelineEntry): void {
    if (this.entries.length >= 200) return;
    this.entries.push(e);
    this.d.logger.info('stream watch: timeline', { kind: e.kind, cause: e.cause, frames: e.frames });
    this.d.onEntry?.(e);
  }

  timeline(): TimelineEntry[] {
    return [...this.entries];
  }

  /** Stop the probe; explanations still pending are made at once from what is known. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.probe?.kill('SIGTERM');
    this.probe = null;
    for (const run of [...this.pending.values()]) run();
  }
}
