/**
 * CLI/helper exit code for a tunnel status (issue contract): 0 connected (or disconnected after `down`), 1 no
 * handshake or refused (route conflict, hooks, invalid profile), 2 could not run. Environment: any.
 */
import type { TunnelReason, TunnelStatus } from '../../contract/tunnel';

const REFUSED: readonly TunnelReason[] = ['no-handshake', 'route-conflict', 'hooks-refused', 'profile-invalid', 'stale'];

export function exitCodeOf(s: Pick<TunnelStatus, 'state' | 'reason'>): 0 | 1 | 2 {
  if (s.state !== 'error') return s.state === 'handshaking' ? 1 : 0;
  return s.reason !== null && REFUSED.includes(s.reason) ? 1 : 2;
}
