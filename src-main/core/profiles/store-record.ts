/**
 * The on-disk metadata record of one profile (`<data>/profiles/<name>.json`): everything but the secrets, which live
 * in the `SecretStore` under the same name. Environment: plain Node.
 */
import { z } from 'zod';
import { ProfileIssueSchema, SiteSchema } from '../../contract/profiles';
import type { WgProfile } from './types';

const PeerSchema = z.object({
  publicKey: z.string(),
  hasPresharedKey: z.boolean(),
  allowedIps: z.array(z.string()),
  endpoint: z.object({ host: z.string(), port: z.number().int() }).nullable(),
  persistentKeepalive: z.number().int().nullable(),
});

/** The public part of a profile (no private or preshared key): what a record stores and the helper reports. */
export const PublicProfileSchema = z.object({
  interface: z.object({
    addresses: z.array(z.string()),
    dns: z.array(z.string()),
    dnsSearch: z.array(z.string()),
    mtu: z.number().int().nullable(),
    listenPort: z.number().int().nullable(),
    table: z.string().nullable(),
    hooks: z.object({ preUp: z.array(z.string()), postUp: z.array(z.string()), preDown: z.array(z.string()), postDown: z.array(z.string()) }),
  }),
  peers: z.array(PeerSchema),
});

export const StoredRecordSchema = z.object({
  version: z.literal(1),
  name: z.string(),
  origin: z.enum(['user', 'policy']),
  allowScripts: z.boolean(),
  importedAt: z.string(),
  sourceFileName: z.string().nullable(),
  publicKey: z.string(),
  profile: PublicProfileSchema,
  warnings: z.array(ProfileIssueSchema),
  site: SiteSchema.nullable(),
  mtuOverride: z.number().int().nullable(),
  /**
   * Who holds the keys. Absent or `app`: the SecretStore. `helper`: a site provisioned by managed policy whose bundle
   * only root can read — the record is metadata only (no secret is stored), and `up` goes through the helper, which
   * reads the bundle itself. Optional so records written before this field stay valid.
   */
  keyHolder: z.enum(['app', 'helper']).optional(),
});
export type StoredRecord = z.infer<typeof StoredRecordSchema>;

/** What the SecretStore holds for one profile. */
export interface ProfileSecrets {
  privateKey: string;
  /** Preshared keys by peer public key. */
  presharedKeys: Record<string, string>;
}

export function splitSecrets(p: WgProfile): { pub: StoredRecord['profile']; secrets: ProfileSecrets } {
  const { privateKey, ...iface } = p.interface;
  const presharedKeys: Record<string, string> = {};
  const peers = p.peers.map((peer) => {
    if (peer.presharedKey) presharedKeys[peer.publicKey] = peer.presharedKey;
    return {
      publicKey: peer.publicKey,
      hasPresharedKey: peer.presharedKey !== null,
      allowedIps: peer.allowedIps,
      endpoint: peer.endpoint,
      persistentKeepalive: peer.persistentKeepalive,
    };
  });
  return { pub: { interface: iface, peers }, secrets: { privateKey, presharedKeys } };
}

export function joinSecrets(pub: StoredRecord['profile'], secrets: ProfileSecrets): WgProfile {
  return {
    interface: { ...pub.interface, privateKey: secrets.privateKey },
    peers: pub.peers.map((p) => ({
      publicKey: p.publicKey,
      presharedKey: p.hasPresharedKey ? (secrets.presharedKeys[p.publicKey] ?? null) : null,
      allowedIps: p.allowedIps,
      endpoint: p.endpoint,
      persistentKeepalive: p.persistentKeepalive,
    })),
  };
}
