/**
 * Runtime side of the contract in main: validate, route, and turn every outcome into a `Result`. A bad payload gets a
 * typed `invalid-payload` error, an unknown name `unknown-call`, a thrown non-contract error `internal` (logged, with
 * no stack or internals sent to the renderer). Never throws. Environment: any.
 */
import { calls, events, type CallContext, type CallName, type EventName, type MainHandlers } from './index';
import { ContractFailure, type Result } from './define';

export interface DispatchLogger {
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(calls, name);
}

function issuesOf(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }) {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

export async function dispatch(
  handlers: Partial<MainHandlers>,
  name: unknown,
  payload: unknown,
  ctx: CallContext,
  log?: DispatchLogger,
): Promise<Result<unknown>> {
  if (!isCallName(name)) {
    log?.warn('contract: unknown call', { name: typeof name === 'string' ? name.slice(0, 80) : typeof name });
    return { ok: false, error: { code: 'unknown-call', message: `unknown call ${JSON.stringify(String(name).slice(0, 80))}` } };
  }
  const spec = calls[name];
  const parsed = spec.request.safeParse(payload);
  if (!parsed.success) {
    const details = issuesOf(parsed.error);
    log?.warn('contract: invalid payload', { name, issues: details });
    return {
      ok: false,
      error: { code: 'invalid-payload', message: `invalid payload for ${name}: ${details.map((d) => `${d.path || '(root)'}: ${d.message}`).join('; ')}`, details },
    };
  }
  const handler = handlers[name] as ((req: unknown, ctx: CallContext) => unknown) | undefined;
  if (!handler) {
    return { ok: false, error: { code: 'unavailable', message: `${name} is not available in this build` } };
  }
  try {
    const value = await handler(parsed.data, ctx);
    const checked = spec.response.safeParse(value);
    if (!checked.success) {
      log?.error('contract: handler returned a value outside its schema', { name, issues: issuesOf(checked.error) });
      return { ok: false, error: { code: 'internal', message: `${name} failed inside Longhaul (see the log)` } };
    }
    return { ok: true, value: checked.data };
  } catch (err) {
    if (err instanceof ContractFailure) {
      return { ok: false, error: { code: err.code, message: err.message, ...(err.details !== undefined ? { details: err.details } : {}) } };
    }
    log?.error('contract: handler threw', { name, error: (err as Error)?.message ?? String(err) });
    return { ok: false, error: { code: 'internal', message: `${name} failed inside Longhaul (see the log)` } };
  }
}

/** Validate an outgoing event before it leaves main (a schema drift is a bug, caught here not in the renderer). */
export function checkEvent(name: EventName, payload: unknown): { ok: true; payload: unknown } | { ok: false; message: string } {
  const parsed = events[name].payload.safeParse(payload);
  if (!parsed.success) return { ok: false, message: issuesOf(parsed.error).map((i) => `${i.path}: ${i.message}`).join('; ') };
  return { ok: true, payload: parsed.data };
}
