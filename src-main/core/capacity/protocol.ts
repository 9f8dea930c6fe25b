/**
 * iperf3's control protocol, as the stock `iperf3 -s` (Debian 12: iperf3 3.12) speaks it. Environment: plain Node (Buffer).
 *
 * Every number here is iperf3's, cited by file and name (esnet/iperf, src/):
 * - states: `iperf_api.h` "states" (`#define TEST_START 1` … `#define SERVER_ERROR (-2)`); a state travels on the
 *   control connection as ONE signed char (`iperf_set_send_state` in iperf_api.c: `Nwrite(ctrl_sck, &state, 1)`).
 * - the cookie: `COOKIE_SIZE 37` in iperf.h ("size of an ascii uuid"); `make_cookie` in iperf_util.c fills 36 bytes
 *   from "abcdefghijklmnopqrstuvwxyz234567" and ends with NUL; `iperf_connect` (iperf_client_api.c) writes it first.
 * - JSON messages: `JSON_write` / `JSON_read` in iperf_api.c — a 4-byte big-endian length (`htonl(strlen)`) then the
 *   unformatted JSON text, no terminator. 3.12 reads any length (only the `hsize + 1` overflow check of Debian's
 *   patch "Fix memory allocation hazard (#1542)"); later iperf3 caps the parameter message at
 *   `MAX_PARAMS_JSON_STRING` (8 * 1024, iperf.h). Longhaul caps EVERY JSON message it reads at that size.
 * - SERVER_ERROR is followed by two 4-byte big-endian integers, iperf3's `i_errno` then the C `errno`
 *   (`iperf_exchange_parameters`, iperf_api.c; read back in `iperf_handle_message_client`, iperf_client_api.c).
 * - UDP stream set-up (`iperf_udp_connect` / `iperf_udp_accept`, iperf_udp.c): the client writes one 4-byte
 *   datagram to the server's port so the server learns its address (the server reads it only for the address); the
 *   server answers with a 4-byte datagram. Both are C `int`s written in host order (`write(s, &buf, sizeof(buf))`):
 *   `UDP_CONNECT_MSG 0x36373839` ("6789"), `UDP_CONNECT_REPLY 0x39383736` ("9876"), `LEGACY_UDP_CONNECT_REPLY
 *   987654321` (iperf.h). Recorded from iperf3 3.12 on x86-64 (little-endian): the reply arrives as bytes
 *   36 37 38 39 (test/fixtures/iperf3/SOURCES.md).
 * - UDP data header (`iperf_udp_send` / `iperf_udp_recv`, iperf_udp.c): bytes 0–3 `sec`, 4–7 `usec` (the sender's
 *   `iperf_time_now` just before the send), 8–11 the 32-bit packet count, all big-endian (`htonl`); the rest of the
 *   datagram is filler. Longhaul never asks for `udp_counters_64bit`, so the 32-bit layout is the only one.
 * Environment: plain Node (Buffer for the wire bytes; no other Node imports).
 */

export { IPERF_DEFAULT_PORT } from '../profiles/capacity-probe'; // iperf.h `PORT`

export const STATE = {
  TEST_START: 1,
  TEST_RUNNING: 2,
  TEST_END: 4,
  PARAM_EXCHANGE: 9,
  CREATE_STREAMS: 10,
  SERVER_TERMINATE: 11,
  CLIENT_TERMINATE: 12,
  EXCHANGE_RESULTS: 13,
  DISPLAY_RESULTS: 14,
  IPERF_START: 15,
  IPERF_DONE: 16,
  ACCESS_DENIED: -1,
  SERVER_ERROR: -2,
} as const;

/** Every value iperf_api.h defines as a state (3 RESULT_REQUEST and 5–8 are "not used" but defined). */
export const KNOWN_STATES: ReadonlySet<number> = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, -1, -2]);

export function stateName(state: number): string {
  for (const [name, value] of Object.entries(STATE)) if (value === state) return name;
  return KNOWN_STATES.has(state) ? `state ${state} (unused by iperf3)` : `byte 0x${(state & 0xff).toString(16).padStart(2, '0')}`;
}

export const COOKIE_SIZE = 37;
const COOKIE_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/** A cookie the way `make_cookie` builds one: 36 characters of its alphabet, then NUL. `random` gives 36 bytes. */
export function makeCookie(random: Uint8Array): Buffer {
  if (random.length < COOKIE_SIZE - 1) throw new RangeError(`makeCookie needs ${COOKIE_SIZE - 1} random bytes`);
  const out = Buffer.alloc(COOKIE_SIZE);
  for (let i = 0; i < COOKIE_SIZE - 1; i++) out[i] = COOKIE_ALPHABET.charCodeAt(random[i]! % COOKIE_ALPHABET.length);
  out[COOKIE_SIZE - 1] = 0;
  return out;
}

/** iperf.h `MAX_PARAMS_JSON_STRING` (8 * 1024): the largest JSON message Longhaul reads. */
export const MAX_JSON_BYTES = 8 * 1024;

export { MAX_BURST, MAX_UDP_BLOCKSIZE, UDP_HEADER_BYTES } from './limits';

/** The connect datagram as bytes: `UDP_CONNECT_MSG` (0x36373839) written in little-endian host order. */
export const UDP_CONNECT_MSG = Buffer.from([0x39, 0x38, 0x37, 0x36]);

/** Every 4-byte answer a stock server sends to `UDP_CONNECT_MSG`: the reply and the legacy reply, either byte order. */
export function isUdpConnectReply(msg: Buffer): boolean {
  if (msg.length !== 4) return false;
  const le = msg.readUInt32LE(0);
  const be = msg.readUInt32BE(0);
  return [0x39383736, 987654321].some((v) => v === le || v === be);
}

/**
 * iperf3's error numbers that a server sends after SERVER_ERROR (`enum` in iperf_api.h), the ones a stock server can
 * send while setting up a test. Others are reported by number.
 */
export const IPERF_ERRORS: Readonly<Record<number, string>> = {
  101: 'IEINITTEST: test initialization failed',
  102: 'IELISTEN: unable to listen for connections',
  114: 'IERECVPARAMS: unable to receive parameters from client',
  121: 'IEACCESSDENIED: the server is busy running a test',
  124: 'IESETBUF: unable to set socket buffer size',
  131: 'IEPROTOCOL: protocol does not exist',
  141: 'IESETBUF2: socket buffer size incorrect',
  142: 'IEAUTHTEST: test authorization failed',
  200: 'IECREATESTREAM: unable to create a new stream',
  202: 'IESTREAMLISTEN: unable to start stream listener',
  204: 'IESTREAMACCEPT: unable to accept stream connection',
  205: 'IESTREAMWRITE: unable to write to stream socket',
};
