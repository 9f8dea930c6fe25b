/**
 * iperf3's size limits, shared by the parameter builder, the UDP accounting and the wire code (source: iperf.h of
 * iperf3 3.12). Environment: any.
 */
/** iperf.h `MAX_BURST`: the most packets per burst (`-b RATE/BURST`). */
export const MAX_BURST = 1000;
/** iperf.h `MAX_UDP_BLOCKSIZE` (65535 − 8 − 20) and the 32-bit-counter header (sec + usec + pcount). */
export const MAX_UDP_BLOCKSIZE = 65535 - 8 - 20;
export const UDP_HEADER_BYTES = 12;
