/**
 * Start and steer the lab's UDP relay (`relay.mjs`), the process in the WireGuard path between artist and gateway.
 * Environment: plain Node (root).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nsStartDetached, sleep, writeFileAtomic } from './netns';

export interface RelayConfig {
  /** Round-trip time added by the relay (rtt/2 each way). */
  rttMs: number;
  /** Largest outer IPv4 datagram (UDP payload + 28) allowed through; larger ones vanish both ways. 0 = no cap. */
  capBytes: number;
  /** Drop every datagram (UDP blocked). */
  block: boolean;
  /** Bumped by every change; the relay echoes it in its stats once the change is in force. */
  generation?: number;
}

export interface RelayStats {
  toGateway: number;
  toArtist: number;
  droppedOversize: number;
  droppedBlocked: number;
  largestForwarded: number;
  clients: number;
  /** The control generation in force. */
  generation: number;
  /** Incremented by every SIGUSR2 flush. */
  flushes: number;
}

export interface RelayInfo {
  pid: number;
  listen: string;
  to: string;
  controlFile: string;
  statsFile: string;
  logFile: string;
}

/** Where relay.mjs lives, from this file (TS under vitest) or from the bundle in dist/lab/. */
export function relayScriptPath(): string {
  const candidates = [path.join(__dirname, 'relay.mjs'), path.join(__dirname, '..', '..', 'scripts', 'lab', 'relay.mjs')];
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) throw new Error(`relay.mjs not found (looked in ${candidates.join(', ')})`);
  return found;
}

export async function startRelay(ns: string, dir: string, listen: string, to: string, config: RelayConfig): Promise<RelayInfo> {
  const controlFile = path.join(dir, 'relay.json');
  const statsFile = path.join(dir, 'relay.stats.json');
  const logFile = path.join(dir, 'relay.log');
  fs.rmSync(statsFile, { force: true });
  writeFileAtomic(controlFile, JSON.stringify({ ...config, generation: 0 }), 0o600);
  const child = nsStartDetached(ns, process.execPath, [relayScriptPath(), '--listen', listen, '--to', to, '--control', controlFile], logFile);
  if (child.pid === undefined) throw new Error('relay: failed to start');
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? -1));
  for (let i = 0; i < 200 && !fs.existsSync(statsFile); i++) {
    if (exited !== null) break;
    await sleep(25);
  }
  if (!fs.existsSync(statsFile)) {
    const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
    throw new Error(`relay did not come up in ${ns}: ${log.trim().split('\n').slice(-3).join(' | ')}`);
  }
  return { pid: child.pid, listen, to, controlFile, statsFile, logFile };
}

/**
 * Change the relay's faults at run time: rewrites the control file, sends SIGHUP and resolves once the relay has
 * acknowledged the new generation (so the next datagram already sees the change).
 */
export async function configureRelay(relay: RelayInfo, change: Partial<Omit<RelayConfig, 'generation'>>): Promise<RelayConfig> {
  const current = readRelayConfig(relay);
  const next: RelayConfig = { ...current, ...change, generation: (current.generation ?? 0) + 1 };
  writeFileAtomic(relay.controlFile, JSON.stringify(next), 0o600);
  process.kill(relay.pid, 'SIGHUP');
  for (let i = 0; i < 400; i++) {
    if (readRelayStats(relay)?.generation === next.generation) return next;
    await sleep(10);
  }
  throw new Error(`relay (pid ${relay.pid}) did not acknowledge its new configuration; see ${relay.logFile}`);
}

export function readRelayConfig(relay: RelayInfo): RelayConfig {
  return JSON.parse(fs.readFileSync(relay.controlFile, 'utf8')) as RelayConfig;
}

export function readRelayStats(relay: RelayInfo): RelayStats | null {
  try {
    return JSON.parse(fs.readFileSync(relay.statsFile, 'utf8')) as RelayStats;
  } catch {
    return null;
  }
}

/** The relay's counters as of now (asks the relay to flush them, then reads them). */
export async function freshRelayStats(relay: RelayInfo): Promise<RelayStats> {
  const before = readRelayStats(relay)?.flushes ?? 0;
  process.kill(relay.pid, 'SIGUSR2');
  for (let i = 0; i < 400; i++) {
    const s = readRelayStats(relay);
    if (s && s.flushes > before) return s;
    await sleep(10);
  }
  throw new Error(`relay (pid ${relay.pid}) did not flush its counters; see ${relay.logFile}`);
}
