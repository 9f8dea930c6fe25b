/**
 * The unprivileged side of the helper: run `pkexec <helper> up|down|status NAME` and read its one JSON document.
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

export async function callHelper(runner: ProcessRunner, verb: 'up' | 'down' | 'status', name: string | null, helperPath = HELPER_PATH): Promise<TunnelStatus[]> {
  const c = helperCommand(verb, name, helperPath);
  const who = name ?? 'tunnels';
  if (!runner.which('pkexec')) return [failureStatus(who, who, 'permission-denied', 'pkexec (polkit) is not installed, so Longhaul cannot ask for permission to control tunnels. Install polkit, or run as root.')];
  const r = await runner.run(c.program, c.args, { okCodes: 'any', timeoutMs: 120_000 });
  if (r.code === 126 || r.code === 127) {
    return [failureStatus(who, who, 'permission-denied', `Permission to control the tunnel was ${r.code === 126 ? 'not given (the dialog was dismissed)' : 'refused'}. Approve the administrator prompt, or ask IT to allow Longhaul's helper for your group.`)];
  }
  let doc: z.infer<typeof HelperDocSchema>;
  try {
    doc = HelperDocSchema.parse(JSON.parse(r.stdout.trim().split('\n').pop() ?? ''));
  } catch {
    return [failureStatus(who, who, 'up-failed', `Longhaul's helper gave no usable answer (exit ${r.code}): ${r.stderr.trim().slice(0, 300)}`)];
  }
  if (doc.error) return [failureStatus(who, who, doc.error.code === 'profile-unavailable' ? 'profile-invalid' : 'up-failed', doc.error.message)];
  return doc.tunnels ?? [];
}
