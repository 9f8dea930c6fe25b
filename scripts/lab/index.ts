/**
 * The lab as a library, for lab tests and the `lab` CLI. Environment: plain Node, root. See docs/lab.md.
 *
 *   const lab = await labUp({ id: 3, artistUp: true });
 *   await labExec(lab, 'artist', 'ping', ['-c', '1', lab.names.addr.gatewayTunnel]);
 *   await labDown(lab);
 */
import type { RunOptions, RunResult } from '../../src-main/core/platform/runner';
import { nsExists, nsPids, nsRun } from './netns';
import { configureRelay, freshRelayStats, readRelayStats, type RelayConfig, type RelayStats } from './relay-control';
import { nsOf, scenarioContext, type LabRole } from './scenarios';
import { listLabs, type Lab } from './state';

export { labUp, labDown, artistWgQuick, setGatewayPeer, assertRoot, type LabOptions } from './lab-up';
export { labNames, type LabNames } from './names';
export { getScenario, listScenarios, registerScenario, scenarioContext, type LabScenario, type ScenarioContext, type LabRole } from './scenarios';
export { loadLab, listLabs, labBaseDir, type Lab } from './state';
export { artistProfileText, type ArtistProfileOptions } from './profile';
export { generateKeyPair, type KeyPair } from './keys';
export type { RelayConfig, RelayStats } from './relay-control';

/** Run a program to completion inside one of the lab's namespaces. */
export function labExec(lab: Lab, role: LabRole, program: string, args: readonly string[], opts?: RunOptions): Promise<RunResult> {
  return nsRun(nsOf(lab.names, role), program, args, opts);
}

export function setRelay(lab: Lab, change: Partial<Omit<RelayConfig, 'generation'>>): Promise<RelayConfig> {
  return configureRelay(lab.relay, change);
}

/** The relay's counters now (datagrams each way, drops by cap or block, largest forwarded). */
export function relayStats(lab: Lab): Promise<RelayStats> {
  return freshRelayStats(lab.relay);
}

export interface LabStatus {
  id: number;
  scenario: string;
  namespaces: Record<string, boolean>;
  relayRunning: boolean;
  relay: RelayStats | null;
  processes: Record<string, number>;
  profilePath: string;
}

export async function labStatus(lab: Lab): Promise<LabStatus> {
  const namespaces: Record<string, boolean> = {};
  const processes: Record<string, number> = {};
  for (const ns of Object.values(lab.names.ns)) {
    namespaces[ns] = await nsExists(ns);
    processes[ns] = (await nsPids(ns)).length;
  }
  let relayRunning = false;
  try {
    process.kill(lab.relay.pid, 0);
    relayRunning = true;
  } catch {}
  return { id: lab.id, scenario: lab.scenario, namespaces, relayRunning, relay: readRelayStats(lab.relay), processes, profilePath: lab.profilePath };
}

export async function allLabStatus(): Promise<LabStatus[]> {
  return Promise.all(listLabs().map((l) => labStatus(l)));
}

export { scenarioContext as contextFor };
