/**
 * The watch's handshake reader over the tunnel module's status (as root directly; otherwise the helper's read-only
 * `status` verb, which asks for no password). Environment: plain Node.
 */
import type { TunnelService } from '../../tunnel/service';

export function handshakeReader(core: { tunnels: Pick<TunnelService, 'statuses'> }): (profileName: string) => () => Promise<{ ageSec: number | null; endpoint: string | null } | null> {
  return (profileName) => async () => {
    const s = (await core.tunnels.statuses(profileName)).find((t) => t.name === profileName);
    if (!s || s.state !== 'connected') return s ? { ageSec: null, endpoint: null } : null;
    return { ageSec: s.latestHandshakeAgeSec, endpoint: s.endpoint };
  };
}
