/**
 * Contract: WireGuard profiles (import, check, list, get, remove, local MTU override). Environment: any (zod only).
 * Public views only: no private or preshared key ever crosses; the renderer shows the derived public key.
 */
import { z } from 'zod';
import { call, event } from './define';
import { ProfileNameSchema } from './names';

const NAME = ProfileNameSchema;

export const ProfileIssueSchema = z.object({
  /** 1-based line in the decoded text; null when not tied to a line. */
  line: z.number().int().nullable(),
  code: z.string(),
  message: z.string(),
});
export type ProfileIssueView = z.infer<typeof ProfileIssueSchema>;

/** `site.json` in a bundle (docs/site-file.md). Unknown fields are warned about, not rejected. */
export const SiteSchema = z.object({
  name: z.string().min(1).max(100),
  dnsNames: z.array(z.string().min(1).max(253)).max(100).default([]),
  streamHosts: z
    .array(
      z.object({
        name: z.string().min(1).max(100),
        host: z.string().min(1).max(253),
        app: z.string().min(1).max(200).optional(),
        parsecPeerId: z.string().min(1).max(200).optional(),
      }),
    )
    .max(100)
    .default([]),
  probe: z.object({ host: z.string().min(1).max(253), port: z.number().int().min(1).max(65535) }).optional(),
  /** A stock `iperf3 -s` on the gateway for the stream-fitness test (docs/capacity.md); `port` and/or `ports`, default 5201. */
  capacityProbe: z
    .object({
      host: z.string().min(1).max(253),
      port: z.number().int().min(1).max(65535).optional(),
      ports: z.array(z.number().int().min(1).max(65535)).min(1).max(16).optional(),
    })
    .optional(),
});
export type Site = z.infer<typeof SiteSchema>;

export const PeerViewSchema = z.object({
  publicKey: z.string(),
  endpoint: z.string().nullable(),
  allowedIps: z.array(z.string()),
  persistentKeepalive: z.number().nullable(),
  hasPresharedKey: z.boolean(),
});

export const ProfileViewSchema = z.object({
  name: z.string(),
  /** First peer's endpoint as `host:port` / `[v6]:port`. */
  endpoint: z.string().nullable(),
  addresses: z.array(z.string()),
  /** Derived from the private key (never the private key itself). */
  publicKey: z.string(),
  dns: z.array(z.string()),
  dnsSearch: z.array(z.string()),
  mtu: z.number().nullable(),
  /** A local MTU chosen on this computer (e.g. by the MTU fix); overrides `mtu` when bringing the tunnel up. */
  mtuOverride: z.number().nullable(),
  warnings: z.array(ProfileIssueSchema),
  site: SiteSchema.nullable(),
  origin: z.enum(['user', 'policy']),
  importedAt: z.string(),
  sourceFileName: z.string().nullable(),
  peers: z.array(PeerViewSchema),
});
export type ProfileView = z.infer<typeof ProfileViewSchema>;

/** The input of import/check: a `.conf` as text, or a `.conf`/`.zip` as base64 bytes, with its file name. */
export const ProfileInputSchema = z
  .object({
    fileName: z.string().min(1).max(255),
    text: z.string().max(256 * 1024).optional(),
    base64: z.string().max(8 * 1024 * 1024).optional(),
    /** Store under this name instead of the one derived from the file name (single .conf only). */
    name: NAME.optional(),
  })
  .strict()
  .refine((v) => (v.text === undefined) !== (v.base64 === undefined), { message: 'give exactly one of text or base64' });

export const ProfileCheckEntrySchema = z.object({
  /** The file (or zip entry base name) this result is about. */
  fileName: z.string(),
  name: z.string(),
  nameSuggested: z.boolean(),
  valid: z.boolean(),
  errors: z.array(ProfileIssueSchema),
  warnings: z.array(ProfileIssueSchema),
  /** Set by import when the profile was stored. */
  profile: ProfileViewSchema.optional(),
});
export type ProfileCheckEntry = z.infer<typeof ProfileCheckEntrySchema>;

export const ProfileBatchSchema = z.object({
  entries: z.array(ProfileCheckEntrySchema),
  /** Problems with the container itself (zip caps, duplicates, bad site.json, no .conf inside). */
  bundleErrors: z.array(ProfileIssueSchema),
  bundleWarnings: z.array(ProfileIssueSchema),
  site: SiteSchema.nullable(),
});
export type ProfileBatch = z.infer<typeof ProfileBatchSchema>;

export const profilesCalls = {
  'profiles.list': call(
    z.object({}).strict(),
    z.object({
      profiles: z.array(ProfileViewSchema),
      secretStore: z.object({ kind: z.enum(['file', 'secret-tool']), warning: z.string().nullable() }),
    }),
  ),
  'profiles.get': call(z.object({ name: NAME }).strict(), ProfileViewSchema),
  /** Validate and store; an existing name is never overwritten (the entry fails with code `name.exists`). */
  'profiles.import': call(ProfileInputSchema, ProfileBatchSchema),
  /** Validate without storing. */
  'profiles.check': call(ProfileInputSchema, ProfileBatchSchema),
  'profiles.remove': call(z.object({ name: NAME }).strict(), z.null()),
  'profiles.setMtuOverride': call(z.object({ name: NAME, mtu: z.number().int().min(576).max(65535).nullable() }).strict(), ProfileViewSchema),
};

export const profilesEvents = {
  'profiles.changed': event(z.object({ profiles: z.array(ProfileViewSchema) })),
};
