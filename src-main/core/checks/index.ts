/**
 * The self-checks' public API for other domains (report, UI handlers, bench): run a diagnosis against a target.
 * Environment: plain Node (no electron).
 */
export { runDiagnosis, createCheckSystem, type DiagnosisRun } from './run';
export { runChecks, type ChecksRun, type RunChecksOptions } from './engine';
export { diagnose, type Diagnosis } from './diagnosis';
export { targetFromProfile, targetFromView, checkSite } from './target';
export { ALL_CHECKS } from './list';
export { createChecksHandlers, type ChecksHandlerDeps } from './handlers';
export type { Check, CheckContext, CheckProgress, CheckResult, CheckStatus, CheckSystem, CheckTarget, CheckSite } from './types';
