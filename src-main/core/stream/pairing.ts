/**
 * The pairing assistant. Environment: plain Node. Flow (fact sheet §6): a random 4-digit PIN; `moonlight pair HOST
 * --pin PIN` waits for the artist (or IT) to enter the PIN in Sunshine's web UI → PIN (`https://HOST:47990/pin`); it is
 * killed after 120 s; the proof is `moonlight list HOST` exiting 0 (pair's own exit code is 0 whatever happened).
 * One pairing at a time: Sunshine gives a PIN to the FIRST pending pairing.
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { Logger } from '../log/logger';
import { ProcessError, type ProcessRunner, type RunResult } from '../platform/runner';
import { checkPin, checkPositional } from './grammar';
import type { MoonlightInstall } from './locate';

export const PAIR_TIMEOUT_MS = 120_000;

export function generatePin(): string {
  return String(randomInt(0, 10_000)).padStart(4, '0');
}

export function sunshinePinUrl(host: string): string {
  const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `https://${h}:47990/pin`;
}

export interface PairingSession {
  pairingId: string;
  host: string;
  pin: string;
  enterAt: string;
  /** Settles when `moonlight pair` exits or is killed. */
  finished: Promise<{ result: RunResult | null; error: string | null }>;
  running: boolean;
}

export interface PairingDeps {
  runner: ProcessRunner;
  install: Pick<MoonlightInstall, 'executable' | 'prefixArgs' | 'cwd'>;
  logger: Logger;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}

export class PairingAssistant {
  private current: PairingSession | null = null;
  constructor(private readonly deps: PairingDeps) {}

  start(host: string, pin = generatePin()): PairingSession {
    const bad = checkPositional('host', host) ?? checkPin(pin);
    if (bad) throw new Error(bad);
    if (this.current?.running) throw new Error(`a pairing with ${this.current.host} is already waiting for its PIN; finish or cancel it first (Sunshine gives a PIN to the first pending pairing)`);
    const { runner, install, logger } = this.deps;
    const session: PairingSession = {
      pairingId: randomUUID(),
      host,
      pin,
      enterAt: sunshinePinUrl(host),
      running: true,
      finished: Promise.resolve({ result: null, error: null }),
    };
    logger.info('stream: pairing started', { host, pairingId: session.pairingId });
    const timeoutMs = this.deps.timeoutMs ?? PAIR_TIMEOUT_MS;
    session.finished = runner
      .run(install.executable, [...install.prefixArgs, 'pair', host, '--pin', pin], { timeoutMs, okCodes: 'any', env: this.deps.env, cwd: install.cwd })
      .then(
        (result) => ({ result, error: null }),
        (err: unknown) => ({
          result: null,
          error: err instanceof ProcessError && err.kind === 'timeout' ? `Nobody entered the PIN within ${Math.round(timeoutMs / 1000)} s; pairing was stopped.` : (err as Error).message,
        }),
      )
      .finally(() => {
        session.running = false;
      });
    this.current = session;
    return session;
  }

  get(pairingId: string): PairingSession | null {
    return this.current?.pairingId === pairingId ? this.current : null;
  }
}

/** `moonlight list HOST`: exit 0 = reachable and paired (the one reliable signal). */
export async function confirmPaired(deps: PairingDeps, host: string): Promise<{ paired: boolean; detail: string }> {
  const bad = checkPositional('host', host);
  if (bad) throw new Error(bad);
  try {
    const r = await deps.runner.run(deps.install.executable, [...deps.install.prefixArgs, 'list', host], { timeoutMs: 45_000, okCodes: 'any', env: deps.env, cwd: deps.install.cwd });
    if (r.code === 0) return { paired: true, detail: `Paired: Moonlight lists ${r.stdout.split('\n').filter((l) => l.trim()).length} app(s) on ${host}.` };
    const why = r.stderr.trim().split('\n').filter((l) => l.trim()).pop() ?? `exit ${r.code}`;
    return { paired: false, detail: why };
  } catch (err) {
    return { paired: false, detail: (err as Error).message };
  }
}
