/**
 * The `--json` documents of the CLI, as zod schemas composed from the contract's (one source): docs/schemas/*.json are
 * generated from these (`cliJsonSchema`; a unit test fails when a file drifts, `UPDATE_CLI_SCHEMAS=1` rewrites them).
 * `policy list` and `capacity` have no zod model and are hand-written JSON Schema files (HAND_WRITTEN below).
 * Every document carries `schemaVersion: 1` (printJson adds it); fields are only ever added. Environment: plain Node (zod, the contract and the CLI's error codes).
 */
import { z } from 'zod';
import { DiagnosisSchema } from '../contract/diagnosis';
import { ProfileCheckEntrySchema, ProfileIssueSchema, ProfileViewSchema, SiteSchema } from '../contract/profiles';
import { ReportCreatedSchema } from '../contract/report';
import { LaunchPlanSchema, ProbeResultSchema, SessionRecordSchema } from '../contract/stream';
import { TunnelStatusSchema } from '../contract/tunnel';
import { CLI_ERROR_CODES, type CliErrorCode } from './command';

const SchemaVersion = z.literal(1).describe('Version of this document\'s shape; within version 1 fields are only ever added.');

function doc<T extends z.ZodRawShape>(shape: T) {
  return z.object({ schemaVersion: SchemaVersion, ...shape });
}

/** A contract object's fields, each with a description for the published schema (every field must have one). */
function described<T extends z.ZodRawShape>(shape: T, texts: { [K in keyof T]: string }): T {
  return Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, (v as z.ZodType).describe(texts[k as keyof T])])) as unknown as T;
}


export const ErrorOutputSchema = doc({
  error: z
    .object({
      code: z.enum(Object.values(CLI_ERROR_CODES) as [CliErrorCode, ...CliErrorCode[]]).describe('Stable machine-readable code (docs/cli.md); switch on this, not on the message.'),
      message: z.string().describe('What went wrong, in plain words (the same text the human mode prints).'),
      fix: z.string().optional().describe('What to do about it, when known (e.g. the usage line).'),
    })
    .describe('The failure; no other field is printed.'),
});

// The one diagnosis document (contract/diagnosis.ts): the same shape as `checks.done` and the report's diagnosis.
const { schemaVersion: _diagnosisVersion, ...D } = DiagnosisSchema.shape;
export const DiagnoseOutputSchema = doc({
  ...D,
  verdict: D.verdict.describe('healthy (exit 0), degraded (warnings only, exit 1) or broken (error findings, exit 1).'),
  pathMtu: D.pathMtu.describe('Largest packet (IPv4 bytes) the tunnel carries, measured; null when not measured.'),
  rttMs: D.rttMs.describe('Round trip to the gateway through the tunnel; null when no answer.'),
  profile: D.profile.describe("The profile checked (stored name, or the .conf file's base name)."),
  interface: D.interface.describe('The tunnel interface checked.'),
  site: D.site.describe("The site file's name; null when the profile has none."),
  startedAt: D.startedAt.describe('When the checks started (ISO 8601, UTC).'),
  durationMs: D.durationMs.describe('How long the whole diagnosis took.'),
  findings: D.findings.describe('What is wrong and its fix, most important first; codes are listed in docs/checks.md (an enum here).'),
  checks: D.checks.describe('Every self-check in run order, with what was sent and what came back (evidence).'),
});

export const StatusOutputSchema = doc({
  tunnels: z.array(TunnelStatusSchema).describe('One entry per tunnel (status: every tunnel Longhaul knows, or the one named; up/down: the one acted on).'),
});

const IssueList = z.array(ProfileIssueSchema);

export const ProfileListOutputSchema = doc({
  profiles: z
    .array(
      ProfileViewSchema.pick({ name: true, endpoint: true, addresses: true, publicKey: true, warnings: true, dns: true, mtu: true, mtuOverride: true }).extend({
        site: z.string().nullable().describe('The name of the profile\'s site (from its bundle\'s site.json); null without one.'),
      }),
    )
    .describe('Stored profiles (public data only: the public key is derived, no private or preshared key is ever printed).'),
  secretStore: z
    .object({ kind: z.enum(['file', 'secret-tool']), warning: z.string().nullable() })
    .describe('Where the profiles\' private keys are kept, with a warning when the store is weaker than wanted.'),
});

const CheckEntry = ProfileCheckEntrySchema.omit({ profile: true });

export const ProfileCheckOutputSchema = doc({
  valid: z.boolean().describe('Every profile in the input is valid (exit 0); false: exit 1.'),
  name: z.string().describe('The first profile\'s tunnel name (empty when there is none).'),
  nameSuggested: z.boolean().describe('The name was made up because the file name is not a valid tunnel name.'),
  errors: IssueList.describe('Errors of the bundle and of every profile in it.'),
  warnings: IssueList.describe('Warnings of the bundle and of every profile in it.'),
  entries: z.array(CheckEntry).optional().describe('Per profile (only for a .zip bundle, or when the bundle itself has errors).'),
  site: SiteSchema.nullable().optional().describe('The bundle\'s site.json (only with entries).'),
});

export const ProfileImportOutputSchema = doc({
  imported: z.array(z.string()).describe('Names of the profiles stored.'),
  entries: z
    .array(
      CheckEntry.extend({
        imported: z.boolean(),
        publicKey: z.string().nullable().describe('This computer\'s public key for the stored profile; null when not imported.'),
      }),
    )
    .describe('Per profile in the input.'),
  errors: IssueList.describe('Errors of the bundle itself.'),
  warnings: IssueList.describe('Warnings of the bundle itself.'),
  site: SiteSchema.nullable().describe('The bundle\'s site.json; null without one.'),
});

export const ProfileRemoveOutputSchema = doc({
  name: z.string().describe('The name asked for.'),
  removed: z.boolean().describe('True when the profile existed and was removed (exit 0); false: exit 1.'),
});

export const StreamOutputSchema = doc({
  ...described(LaunchPlanSchema.shape, {
    executable: 'The Moonlight program run (or that would run).',
    argv: 'Moonlight\'s arguments, exactly as passed (no shell).',
    packetSize: 'The --packet-size passed to Moonlight; null when Moonlight chooses (it uses 1024 over a VPN).',
    maxPacketSize: 'The largest video packet the measured path carries; null when the path MTU is unknown.',
    gate: 'The pre-flight gate\'s items in order, with the finding and its fix when one is red.',
    blocked: 'True when a red item stops the launch (exit 1).',
    overridden: 'True when --override launched despite a red item.',
    notes: 'Why settings were adjusted (e.g. 4:4:4 not offered by the host).',
    bitrateKbps: 'The --bitrate passed to Moonlight (Kbps): the need, or the fitted rate when the line carries less; null when no argv was built.',
    capacity: 'The line measured through the tunnel (the same object as `longhaul capacity --json`), or why it was not.',
  }),
  app: z.string().describe('The Sunshine app launched (default Desktop).'),
  moonlightVersion: z.string().nullable().describe('The Moonlight version found; null when it could not be read.'),
  dryRun: z.boolean().describe('True with --dry-run: nothing was launched.'),
  session: SessionRecordSchema.optional().describe('The finished stream (only when Moonlight was launched).'),
});

export const ReportOutputSchema = doc({
  ...described(ReportCreatedSchema.pick({ path: true, supportId: true, verdict: true, uploaded: true }).shape, {
    path: 'Where the zip was written.',
    supportId: 'The report\'s support ID (LH-YYYYMMDD-xxxxxxxx), to quote to support.',
    verdict: 'The diagnosis verdict inside the report (unknown when no profile was given).',
    uploaded: 'True when --upload sent it to the support URL the policy names.',
  }),
  uploadError: z.string().optional().describe('Why the upload failed (exit 2; the zip was still written).'),
});

export const SunshineProbeOutputSchema = doc(
  described(ProbeResultSchema.shape, {
    host: 'The host asked for.',
    address: 'The address it resolved to; null when it did not resolve.',
    result: 'ok (exit 0), or why not: unreachable, not-listening, not-sunshine, busy (exit 1).',
    detail: 'What was found, in plain words.',
    ports: 'Each Sunshine TCP port (47984, 47989, 48010): open or not.',
    serverinfo: 'The host\'s /serverinfo, decoded; null when it did not answer.',
    badges: 'What the host can stream: 4:4:4, HDR, AV1.',
  }),
);

export const VersionOutputSchema = doc({
  version: z.string().describe('Longhaul\'s version.'),
  appId: z.string().describe('The application id (studio.longhaul.client).'),
  node: z.string().describe('The Node.js version the CLI runs on.'),
});

export interface OutputSchemaEntry {
  /** docs/schemas/<file>.schema.json */
  file: string;
  title: string;
  description: string;
  /** The commands (`COMMANDS[].name`) printing this document with --json; `error` prints for any of them. */
  commands: readonly string[];
  /** null: hand-written (no zod model). */
  zod: z.ZodType | null;
}

export const OUTPUT_SCHEMAS: readonly OutputSchemaEntry[] = [
  { file: 'diagnose', title: 'longhaul diagnose --json', description: 'The diagnosis: verdict, findings with fixes, every check with its evidence.', commands: ['diagnose'], zod: DiagnoseOutputSchema },
  { file: 'status', title: 'longhaul status|up|down --json', description: 'Tunnel status: state, reason, handshake age, traffic, peers.', commands: ['status', 'up', 'down'], zod: StatusOutputSchema },
  { file: 'profile-list', title: 'longhaul profile list --json', description: 'Stored profiles (public data only).', commands: ['profile list'], zod: ProfileListOutputSchema },
  { file: 'profile-check', title: 'longhaul profile check --json', description: 'Validation of a .conf or .zip bundle without storing it.', commands: ['profile check'], zod: ProfileCheckOutputSchema },
  { file: 'profile-import', title: 'longhaul profile import --json', description: 'What was imported and what was rejected, and why.', commands: ['profile import'], zod: ProfileImportOutputSchema },
  { file: 'profile-remove', title: 'longhaul profile remove --json', description: 'Whether the profile was removed.', commands: ['profile remove'], zod: ProfileRemoveOutputSchema },
  { file: 'stream', title: 'longhaul stream --json (with or without --dry-run)', description: 'The pre-flight gate, Moonlight\'s command line and, after a launch, the session.', commands: ['stream'], zod: StreamOutputSchema },
  { file: 'report', title: 'longhaul report --json', description: 'Where the support report was written, its support ID and verdict, and the upload.', commands: ['report'], zod: ReportOutputSchema },
  { file: 'sunshine-probe', title: 'longhaul sunshine probe --json', description: 'A Sunshine host\'s ports, /serverinfo and codecs.', commands: ['sunshine probe'], zod: SunshineProbeOutputSchema },
  { file: 'version', title: 'longhaul version --json', description: 'Version information.', commands: ['version'], zod: VersionOutputSchema },
  { file: 'policy-list', title: 'longhaul policy list --json', description: 'Hand-written (core/policy/listing.ts has no zod model).', commands: ['policy list'], zod: null },
  { file: 'capacity', title: 'longhaul capacity --json', description: 'Hand-written from core/capacity CapacityResult (docs/capacity.md).', commands: ['capacity'], zod: null },
  { file: 'error', title: 'longhaul … --json: a failure', description: 'What every command prints on stdout instead of its document when it fails (exit 2, or the code given).', commands: [], zod: ErrorOutputSchema },
];

export const SCHEMA_ID_BASE = 'https://longhaul.studio/schemas/cli/';

/** The JSON Schema (draft 2020-12) of a generated entry, as docs/schemas/<file>.schema.json holds it. */
export function cliJsonSchema(entry: OutputSchemaEntry): Record<string, unknown> {
  if (!entry.zod) throw new Error(`${entry.file}.schema.json is hand-written`);
  const { $schema, ...rest } = z.toJSONSchema(entry.zod, { target: 'draft-2020-12', io: 'output', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    $schema,
    $id: `${SCHEMA_ID_BASE}${entry.file}-v1.json`,
    title: entry.title,
    description: `${entry.description} schemaVersion 1; generated from src-main/cli/output-schemas.ts (docs/cli.md).`,
    ...rest,
  };
}
