/**
 * THE contract: every call and event between main and renderer, declared once. Both sides' typed APIs are derived
 * from `calls` and `events` below; main validates every payload against them at runtime (`dispatch.ts`).
 * Environment: any (zod only). The renderer imports this folder and nothing else from src-main.
 *
 * Adding a domain: write `contract/<domain>.ts` with `<domain>Calls` / `<domain>Events` and spread them here.
 */
import type { z } from 'zod';
import { appCalls, appEvents } from './app';
import { profilesCalls, profilesEvents } from './profiles';
import { reportCalls, reportEvents } from './report';
import { checksCalls, checksEvents } from './checks';
import { healthCalls, healthEvents } from './health';
import { streamCalls, streamEvents } from './stream';
import { tunnelCalls, tunnelEvents } from './tunnel';
import type { CallSpec, EventSpec, Result } from './define';

export const calls = {
  ...appCalls,
  ...profilesCalls,
  ...reportCalls,
  ...checksCalls,
  ...healthCalls,
  ...streamCalls,
  ...tunnelCalls,
} satisfies Record<string, CallSpec>;

export const events = {
  ...appEvents,
  ...profilesEvents,
  ...reportEvents,
  ...checksEvents,
  ...healthEvents,
  ...streamEvents,
  ...tunnelEvents,
} satisfies Record<string, EventSpec>;

export type Calls = typeof calls;
export type Events = typeof events;
export type CallName = keyof Calls;
export type EventName = keyof Events;
export type CallRequest<K extends CallName> = z.input<Calls[K]['request']>;
export type CallRequestParsed<K extends CallName> = z.output<Calls[K]['request']>;
export type CallResponse<K extends CallName> = z.output<Calls[K]['response']>;
export type EventPayload<E extends EventName> = z.output<Events[E]['payload']>;

/** The renderer's view: call by name, listen by name. */
export interface RendererApi {
  call<K extends CallName>(name: K, request: CallRequest<K>): Promise<Result<CallResponse<K>>>;
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** Who is calling; the shell and the harness fill it after checking the sender. */
export interface CallContext {
  host: 'electron' | 'harness';
}

/** Main's view: one handler per call, receiving the validated request. Throw `ContractFailure` for typed errors. */
export type MainHandlers = {
  [K in CallName]: (request: CallRequestParsed<K>, ctx: CallContext) => Promise<CallResponse<K>> | CallResponse<K>;
};

/** Main → renderer: a typed emitter. */
export type EventEmitterFn = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

export * from './define';
export * from './app';
export * from './names';
