/**
 * Contract: the Stream page — hosts, Sunshine probe, pairing, Moonlight settings, the pre-flight gate, launch and
 * session events. Environment: any (zod only). Handlers: core/stream/handlers.ts.
 */
import { z } from 'zod';
import { call, event } from './define';
import { HostSchema, IssuedIdSchema, StoredProfileRefSchema } from './names';

const Host = HostSchema;

export const VideoCodecSchema = z.enum(['auto', 'H.264', 'HEVC', 'AV1']);
export const DisplayModeSchema = z.enum(['fullscreen', 'windowed', 'borderless']);

/** What the artist chooses; the argv builder turns it into moonlight-qt options (bitrate always passed). */
export const StreamSettingsSchema = z
  .object({
    width: z.number().int().min(256).max(7680),
    height: z.number().int().min(144).max(4320),
    fps: z.number().int().min(10).max(480),
    /** Kbps; null = Moonlight's own default for the resolution/fps (computed here and passed explicitly). */
    bitrateKbps: z.number().int().min(500).max(500_000).nullable(),
    videoCodec: VideoCodecSchema,
    /** Wanted; passed only when the host advertises 4:4:4 for the codec and Moonlight ≥ 6.1.0. */
    yuv444: z.boolean(),
    /** Wanted; passed only with a Main10 mode on the host and Moonlight ≥ 6.0.0. */
    hdr: z.boolean(),
    displayMode: DisplayModeSchema,
    /** Desktop/pen-friendly mouse (`--absolute-mouse`). */
    absoluteMouse: z.boolean(),
    audioConfig: z.enum(['stereo', '5.1-surround', '7.1-surround']),
    videoDecoder: z.enum(['auto', 'software', 'hardware']),
    /** Lets Sunshine change the host's display mode. */
    gameOptimization: z.boolean(),
    quitAfter: z.boolean(),
    vsync: z.boolean(),
    framePacing: z.boolean(),
    /** Opt-in: pass `--packet-size` = the largest size the measured path carries (switches Moonlight to LAN mode). */
    maxPacketSize: z.boolean(),
  })
  .strict();
export type StreamSettings = z.infer<typeof StreamSettingsSchema>;

export const ProbeResultKindSchema = z.enum(['ok', 'unreachable', 'not-listening', 'not-sunshine', 'busy']);

export const ServerInfoViewSchema = z.object({
  hostname: z.string(),
  appversion: z.string(),
  state: z.string().nullable(),
  httpsPort: z.number().nullable(),
  externalPort: z.number().nullable(),
  uniqueid: z.string().nullable(),
  localIp: z.string().nullable(),
  codecMask: z.number(),
  codecs: z.array(z.string()),
  flavor: z.enum(['sunshine', 'gamestream']),
  busy: z.boolean(),
});

export const ProbeResultSchema = z.object({
  host: z.string(),
  address: z.string().nullable(),
  result: ProbeResultKindSchema,
  detail: z.string(),
  ports: z.record(z.string(), z.boolean()),
  serverinfo: ServerInfoViewSchema.nullable(),
  /** Badges for the host card. */
  badges: z.object({ yuv444: z.boolean(), hdr: z.boolean(), av1: z.boolean() }),
});
export type ProbeResultView = z.infer<typeof ProbeResultSchema>;

export const StreamHostSchema = z.object({
  name: z.string(),
  host: z.string(),
  app: z.string().nullable(),
  parsecPeerId: z.string().nullable(),
  source: z.enum(['site', 'manual']),
});

export const GateItemSchema = z.object({
  id: z.string(),
  status: z.enum(['pass', 'warn', 'fail', 'skip']),
  summary: z.string(),
  findingCode: z.string().optional(),
  fix: z.string().optional(),
});

/** One step of the stream-fitness measurement (core/capacity, docs/capacity.md). */
export const CapacityStepSchema = z
  .object({
    port: z.number(),
    rateKbps: z.number(),
    burst: z.number(),
    sentKbps: z.number(),
    receivedKbps: z.number(),
    sentPackets: z.number(),
    receivedPackets: z.number(),
    lossPercent: z.number(),
    jitterMs: z.number(),
    delayGrowthMs: z.number(),
    outOfOrder: z.number(),
    durationMs: z.number(),
    setupMs: z.number(),
    stoppedEarly: z.enum(['loss', 'delay', 'bytes']).nullable(),
    passed: z.boolean(),
    limit: z.enum(['capacity', 'bufferbloat', 'loss']).nullable(),
  })
  .strict();

/**
 * The line's stream fitness: what `longhaul capacity --json` prints (plus schemaVersion), `capacity` of
 * `longhaul stream --dry-run --json`, and what the Stream page shows. `measured`: the fit (`downKbps`, the bitrate the
 * line carries cleanly); `unmeasured`: not tried (`reason` policy-off, no-probe, gate-blocked); `failed`: tried, and
 * `reason` is the CapacityError code.
 */
export const CapacityMeasuredSchema = z
  .object({
    status: z.literal('measured'),
    profile: z.string().nullable(),
    measuredAt: z.string(),
    /** What the chosen settings need (kbit/s); the measurement's first step is this ÷ 0.8. */
    neededKbps: z.number(),
    downKbps: z.number(),
    lossPercent: z.number(),
    jitterMs: z.number(),
    delayGrowthMs: z.number(),
    durationMs: z.number(),
    bytes: z.number(),
    server: z.object({ host: z.string(), port: z.number() }).strict(),
    steps: z.array(CapacityStepSchema).max(16),
    limit: z.enum(['none', 'capacity', 'bufferbloat', 'loss']),
    targetKbps: z.number(),
    packetBytes: z.number(),
    fps: z.number(),
    truncated: z.boolean(),
    /**
     * Per-network memory (docs/capacity.md): the network measured on (an opaque 16-hex id, never a MAC), the last
     * measured fit on it for this profile, and `fell` (the sentence) when this fit is below 70 % of that one.
     * Absent when the network is unknown (not Linux, no next-hop MAC). Never saved.
     */
    network: z
      .object({
        id: z.string().regex(/^[0-9a-f]{16}$/),
        previousKbps: z.number().nullable(),
        previousAt: z.string().nullable(),
        fell: z.string().max(300).nullable(),
      })
      .strict()
      .optional(),
  })
  .strict();
export const CapacityNotMeasuredSchema = z
  .object({
    status: z.enum(['unmeasured', 'failed']),
    profile: z.string().nullable(),
    measuredAt: z.string().nullable(),
    neededKbps: z.number().nullable(),
    reason: z.string().max(64),
    message: z.string().max(2000),
    /**
     * Per-network memory (docs/capacity.md "Known-good"): the last measured fit for this profile on the network the
     * machine is on now, when this measurement did not run or failed. The gate then passes Moonlight that (at most
     * what the settings need) instead of an unproven need; the item still warns. Absent when the network is unknown
     * or nothing was measured on it. Never saved.
     */
    knownGood: z
      .object({
        networkId: z.string().regex(/^[0-9a-f]{16}$/),
        downKbps: z.number(),
        measuredAt: z.string(),
      })
      .strict()
      .optional(),
  })
  .strict();
export const CapacitySchema = z.discriminatedUnion('status', [CapacityMeasuredSchema, CapacityNotMeasuredSchema]);
export type CapacityDoc = z.infer<typeof CapacitySchema>;
export type CapacityMeasured = z.infer<typeof CapacityMeasuredSchema>;

export const LaunchPlanSchema = z.object({
  executable: z.string(),
  argv: z.array(z.string()),
  packetSize: z.number().nullable(),
  maxPacketSize: z.number().nullable(),
  gate: z.array(GateItemSchema),
  blocked: z.boolean(),
  overridden: z.boolean(),
  notes: z.array(z.string()),
  /** The `--bitrate` passed to Moonlight (the fitted one when the line carries less than the settings need). */
  bitrateKbps: z.number().nullable(),
  capacity: CapacitySchema.nullable(),
});

export const MoonlightInfoSchema = z.object({
  found: z.boolean(),
  executable: z.string().nullable(),
  kind: z.string().nullable(),
  version: z.string().nullable(),
  hint: z.string().nullable(),
});

/** One moment of a stream session the watch explained (core/stream/watch): dropped frames and their cause, a roam, a failure line. */
export const TimelineEntrySchema = z.object({
  at: z.string(),
  kind: z.enum(['dropped-frames', 'endpoint-changed', 'failure', 'warning']),
  frames: z.number().int().nullable(),
  cause: z.enum(['endpoint-roamed', 'handshake-stalled', 'tunnel-loss', 'rtt-spike', 'local', 'unmeasured']).nullable(),
  text: z.string(),
  evidence: z.record(z.string(), z.union([z.number(), z.string(), z.null()])),
});

export const SessionRecordSchema = z.object({
  sessionId: z.string(),
  host: z.string(),
  app: z.string(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  outcome: z.enum(['running', 'ended', 'failed', 'cancelled']),
  failure: z.string().nullable(),
  droppedFrames: z.number(),
  advice: z.array(z.string()),
  argv: z.array(z.string()),
  gateOverridden: z.boolean(),
  /** What the watch saw while the stream ran (absent in records written before the watch existed). */
  timeline: z.array(TimelineEntrySchema).optional(),
  /** Whether the tunnel was probed during the session (false: no gateway known, or no probe on this platform). */
  watched: z.boolean().optional(),
});

export const streamCalls = {
  'stream.hosts': call(z.object({}).strict(), z.object({ hosts: z.array(StreamHostSchema) })),
  'stream.addHost': call(z.object({ name: z.string().min(1).max(80), host: Host, app: z.string().max(200).optional() }).strict(), z.object({ hosts: z.array(StreamHostSchema) })),
  'stream.moonlight': call(z.object({}).strict(), MoonlightInfoSchema),
  /**
   * The artist picks the Moonlight program in a file dialog main opens (the renderer never names a program main runs);
   * `chosen: false` when the dialog was cancelled. Main checks the pick is Moonlight before saving it.
   */
  'stream.chooseMoonlight': call(z.object({}).strict(), MoonlightInfoSchema.extend({ chosen: z.boolean() })),
  /** Forget the chosen Moonlight: back to finding it in the usual places. */
  'stream.resetMoonlight': call(z.object({}).strict(), MoonlightInfoSchema),
  'stream.probe': call(z.object({ host: Host }).strict(), ProbeResultSchema),
  'stream.pairStart': call(
    z.object({ host: Host }).strict(),
    z.object({ pairingId: z.string(), pin: z.string(), hostname: z.string().nullable(), enterAt: z.string(), instructions: z.string() }),
  ),
  'stream.pairConfirm': call(z.object({ pairingId: IssuedIdSchema }).strict(), z.object({ paired: z.boolean(), detail: z.string() })),
  'stream.defaults': call(z.object({}).strict(), StreamSettingsSchema),
  'stream.launch': call(
    z
      .object({
        host: Host,
        app: z.string().min(1).max(200).optional(),
        settings: StreamSettingsSchema.partial().optional(),
        /** The artist knowingly launches despite a red gate (refused when policy requireGate). */
        override: z.boolean().optional(),
        dryRun: z.boolean().optional(),
        /** A stored profile's tunnel to check first (never a file). */
        profile: StoredProfileRefSchema.optional(),
      })
      .strict(),
    LaunchPlanSchema.extend({ sessionId: z.string().nullable() }),
  ),
  /**
   * Measure the line for these settings through the profile's tunnel (the site's capacityProbe) and decide the bitrate:
   * the measured line, the bitrate Moonlight would get and why (the gate's capacity items).
   */
  'stream.capacity': call(
    z.object({ host: Host, settings: StreamSettingsSchema.partial().optional(), profile: StoredProfileRefSchema.optional() }).strict(),
    z.object({ capacity: CapacitySchema, bitrateKbps: z.number(), neededKbps: z.number(), why: z.string(), items: z.array(GateItemSchema) }).strict(),
  ),
  /** The profile's last stored stream-fitness outcome (`<data dir>/state/capacity.json`), read only: nothing is measured. */
  /** The profile's last stored line result and, when it was measured, the bitrate Moonlight would get from it with the
   * saved stream settings (the artist's bitrate or Moonlight's 4:2:0 default as the need; core/stream/capacity-item.ts
   * storedLineBitrate); null otherwise. Nothing is measured. */
  'stream.lastCapacity': call(
    z.object({ profile: StoredProfileRefSchema }).strict(),
    z
      .object({
        capacity: CapacitySchema.nullable(),
        bitrateKbps: z.number().nullable(),
        /** Where it was measured, seen from the network this computer is on now (core/capacity/last-result.ts
         * lineForNetwork): 'this' (the outcome on this network), 'other' (another network's: no bitrate is claimed
         * from it), 'unknown'. */
        network: z.enum(['this', 'other', 'unknown']),
      })
      .strict(),
  ),
  'stream.history': call(z.object({ limit: z.number().int().min(1).max(500).optional() }).strict(), z.object({ sessions: z.array(SessionRecordSchema) })),
  'stream.parsec': call(z.object({ peerId: z.string().min(1).max(128) }).strict(), z.object({ opened: z.boolean(), url: z.string() })),
};

export const streamEvents = {
  'stream.gateProgress': event(z.object({ host: z.string(), item: GateItemSchema })),
  'stream.session': event(
    z.object({
      sessionId: z.string(),
      type: z.enum(['started', 'warning', 'failure', 'ended']),
      text: z.string(),
      record: SessionRecordSchema.optional(),
    }),
  ),
};
