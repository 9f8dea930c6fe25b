/**
 * Fault scenarios for the self-checks (issue 5), one file each, listed here for the lab's scenario registry.
 * Environment: plain Node, root.
 */
import type { LabScenario } from '../scenarios';
import { SELF_CHECK_SCENARIOS } from './scenarios';

export const FAULT_SCENARIOS: LabScenario[] = [...SELF_CHECK_SCENARIOS];
