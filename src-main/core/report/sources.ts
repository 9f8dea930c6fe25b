/**
 * What a report is built from: small collector interfaces, so the report can be built and tested before (and
 * independently of) the modules that feed it. The composition (report-sources.ts / the CLI) wires the real ones.
 * Environment: plain Node.
 */
import type { CapacityDoc } from '../../contract/stream';
import type { EffectivePolicy } from '../policy/policy';
import type { EnvDeps } from './collect/environment';
import type { Diagnosis } from '../../contract/diagnosis';

export interface ProfileInEffect {
  name: string;
  /** `file`, `store`, `policy`. */
  source: string;
  /** The parsed profile (its private/preshared key fields are redacted by name, and `secrets` everywhere). */
  profile: unknown;
  /** Private and preshared key values: removed from every byte of the report. */
  secrets: string[];
  /** Hostnames it names (endpoints): pseudonymised in strict mode. */
  hostnames: string[];
  warnings: string[];
}

export interface SiteInEffect {
  path: string | null;
  data: unknown;
  hostnames: string[];
}

export interface ReportSources {
  /** The checks engine's diagnose (THE diagnosis document); absent → the report says so (verdict `unknown`). */
  diagnose?: (signal?: AbortSignal) => Promise<Diagnosis>;
  tunnelStatus?: () => Promise<unknown>;
  profile?: () => Promise<ProfileInEffect | null>;
  site?: () => Promise<SiteInEffect | null>;
  streamHistory?: () => Promise<unknown[]>;
  /** The profile's last line measurement (core/capacity/last-result.ts), null when there is none. */
  capacity?: () => Promise<CapacityDoc | null>;
  policy: () => Promise<EffectivePolicy>;
  /** App log files, newest first. */
  logFiles: () => string[];
  env: EnvDeps;
  /** Why a source is absent, shown in its `unavailable` section (default: "not available in this build"). */
  missing?: Partial<Record<'diagnose' | 'tunnel' | 'profile' | 'site' | 'streams' | 'capacity', string>>;
}

export type ReportStep = 'profile' | 'diagnose' | 'environment' | 'tunnel' | 'site' | 'streams' | 'policy' | 'logs' | 'anonymize' | 'write' | 'upload';
export const REPORT_STEPS: readonly ReportStep[] = ['profile', 'diagnose', 'environment', 'tunnel', 'site', 'streams', 'policy', 'logs', 'anonymize', 'write', 'upload'];

export interface ReportProgress {
  step: ReportStep;
  /** Steps finished so far, out of `total`. */
  done: number;
  total: number;
}
