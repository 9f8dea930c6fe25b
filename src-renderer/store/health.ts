/** Live health as main's tracker sees it (`health.get` at start, then `health.changed` events; written by events.ts). */
import { create } from 'zustand';
import type { HealthFinding } from '../../src-main/contract/health';

export interface HealthState {
  /** Visible findings, dependents suppressed, errors first. Empty = healthy. */
  findings: HealthFinding[];
}

export const useHealth = create<HealthState>()(() => ({ findings: [] }));
