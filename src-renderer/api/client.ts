/**
 * The renderer's typed API, derived from the contract: `api.call(name, request)` → `Result`, `api.on(name, listener)`.
 */
import type { CallName, CallRequest, CallResponse, EventName, EventPayload, RendererApi, Result } from '../../src-main/contract';
import type { Transport } from './transport';

export function createApi(transport: Transport): RendererApi & { transport: Transport } {
  return {
    transport,
    async call<K extends CallName>(name: K, request: CallRequest<K>): Promise<Result<CallResponse<K>>> {
      try {
        return (await transport.invoke(name, request)) as Result<CallResponse<K>>;
      } catch (err) {
        return { ok: false, error: { code: 'unavailable', message: (err as Error)?.message ?? 'unavailable' } };
      }
    },
    on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void {
      return transport.subscribe((n, p) => {
        if (n === name) listener(p as EventPayload<E>);
      });
    },
  };
}
