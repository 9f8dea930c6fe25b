/**
 * The check engine's vocabulary. Environment: plain Node (no electron).
 * A check is one module: id, title, what it depends on, and `run(ctx, signal)` returning a result.
 */
import type { CheckResultView } from '../../contract/diagnosis';
import type { ProcessRunner } from '../platform/runner';
import type { AddressCache, HostAddresses } from './probes/host-addresses';
import type { PingProbe } from './probes/ping-types';
import type { Timing } from './timing';

/** A check's result is the contract's (`contract/diagnosis.ts` CheckResultSchema): the same record reaches the page,
 * `diagnose --json` and the report. */
export type CheckResult = CheckResultView;
export type CheckStatus = CheckResult['status'];

export type CheckOutcome = Omit<CheckResult, 'id' | 'title' | 'durationMs'>;

export interface SiteHost {
  name: string;
  host: string;
}

export interface CheckSite {
  name: string;
  dnsNames: string[];
  streamHosts: SiteHost[];
  probe: { host: string; port: number } | null;
  /** The site's iperf3 server for the stream-fitness test (ports in order of preference), or null/absent. */
  capacityProbe?: { host: string; ports: number[] } | null;
}

export interface CheckPeer {
  publicKey: string;
  endpoint: string | null;
  allowedIps: string[];
}

/** What is under test: the profile (no private key), the site, the interface. */
export interface CheckTarget {
  profileName: string;
  interfaceName: string;
  addresses: string[];
  dns: string[];
  /** The profile's MTU line (null = wg-quick's default). */
  mtu: number | null;
  peers: CheckPeer[];
  /** This profile's public key (for the no-handshake fix text). */
  publicKey: string | null;
  site: CheckSite | null;
}

/** The system side the checks reach through (injectable so every OS adapter sits behind one interface). */
export interface CheckSystem {
  platform: NodeJS.Platform;
  runner: ProcessRunner;
  ping: PingProbe;
  /** Stream-host addresses remembered between runs (hints only; see probes/host-addresses.ts). */
  addressCache?: AddressCache;
}

export interface CheckContext {
  target: CheckTarget;
  system: CheckSystem;
  timing: Timing;
  /** Host names resolved once per run, shared by the checks, with last run's answers as hints. */
  addresses: HostAddresses;
  /** Results of other checks, awaited (for checks that need another's result, e.g. the tunnel MTU). */
  resultOf(id: string): Promise<CheckResult>;
}

export interface Check {
  id: string;
  title: string;
  /** Checks whose failure makes this one moot: it is cancelled and reported `skip` (dependent on …). */
  dependsOn: readonly string[];
  run(ctx: CheckContext, signal: AbortSignal): Promise<CheckOutcome>;
}

export interface CheckProgress {
  runId: string;
  id: string;
  title: string;
  state: 'running' | 'done';
  result?: CheckResult;
}
