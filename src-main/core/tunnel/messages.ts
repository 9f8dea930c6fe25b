/**
 * Plain-words messages (what happened + the fix) for each tunnel reason. Environment: any.
 */
import type { TunnelReason } from '../../contract/tunnel';

export interface ReasonParams {
  name?: string;
  interface?: string;
  endpoint?: string | null;
  waitSec?: number;
  detail?: string;
}

export function reasonMessage(reason: TunnelReason, p: ReasonParams = {}): string {
  const name = p.name ?? 'the tunnel';
  switch (reason) {
    case 'no-handshake':
      return `No handshake with the gateway${p.endpoint ? ` at ${p.endpoint}` : ''}${p.waitSec !== undefined ? ` within ${p.waitSec} s` : ''}. Either the gateway does not know this computer's public key (ask IT to add it — \`longhaul profile list\` shows it), or UDP to the gateway is blocked on this network (try another network, or ask IT to allow UDP to the endpoint's port).`;
    case 'stale':
      return `The tunnel "${name}" has not completed a handshake for over 3 minutes although traffic is being sent: the gateway stopped answering. Check your network; if it persists, disconnect and connect again.`;
    case 'interface-vanished':
      return `The tunnel interface "${p.interface ?? name}" disappeared (another program, sleep, or a network change removed it). Connect again.`;
    case 'interface-exists':
      return `A network interface named "${p.interface ?? name}" already exists, so "${name}" cannot be brought up under that name. Disconnect the other tunnel (\`wg-quick down ${p.interface ?? name}\` or the program that made it) or import the profile under another name.`;
    case 'tools-missing':
    case 'resolvconf-missing':
      return p.detail ?? 'WireGuard tools are missing.';
    case 'permission-denied':
      return `Longhaul was not allowed to control the tunnel${p.detail ? ` (${p.detail})` : ''}. Approve the administrator prompt, or ask IT to install Longhaul's helper.`;
    case 'route-conflict':
      return `${p.detail ?? 'The profile routes addresses that are already in use here.'} Bringing it up would cut you off from them; use --force to connect anyway.`;
    case 'endpoint-unresolvable':
      return `The gateway's name ${p.endpoint ? `"${p.endpoint}" ` : ''}cannot be resolved on this network. Check the spelling in the profile and your internet connection, or ask IT for the gateway's address.`;
    case 'profile-invalid':
      return `The stored profile "${name}" is not valid: ${p.detail ?? 'see `longhaul profile check`'}.`;
    case 'hooks-refused':
      if (p.detail) return `The profile "${name}" was not brought up: ${p.detail}.`;
      return `The profile "${name}" contains PreUp/PostUp/PreDown/PostDown commands; Longhaul runs them only for a profile IT delivers through managed policy with allowScripts. Remove them from the profile, or ask IT to deliver it through policy.`;
    case 'up-failed':
      return `Bringing "${name}" up failed${p.detail ? `: ${p.detail}` : ''}.`;
  }
}
