/**
 * Launch Moonlight and watch the session. Environment: plain Node. Spawned through the runner (no shell, resolved
 * path); stdout and stderr are read line by line (Linux Moonlight logs to stderr; on Windows a redirected stderr keeps
 * the log there instead of %TEMP%). Moonlight's exit code is NOT a success signal for `stream` (it exits 0 after
 * failure dialogs); the outcome comes from the recognised lines.
 */
import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import type { Logger } from '../log/logger';
import type { ProcessRunner } from '../platform/runner';
import type { SessionHistory, SessionRecord } from './history';
import type { MoonlightInstall } from './locate';
import { SessionWatch, type LogEvent } from './log-watch';
import type { StreamWatch } from './watch/watch';

export interface LaunchInputs {
  runner: ProcessRunner;
  install: Pick<MoonlightInstall, 'executable' | 'prefixArgs' | 'cwd'>;
  /** Moonlight's own arguments (from buildStreamArgv). */
  args: string[];
  host: string;
  app: string;
  bitrateKbps: number | null;
  gateOverridden: boolean;
  history: SessionHistory;
  logger: Logger;
  onEvent?: (sessionId: string, type: 'started' | 'warning' | 'failure' | 'ended', text: string, record?: SessionRecord) => void;
  env?: Record<string, string | undefined>;
  signal?: AbortSignal;
  /** The tunnel watch: names the cause of dropped frames as they happen; started with Moonlight, stopped at its exit. */
  watch?: StreamWatch;
}

export interface LaunchedSession {
  sessionId: string;
  child: ChildProcess;
  done: Promise<SessionRecord>;
}

export function launchMoonlight(inp: LaunchInputs): LaunchedSession {
  const sessionId = randomUUID();
  const record: SessionRecord = {
    sessionId,
    host: inp.host,
    app: inp.app,
    startedAt: new Date().toISOString(),
    endedAt: null,
    outcome: 'running',
    failure: null,
    droppedFrames: 0,
    advice: [],
    argv: [...inp.install.prefixArgs, ...inp.args],
    gateOverridden: inp.gateOverridden,
  };
  const child = inp.runner.start(inp.install.executable, [...inp.install.prefixArgs, ...inp.args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: inp.env,
    cwd: inp.install.cwd,
    signal: inp.signal,
  });
  inp.history.append(record);
  inp.watch?.start();
  inp.logger.info('stream: moonlight started', { sessionId, host: inp.host, app: inp.app, pid: child.pid, gateOverridden: inp.gateOverridden });
  inp.onEvent?.(sessionId, 'started', `Moonlight started for ${inp.app} on ${inp.host}`, record);

  const onEvents = (events: LogEvent[]) => {
    for (const e of events) {
      if (e.kind === 'failure') {
        inp.logger.warn('stream: failure line', { sessionId, reason: e.reason });
        inp.watch?.note('failure', e.reason);
        inp.onEvent?.(sessionId, 'failure', e.reason);
      } else if (e.kind === 'dropped-frames' && inp.watch) {
        // The cause is named once the probe's lines of that moment are in (a fraction of a second).
        void inp.watch.droppedFrames(e.frames).then((entry) => inp.onEvent?.(sessionId, 'warning', entry.text));
      } else if (e.kind === 'warning' || e.kind === 'dropped-frames') {
        inp.onEvent?.(sessionId, 'warning', e.kind === 'warning' ? e.text : `Network dropped ${e.frames} frames`);
      }
    }
  };
  // stdout and stderr each get their own line buffer (chunks of the two would split each other's lines).
  const errWatch = new SessionWatch();
  const outWatch = new SessionWatch();
  child.stderr?.on('data', (d: Buffer) => onEvents(errWatch.feed(d.toString('utf8'))));
  child.stdout?.on('data', (d: Buffer) => onEvents(outWatch.feed(d.toString('utf8'))));

  const done = new Promise<SessionRecord>((resolve) => {
    let settled = false;
    const finish = (code: number | null, signal: NodeJS.Signals | null, spawnError?: string) => {
      if (settled) return;
      settled = true;
      onEvents([...errWatch.flush(), ...outWatch.flush()]);
      inp.watch?.stop();
      const failures = [...errWatch.failures, ...outWatch.failures];
      const total = new SessionWatch();
      total.droppedFrames = errWatch.droppedFrames + outWatch.droppedFrames;
      const final: SessionRecord = {
        ...record,
        endedAt: new Date().toISOString(),
        // Moonlight's exit code says nothing about the stream: the outcome comes from what it printed.
        outcome: spawnError || failures.length ? 'failed' : inp.signal?.aborted ? 'cancelled' : 'ended',
        failure: spawnError ?? failures[0] ?? null,
        droppedFrames: total.droppedFrames,
        advice: total.advice(inp.bitrateKbps),
        ...(inp.watch ? { timeline: inp.watch.timeline(), watched: inp.watch.probeAvailable } : {}),
      };
      inp.history.append(final);
      inp.logger.info('stream: moonlight exited', { sessionId, code, signal, outcome: final.outcome, droppedFrames: final.droppedFrames });
      inp.onEvent?.(sessionId, 'ended', final.failure ?? `Stream ended (${final.outcome})`, final);
      resolve(final);
    };
    child.once('error', (err) => finish(null, null, `Moonlight could not start: ${err.message}`));
    child.once('close', (code, signal) => finish(code, signal));
  });
  return { sessionId, child, done };
}
