/**
 * WireGuard handshake freshness as numbers (no sockets: the kick lives in handshake.ts), shared by the tunnel state
 * machine and the checks. Fresh: at most REJECT_AFTER_TIME (180 s, WireGuard's `messages.h`, whitepaper §6.1) ago,
 * plus the peer's PersistentKeepalive. Environment: any.
 */
/** WireGuard's REJECT_AFTER_TIME: a handshake older than this is no session. */
export const HANDSHAKE_FRESH_SEC = 180;

/** Seconds since a handshake at `latestUnixSec` (null or 0 = never: null). */
export function handshakeAgeSec(latestUnixSec: number | null, nowSec: number): number | null {
  if (latestUnixSec === null || latestUnixSec <= 0) return null;
  return Math.max(0, nowSec - latestUnixSec);
}

/** How old a handshake may be before the session counts as dead (keepalive: the peer's own re-handshake interval). */
export function freshnessLimitSec(keepaliveSec: number | null = null): number {
  return HANDSHAKE_FRESH_SEC + (keepaliveSec ?? 0);
}

/** A handshake `ageSec` seconds ago (null = never) still carries a session. */
export function isHandshakeFresh(ageSec: number | null, keepaliveSec: number | null = null): boolean {
  return ageSec !== null && ageSec <= freshnessLimitSec(keepaliveSec);
}
