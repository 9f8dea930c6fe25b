/**
 * The lab's scenario registry: a scenario is a named fault (or none) applied on top of the base lab. Built-ins live
 * here; fault scenarios owned by other issues live one per file in `faults/` and are listed in `faults/index.ts`.
 *
 * Rules for a scenario: start every process INSIDE one of the lab's namespaces (ctx.startDetached) and put every
 * rule there too (iptables in ctx.exec) — `labDown` then removes all of it by killing the namespaces' processes and
 * deleting the namespaces. Anything outside (files elsewhere) needs a `teardown`. Record what tests need in lab.extra.
 * Environment: plain Node, root.
 */
import type { ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import type { RunOptions, RunResult } from '../../src-main/core/platform/runner';
import { FAULT_SCENARIOS } from './faults';
import { nsRun, nsStartDetached, writeFileAtomic } from './netns';
import { configureRelay, type RelayConfig } from './relay-control';
import { generateKeyPair } from './keys';
import { saveLab, type Lab } from './state';
import type { LabNames } from './names';

export type LabRole = 'artist' | 'path' | 'gateway';

export interface ScenarioContext {
  lab: Lab;
  /** Run a program to completion inside a namespace of the lab. */
  exec(role: LabRole, program: string, args: readonly string[], opts?: RunOptions): Promise<RunResult>;
  /** Start a long-running program inside a namespace; output goes to `<lab dir>/<logName>`. labDown stops it. */
  startDetached(role: LabRole, program: string, args: readonly string[], logName: string): ChildProcess;
  /** Change the relay's faults (rtt, cap, block) now. */
  relay(change: Partial<Omit<RelayConfig, 'generation'>>): Promise<RelayConfig>;
  /** Write a root-only file in the lab directory; returns its path. */
  writeFile(name: string, text: string, mode?: number): string;
  /** Record a value in lab.extra (saved to lab.json so the CLI's `status` and other processes see it). */
  record(key: string, value: unknown): void;
}

export interface LabScenario {
  name: string;
  summary: string;
  /** Lab options this scenario implies (the caller's explicit options win). */
  defaults?: { rttMs?: number; capBytes?: number; artistUp?: boolean };
  /** After the base lab is up, before the artist tunnel (when `artistUp`). */
  apply?(lab: Lab, ctx: ScenarioContext): Promise<void>;
  /** Only for state outside the lab's namespaces and directory. */
  teardown?(lab: Lab): Promise<void>;
}

export function nsOf(n: LabNames, role: LabRole): string {
  return n.ns[role];
}

export function scenarioContext(lab: Lab): ScenarioContext {
  return {
    lab,
    exec: (role, program, args, opts) => nsRun(nsOf(lab.names, role), program, args, opts),
    startDetached: (role, program, args, logName) => nsStartDetached(nsOf(lab.names, role), program, args, path.join(lab.dir, logName)),
    relay: (change) => configureRelay(lab.relay, change),
    writeFile: (name, text, mode = 0o600) => {
      const file = path.join(lab.dir, name);
      writeFileAtomic(file, text, mode);
      return file;
    },
    record: (key, value) => {
      lab.extra[key] = value;
      saveLab(lab);
    },
  };
}

const BUILT_IN: LabScenario[] = [
  { name: 'basic', summary: 'a healthy tunnel path: relay forwards everything (use --rtt/--cap to shape it)' },
  {
    name: 'mtu-blackhole',
    summary: 'the relay silently drops datagrams over 1400 bytes (outer IPv4) both ways, no ICMP back',
    defaults: { capBytes: 1400 },
  },
  {
    name: 'udp-blocked',
    summary: 'the relay drops every datagram: no handshake ever completes',
    apply: async (_lab, ctx) => {
      await ctx.relay({ block: true });
    },
  },
  {
    name: 'wrong-key',
    summary: "the gateway knows a different peer key than the artist's: handshakes are ignored",
    apply: async (lab, ctx) => {
      const other = generateKeyPair();
      await ctx.exec('gateway', 'wg', ['set', lab.names.gatewayIf, 'peer', lab.keys.artist.publicKey, 'remove']);
      await ctx.exec('gateway', 'wg', ['set', lab.names.gatewayIf, 'peer', other.publicKey, 'allowed-ips', `${lab.names.addr.artistTunnel}/32`]);
      ctx.record('gatewayPeerPublicKey', other.publicKey);
    },
  },
  { name: 'slow', summary: 'a 200 ms round trip added by the relay', defaults: { rttMs: 200 } },
];

const registry = new Map<string, LabScenario>();
export function registerScenario(s: LabScenario): void {
  if (registry.has(s.name)) throw new Error(`lab scenario "${s.name}" is registered twice`);
  if (!/^[a-z0-9][a-z0-9-]{0,40}$/.test(s.name)) throw new Error(`lab scenario name "${s.name}": use lower-case letters, digits and -`);
  registry.set(s.name, s);
}
for (const s of [...BUILT_IN, ...FAULT_SCENARIOS]) registerScenario(s);

export function getScenario(name: string): LabScenario {
  const s = registry.get(name);
  if (!s) throw new Error(`unknown lab scenario "${name}"; known: ${listScenarios().map((x) => x.name).join(', ')}`);
  return s;
}

export function listScenarios(): LabScenario[] {
  return [...registry.values()];
}
