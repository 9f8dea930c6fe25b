/**
 * The unprivileged side of the helper: run `pkexec <helper> up|down|status NAME` and read its one JSON document.
 * `up` pipes the canonical profile text (with its private key) on the helper's stdin through the runner's `input` —
 * never argv, never a temp file; the helper re-validates and stores it root-only (docs/tunnel.md). Without `input`
 * stdin is closed empty, and the helper uses a profile IT installed for it.
 * pkexec exits 126 when the dialog was dismissed and 127 when not authorised (polkit pkexec(1)): both become
 * `permission-denied`. Environment: plain Node.
 */
import { TunnelStatusSchema, type TunnelStatus } from '../../contract/tunnel';
import type { ProcessRunner } from '../platform/runner';
import { failureStatus } from './controller';
import { z } from 'zod';

export const HELPER_PATH = '/usr/lib/longhaul/longhaul-helper';

export function helperCommand(verb: 'up' | 'down' | 'status', name: string | null, helperPath = HELPER_PATH): { program: string; args: string[] } {
  return { program: 'pkexec', args: [helperPath, verb, ...(name === null ? [] : [name])] };
}

const HelperDocSchema = z.object({
  tunnels: z.array(TunnelStatusSchema).optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});

export interface HelperCallOptions {
  /** `up` only: the canonical profile text, written to the helper's stdin. */
  input?: string;
  helperPath?: string;
}

export async function callHelper(runner: ProcessRunner, verb: 'up' | 'down' | 'status', name: string | null, o: HelperCallOptions = {}): Promise<TunnelStatus[]> {
  const helperPath = o.helperPath ?? HELPER_PATH;
  const c = helperCommand(verb, name, helperPath);
  const who = name ?? 'tunnels';
  if (!runner.which('pkexec')) return [failureStatus(who, who, 'permission-denied', 'pkexec (polkit) is not installed, so Longhaul cannot ask for permission to control tunnels. Install polkit, or run as root.')];
  const input = verb === 'up' ? o.input : undefined;
  const r = await runner.run(c.program, c.args, { okCodes: 'any', timeoutMs: 120_000, ...(input !== undefined ? { input } : {}) });
  if (r.code === 126 || r.code === 127) {
    return [failureStatus(who, who, 'permission-denied', `Permission to control the tunnel was ${r.code === 126 ? 'not given (the dialog was dismissed)' : 'refused'}. Approve the administrator prompt, or ask IT to allow Longhaul's helper for your group.`)];
  }
  let doc: z.infer<typeof HelperDocSchema>;
  try {
    doc = HelperDocSchema.parse(JSON.parse(r.stdout.trim().split('\n').pop() ?? ''));
  } catch {
    return [failureStatus(who, who, 'up-failed', `Longhaul's helper gave no usable answer (exit ${r.code}): ${r.stderr.trim().slice(0, 300)}`)];
  }
  if (doc.error) {
    const reason = doc.error.code === 'profile-unavailable' ? 'profile-invalid' : doc.error.code === 'not-root' ? 'permission-denied' : 'up-failed';
    return [failureStatus(who, who, reason, doc.error.message)];
  }
  return doc.tunnels ?? [];
}
