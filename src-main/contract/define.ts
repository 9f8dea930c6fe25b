/**
 * The contract's building blocks. Environment: any (zod only) — imported by main, the harness and the renderer.
 * A call is a request schema + a response schema; an event is a payload schema. Nothing else crosses main ↔ renderer.
 */
import { z } from 'zod';

export interface CallSpec<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  request: Req;
  response: Res;
}
export interface EventSpec<P extends z.ZodType = z.ZodType> {
  payload: P;
}

export function call<Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res): CallSpec<Req, Res> {
  return { request, response };
}
export function event<P extends z.ZodType>(payload: P): EventSpec<P> {
  return { payload };
}

/** Error codes that cross the boundary. Stable: the renderer switches on them. */
export const ERROR_CODES = [
  'invalid-payload',
  'unknown-call',
  'forbidden',
  'not-found',
  'conflict',
  'invalid-input',
  'unavailable',
  'policy-locked',
  'cancelled',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ContractErrorSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  /** Structured details, e.g. zod issues for `invalid-payload` or line-numbered profile errors. */
  details: z.unknown().optional(),
});
export type ContractError = z.infer<typeof ContractErrorSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: ContractError };

/** Thrown by handlers in main to return a typed error instead of `internal`. */
export class ContractFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ContractFailure';
  }
}
