/**
 * The capacity measurement's errors: one stable code each, a sentence naming what happened, where (host, port,
 * protocol phase) and the fix. Environment: any.
 */

export type CapacityErrorCode =
  /** Nothing listens on any of the ports (TCP connection refused). */
  | 'capacity.refused'
  /** The server could not be reached (no route, or the TCP connect timed out). */
  | 'capacity.unreachable'
  /** Every port answered ACCESS_DENIED (iperf3 runs one test at a time) for as long as the deadline allowed. */
  | 'capacity.busy'
  /** The server sent SERVER_ERROR (with iperf3's error number) or SERVER_TERMINATE. */
  | 'capacity.server-error'
  /** The port answered, but not as iperf3 does (first byte is no iperf3 state). */
  | 'capacity.not-iperf3'
  /** An iperf3-looking server broke the protocol: a state out of order, a JSON message too large or malformed,
   * results that contradict what arrived, a wrong UDP connect reply. */
  | 'capacity.protocol'
  /** The server closed the control connection in the middle of a test. */
  | 'capacity.closed'
  /** No UDP data from the server arrived during a step (UDP from the farm blocked, or a server that never sends). */
  | 'capacity.no-data'
  /** The measurement ran out of time before any step finished. */
  | 'capacity.timeout'
  /** The caller's options are invalid. */
  | 'capacity.invalid';

export class CapacityError extends Error {
  constructor(
    readonly code: CapacityErrorCode,
    message: string,
    /** Where it happened (`host:port`, protocol phase) for the report. */
    readonly detail: Readonly<Record<string, string | number>> = {},
  ) {
    super(message);
    this.name = 'CapacityError';
  }
}

export function isCapacityError(err: unknown): err is CapacityError {
  return err instanceof CapacityError;
}
