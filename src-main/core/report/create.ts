/**
 * Build a report: collect everything raw, register every secret and identity with ONE anonymiser, anonymise the
 * whole document once, validate it against the schema. Environment: plain Node. Never changes tunnel state: every
 * source is read-only. Never throws for a failing part: that part becomes a `failed` section.
 */
import * as os from 'node:os';
import { APP_VERSION, PRODUCT_NAME } from '../app/identity';
import { globalRedactor } from '../log/redact';
import { POLICY_KEYS, type PolicyKey } from '../policy/policy';
import { Anonymizer, type RedactionMode } from './anonymize/anonymizer';
import { collectDns, collectNetwork, collectTools, osInfo } from './collect/environment';
import { collectLogs, LOG_CAP_PER_FILE, LOG_CAP_TOTAL } from './collect/logs';
import { failed, ok, ReportSchema, unavailable, type Report, type ReportVerdict, type Section } from './model';
import { REPORT_STEPS, type ReportProgress, type ReportSources, type ReportStep } from './sources';
import { machineIdHash, newSupportId } from './support-id';

export interface CreateReportOptions {
  sources: ReportSources;
  mode: RedactionMode;
  face: string;
  now?: Date;
  supportId?: string;
  /** Extra secret values to remove (keys the caller holds). */
  secrets?: readonly string[];
  /** For tests: identity the anonymiser treats as the current user. */
  homedir?: string;
  username?: string;
  machineId?: () => string | null;
  onProgress?: (p: ReportProgress) => void;
  signal?: AbortSignal;
}

export interface CreatedReport {
  report: Report;
  anonymizer: Anonymizer;
}

const msg = (e: unknown) => (e instanceof Error ? e.message : String(e));

async function section<T>(get: (() => Promise<T | null>) | undefined, missing: string): Promise<Section<T>> {
  if (!get) return unavailable(missing);
  try {
    const v = await get();
    return v === null ? unavailable(missing) : ok(v);
  } catch (e) {
    return failed(msg(e));
  }
}

export const REDACTION_RULES: Record<RedactionMode, string[]> = {
  normal: [
    'Private and preshared keys removed everywhere ([REDACTED-KEY]), logs and raw command output included; so is every other 44-character key-shaped token (any letter case) that is not a known public key (a publicKey field, a peer\'s PublicKey, this computer\'s public key).',
    'Public IP addresses mapped consistently to documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32); every documentation-range address in this report is such a pseudonym.',
    'Private (10/8, 172.16/12, 192.168/16, fc00::/7), CGNAT (100.64/10), loopback and link-local addresses kept.',
    'Home directories and usernames replaced by ~.',
    'The machine identifier is a salted SHA-256 hash, never the raw id.',
  ],
  strict: [
    'Everything in normal mode, plus:',
    'Private and CGNAT addresses mapped consistently to 198.18.0.0/15 (IPv4) and 2001:db8:1::/48 (IPv6).',
    'WireGuard public keys (every key-shaped token that is not a secret) replaced by [wg-key-N] and hostnames by host-N(.example), consistently across files.',
  ],
};

export async function createReport(opts: CreateReportOptions): Promise<CreatedReport> {
  const { sources } = opts;
  const now = opts.now ?? new Date();
  const supportId = opts.supportId ?? newSupportId(now);
  let done = 0;
  const total = REPORT_STEPS.length;
  const step = <T>(name: ReportStep, p: Promise<T>): Promise<T> =>
    p.finally(() => {
      done++;
      opts.onProgress?.({ step: name, done, total });
    });

  // Profile first: its keys must be known before anything else is anonymised (they are, because anonymising happens
  // after collection; collecting it first also lets diagnose and the profile section agree).
  const profileRaw = await step('profile', section(sources.profile, sources.missing?.profile ?? 'no profile selected'));
  const [diagnosis, tools, net, dns, tunnel, site, streams, capacity, policy, logs] = await Promise.all([
    step('diagnose', section(sources.diagnose ? () => sources.diagnose!(opts.signal) : undefined, sources.missing?.diagnose ?? 'the checks engine is not available in this build')),
    collectTools(sources.env),
    collectNetwork(sources.env),
    step('environment', collectDns(sources.env)),
    step('tunnel', section(sources.tunnelStatus, sources.missing?.tunnel ?? 'tunnel status not available in this build')),
    step('site', section(sources.site, sources.missing?.site ?? 'no site file')),
    step('streams', section(sources.streamHistory, sources.missing?.streams ?? 'stream history not available in this build')),
    section(sources.capacity, sources.missing?.capacity ?? 'the line has not been measured for this profile'),
    step(
      'policy',
      section(async () => {
        const eff = await sources.policy();
        return {
          values: eff.values.map((v) => ({
            ...v,
            value: POLICY_KEYS[v.key as PolicyKey]?.redact && v.locked ? `[managed value, ${Array.isArray(v.value) ? v.value.length : 1} item(s)]` : v.value,
          })),
          refused: eff.refused,
          unknownKeys: eff.unknownKeys,
        };
      }, 'no policy'),
    ),
    step(
      'logs',
      section(async () => ({ capPerFileBytes: LOG_CAP_PER_FILE, capTotalBytes: LOG_CAP_TOTAL, files: await collectLogs(sources.logFiles()) }), 'no logs'),
    ),
  ]);

  const anonymizer = new Anonymizer({ mode: opts.mode, homedir: opts.homedir, username: opts.username });
  for (const s of opts.secrets ?? []) anonymizer.addSecret(s);
  if (profileRaw.data) {
    for (const s of profileRaw.data.secrets) anonymizer.addSecret(s);
    for (const h of profileRaw.data.hostnames) anonymizer.addHostname(h);
  }
  if (site.data) for (const h of site.data.hostnames) anonymizer.addHostname(h);
  anonymizer.addHostname(os.hostname());

  const verdict: ReportVerdict = diagnosis.data?.verdict ?? 'unknown';
  const raw = {
    diagnosis,
    environment: {
      os: osInfo(),
      node: process.versions.node,
      tools,
      interfaces: net.interfaces,
      routes: net.routes,
      rules: net.rules,
      dns,
    },
    tunnel,
    profile: profileRaw.data
      ? ok({ name: profileRaw.data.name, source: profileRaw.data.source, profile: globalRedactor.redactValue(profileRaw.data.profile), warnings: profileRaw.data.warnings })
      : { ...profileRaw, data: null },
    site: site.data ? ok({ path: site.data.path, data: site.data.data }) : { ...site, data: null },
    streams,
    capacity,
    policy,
    logs,
  };
  anonymizer.learn(raw);
  const anonymised = anonymizer.value(raw);
  done++;
  opts.onProgress?.({ step: 'anonymize', done, total });

  const report: Report = {
    schemaVersion: 1,
    supportId,
    createdAt: now.toISOString(),
    app: { name: PRODUCT_NAME, version: APP_VERSION, face: opts.face },
    verdict,
    redaction: { mode: opts.mode, rules: REDACTION_RULES[opts.mode], counts: anonymizer.stats() },
    ...anonymised,
    environment: { ...anonymised.environment, machineIdHash: machineIdHash(opts.machineId ? () => opts.machineId!() ?? '' : undefined) },
  } as Report;
  const checked = ReportSchema.safeParse(report);
  if (!checked.success) {
    const i = checked.error.issues[0]!;
    throw new Error(`internal: the report does not match its schema at ${i.path.join('.')}: ${i.message}`);
  }
  return { report: checked.data, anonymizer };
}
