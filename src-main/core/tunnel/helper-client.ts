/**
 * The unprivileged side of the helper: run `pkexec <helper> up|down|status NAME` and read its one JSON document.
 * `up` pipes the canonical profile text (with its private key) on the helper's stdin through the runner's `input` —
 * never argv, never a temp file; the helper re-validates and stores it root-only (docs/tunnel.md). Without `input`
 * stdin is closed empty, and the helper uses a profile IT installed for it.
 * pkexec exits 126 when the dialog was dismissed and 127 when not authorised (polkit pkexec(1)): both become
 * `permission-denied`.
 * Transport: pkexec on Linux; on macOS/Windows (and anywhere a test build sets LONGHAUL_TEST_HELPER_SOCKET) the
 * helper service over its local socket / named pipe (`service-client.ts`) — same language, same document.
 * Environment: plain Node.
 */
import { ProfileIssueSchema, SiteSchema } from '../../contract/profiles';
import { TunnelStatusSchema, type TunnelStatus } from '../../contract/tunnel';
import { PublicProfileSchema } from '../profiles/store-record';
import type { ProcessRunner } from '../platform/runner';
import { failureStatus } from './controller';
import { callService, serviceEndpointOf, type ServiceEndpoint } from './service-client';
import { z } from 'zod';

export const HELPER_PATH = '/usr/lib/longhaul/longhaul-helper';

export function helperCommand(verb: 'up' | 'down' | 'status', name: string | null, helperPath = HELPER_PATH): { program: string; args: string[] } {
  return { program: 'pkexec', args: [helperPath, verb, ...(name === null ? [] : [name])] };
}

/** One policy-provisioned profile as `status` (all) reports it: public data only (see helper/policy-sites.ts). */
export const ProvisionedProfileSchema = z.object({
  name: z.string(),
  origin: z.literal('policy'),
  allowScripts: z.boolean(),
  sourceFileName: z.string().nullable(),
  publicKey: z.string(),
  profile: PublicProfileSchema,
  warnings: z.array(ProfileIssueSchema),
  site: SiteSchema.nullable(),
});
export type ProvisionedProfile = z.infer<typeof ProvisionedProfileSchema>;

/**
 * The helper's document. `provisioned` / `provisionRefused` (status without NAME) and `notLonghaul` are newer fields:
 * an older helper omits them, and other unknown fields are ignored (zod strips them), so old and new helpers both parse.
 */
export const HelperDocSchema = z.object({
  tunnels: z.array(TunnelStatusSchema).optional(),
  provisioned: z.array(ProvisionedProfileSchema).optional(),
  provisionRefused: z.array(z.object({ bundle: z.string(), reason: z.string() })).optional(),
  /** `status NAME` refused because NAME is not one of Longhaul's tunnels (nothing was read): those names. */
  notLonghaul: z.array(z.string()).optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
export type HelperDoc = z.infer<typeof HelperDocSchema>;

/** Parse the helper's stdout: the last line is its JSON document. Null when it is not one. */
export function parseHelperDoc(stdout: string): HelperDoc | null {
  try {
    return HelperDocSchema.parse(JSON.parse(stdout.trim().split('\n').pop() ?? ''));
  } catch {
    return null;
  }
}

export interface HelperCallOptions {
  /** `up` only: the canonical profile text, written to the helper's stdin. */
  input?: string;
  helperPath?: string;
  /** Tests: the service endpoint to use (default: `serviceEndpointOf()`, null on Linux = pkexec). */
  service?: ServiceEndpoint | null;
}

/** Run the helper once: its document, or the failure status that stands in for it. */
export async function callHelperDoc(
  runner: ProcessRunner,
  verb: 'up' | 'down' | 'status',
  name: string | null,
  o: HelperCallOptions = {},
): Promise<{ ok: true; doc: HelperDoc } | { ok: false; failure: TunnelStatus }> {
  const helperPath = o.helperPath ?? HELPER_PATH;
  const c = helperCommand(verb, name, helperPath);
  const who = name ?? 'tunnels';
  const fail = (reason: TunnelStatus['reason'] & string, message: string) => ({ ok: false as const, failure: failureStatus(who, who, reason, message) });
  const service = o.service === undefined ? serviceEndpointOf() : o.service;
  if (service) {
    const r = await callService(service, verb, name, { input: verb === 'up' ? o.input : undefined });
    if (!r.ok) return fail(r.reason, r.message);
    return docResult(parseHelperDoc(r.text), `Longhaul's helper service gave no usable answer: ${r.text.trim().slice(0, 300)}`, fail);
  }
  if (!runner.which('pkexec')) return fail('permission-denied', 'pkexec (polkit) is not installed, so Longhaul cannot ask for permission to control tunnels. Install polkit, or run as root.');
  const input = verb === 'up' ? o.input : undefined;
  const r = await runner.run(c.program, c.args, { okCodes: 'any', timeoutMs: 120_000, ...(input !== undefined ? { input } : {}) });
  if (r.code === 126 || r.code === 127) {
    return fail('permission-denied', `Permission to control the tunnel was ${r.code === 126 ? 'not given (the dialog was dismissed)' : 'refused'}. Approve the administrator prompt, or ask IT to allow Longhaul's helper for your group.`);
  }
  return docResult(parseHelperDoc(r.stdout), `Longhaul's helper gave no usable answer (exit ${r.code}): ${r.stderr.trim().slice(0, 300)}`, fail);
}

/** The helper's document (from either transport) as a result; `{error}` documents become failure statuses. */
function docResult(
  doc: HelperDoc | null,
  unusable: string,
  fail: (reason: TunnelStatus['reason'] & string, message: string) => { ok: false; failure: TunnelStatus },
): { ok: true; doc: HelperDoc } | { ok: false; failure: TunnelStatus } {
  if (!doc) return fail('up-failed', unusable);
  if (doc.error) {
    const code = doc.error.code;
    const reason = code === 'profile-unavailable' ? 'profile-invalid' : code === 'not-root' || code === 'not-authorized' || code === 'caller-unknown' ? 'permission-denied' : 'up-failed';
    return fail(reason, doc.error.message);
  }
  return { ok: true, doc };
}

export async function callHelper(runner: ProcessRunner, verb: 'up' | 'down' | 'status', name: string | null, o: HelperCallOptions = {}): Promise<TunnelStatus[]> {
  const r = await callHelperDoc(runner, verb, name, o);
  return r.ok ? (r.doc.tunnels ?? []) : [r.failure];
}

/**
 * The policy-provisioned profiles the helper can read (`status` without NAME). `profiles: null` = this helper does not
 * report them (an older helper): the caller must then leave stored records alone.
 */
export async function helperProvisioned(
  runner: ProcessRunner,
  o: { helperPath?: string } = {},
): Promise<{ ok: true; profiles: ProvisionedProfile[] | null; refused: { bundle: string; reason: string }[] } | { ok: false; reason: string }> {
  const r = await callHelperDoc(runner, 'status', null, o);
  if (!r.ok) return { ok: false, reason: r.failure.message ?? 'the helper could not be asked' };
  return { ok: true, profiles: r.doc.provisioned ?? null, refused: r.doc.provisionRefused ?? [] };
}
