/**
 * Contract: tunnel control (connect, disconnect, status) and the live status event. Environment: any (zod only).
 * Never carries a key other than public ones.
 */
import { z } from 'zod';
import { call, event } from './define';
import { ProfileNameSchema } from './names';

const NAME = ProfileNameSchema;

export const TUNNEL_STATES = ['disconnected', 'connecting', 'handshaking', 'connected', 'error'] as const;
export const TunnelStateSchema = z.enum(TUNNEL_STATES);
export type TunnelState = z.infer<typeof TunnelStateSchema>;

/** Why a tunnel is in `error` (or, for `stale`, why a connected tunnel is degraded). Stable: UI and CLI switch on it. */
export const TUNNEL_REASONS = [
  'no-handshake',
  'stale',
  'interface-vanished',
  'interface-exists',
  'tools-missing',
  'resolvconf-missing',
  'permission-denied',
  'route-conflict',
  'endpoint-unresolvable',
  'profile-invalid',
  'hooks-refused',
  'up-failed',
] as const;
export const TunnelReasonSchema = z.enum(TUNNEL_REASONS);
export type TunnelReason = z.infer<typeof TunnelReasonSchema>;

export const TunnelPeerStatusSchema = z.object({
  publicKey: z.string(),
  endpoint: z.string().nullable(),
  allowedIps: z.array(z.string()),
  latestHandshakeAgeSec: z.number().nullable(),
  rxBytes: z.number(),
  txBytes: z.number(),
  persistentKeepalive: z.number().nullable(),
});

export const TunnelStatusSchema = z.object({
  name: z.string(),
  interface: z.string(),
  state: TunnelStateSchema,
  reason: TunnelReasonSchema.nullable(),
  /** Plain words for the artist (what happened and the fix); null when all is well. */
  message: z.string().nullable(),
  endpoint: z.string().nullable(),
  latestHandshakeAgeSec: z.number().nullable(),
  rxBytes: z.number(),
  txBytes: z.number(),
  peers: z.array(TunnelPeerStatusSchema),
});
export type TunnelStatus = z.infer<typeof TunnelStatusSchema>;

export const tunnelCalls = {
  /** Bring a stored profile's tunnel up and wait (bounded) for the first handshake. */
  'tunnel.connect': call(
    z.object({ name: NAME, waitSec: z.number().int().min(0).max(120).optional(), force: z.boolean().optional() }).strict(),
    TunnelStatusSchema,
  ),
  'tunnel.disconnect': call(z.object({ name: NAME }).strict(), TunnelStatusSchema),
  /** One tunnel, or (no name) every tunnel Longhaul knows about. */
  'tunnel.status': call(z.object({ name: NAME.optional() }).strict(), z.object({ tunnels: z.array(TunnelStatusSchema) })),
};

export const tunnelEvents = {
  /** Sent by the status watcher whenever a tunnel's state, reason or handshake changes. */
  'tunnel.status': event(TunnelStatusSchema),
};
