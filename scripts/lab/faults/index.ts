/**
 * Fault scenarios, one file per issue, listed here for the lab's scenario registry: the self-checks (issue 5) and
 * stream fitness (issue 14). Environment: plain Node, root.
 */
import type { LabScenario } from '../scenarios';
import { CAPACITY_SCENARIOS } from './capacity';
import { SELF_CHECK_SCENARIOS } from './scenarios';

export const FAULT_SCENARIOS: LabScenario[] = [...SELF_CHECK_SCENARIOS, ...CAPACITY_SCENARIOS];
