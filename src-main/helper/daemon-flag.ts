/**
 * Imported FIRST by daemon-main.ts: marks this process as the helper service, so the argv helper's "run when this is
 * the process entry" line in main.ts (true in any bundle that contains it) stays quiet in longhaul-helperd.cjs.
 * Environment: plain Node.
 */
(globalThis as { __longhaulHelperd?: boolean }).__longhaulHelperd = true;

export const HELPERD_PROCESS = true;
