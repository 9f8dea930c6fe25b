/**
 * `longhaul stream HOST [APP] [--profile FILE|NAME] [--site FILE] [--max-packet-size] [--override] [--moonlight PATH]
 * [--dry-run] [--json]`: run the pre-flight gate, build Moonlight's argv, and launch (or, with --dry-run, print what
 * would run). Exit 1 when the gate blocks (or the stream failed), 2 when Moonlight is missing or the input is bad.
 * `--dry-run --json`: {schemaVersion, executable, argv, packetSize, maxPacketSize, gate[], blocked, bitrateKbps,
 * capacity (the line's measurement, as `longhaul capacity --json` prints it, or why there is none), …}.
 * Environment: plain Node.
 */
import { handshakeReader } from '../../core/stream/watch/handshake';
import * as path from 'node:path';
import { createCheckSystem } from '../../core/checks/run';
import { createStreamCapacity } from '../../core/stream/capacity-wiring';
import { createChecksGateRunner } from '../../core/stream/gate-checks';
import type { GateCheckResult } from '../../core/stream/gate';
import { ArgvError } from '../../core/stream/argv';
import { StreamError, StreamService, type LaunchPlan } from '../../core/stream/service';
import { SettingsError } from '../../core/stream/settings';
import { hostsFromSite, storedSiteHosts } from '../../core/stream/site-hosts';
import { checkTargetOf, loadSiteFile, ProfileResolveError } from '../../core/profiles/resolve';
import { CliError, EXIT, paint, printJson, type CliIO, type Command } from '../command';

const MARK = { pass: '✓', warn: '!', fail: '✗', skip: '-' } as const;
const COLOUR = { pass: 'green', warn: 'yellow', fail: 'red', skip: 'dim' } as const;

function gateLine(io: CliIO, i: GateCheckResult): string {
  return `${paint(io, COLOUR[i.status], MARK[i.status])} ${i.id.padEnd(16)} ${i.summary}${i.status === 'fail' && i.fix ? `\n    Fix: ${i.fix}` : ''}`;
}

function planDoc(plan: LaunchPlan) {
  return {
    executable: plan.executable,
    argv: plan.argv,
    packetSize: plan.packetSize,
    maxPacketSize: plan.maxPacketSize,
    gate: plan.gate.items.map((i) => ({ id: i.id, status: i.status, summary: i.summary, ...(i.findingCode ? { findingCode: i.findingCode } : {}), ...(i.fix ? { fix: i.fix } : {}) })),
    blocked: plan.blocked,
    overridden: plan.gate.overridden,
    app: plan.app,
    moonlightVersion: plan.install.versionText,
    notes: plan.notes,
    bitrateKbps: plan.bitrateKbps,
    capacity: plan.capacity,
  };
}

export const streamCommand: Command = {
  name: 'stream',
  summary: 'Check the tunnel and launch Moonlight to a Sunshine host',
  usage: 'HOST [APP] [--profile FILE|NAME] [--site FILE] [--max-packet-size] [--override] [--moonlight PATH] [--dry-run] [--json]',
  options: {
    profile: { type: 'string', description: 'the tunnel: a .conf file or a stored profile (default: the connected tunnel)' },
    site: { type: 'string', description: 'a site.json (default: the stored profiles\' sites)' },
    'max-packet-size': { type: 'boolean', description: 'send the largest video packets the tunnel carries (switches Moonlight to LAN mode)' },
    override: { type: 'boolean', description: 'launch even though a pre-flight check is red (refused when policy requires the gate)' },
    moonlight: { type: 'string', description: 'the Moonlight executable to use' },
    'dry-run': { type: 'boolean', description: 'show the gate and the command; launch nothing' },
  },
  positionals: { min: 1, max: 2 },
  async run({ io, json, args, signal, core }) {
    const [host, app] = args.positionals as [string, string | undefined];
    const c = core();
    let site = null;
    try {
      site = typeof args.values.site === 'string' ? loadSiteFile(path.resolve(io.cwd, args.values.site)) : null;
    } catch (err) {
      throw new CliError((err as Error).message);
    }
    const profile = typeof args.values.profile === 'string' ? args.values.profile : undefined;
    const svc = new StreamService({
      runner: c.runner,
      logger: c.logger.child('stream'),
      stateDir: c.paths.state,
      policy: c.policy,
      env: io.env,
      moonlightPath: typeof args.values.moonlight === 'string' ? args.values.moonlight : undefined,
      siteHosts: async () => (site ? hostsFromSite(site) : storedSiteHosts(c)),
      gateRunner: createChecksGateRunner({ target: async (p) => checkTargetOf(await c.resolveProfile({ profile: p ?? null, from: 'cli', site, cwd: io.cwd })), system: createCheckSystem(c.runner) }),
      handshakeOf: handshakeReader(c),
      capacity: createStreamCapacity(c, async (p) => checkTargetOf(await c.resolveProfile({ profile: p ?? null, from: 'cli', site, cwd: io.cwd }))),
    });
    let plan: LaunchPlan;
    try {
      plan = await svc.plan({
        host,
        app,
        profile,
        signal,
        override: args.values.override === true,
        settings: args.values['max-packet-size'] === true ? { maxPacketSize: true } : undefined,
        onGateProgress: json ? undefined : (i) => io.stderr(gateLine(io, i) + '\n'),
      });
    } catch (err) {
      if (err instanceof StreamError || err instanceof ArgvError || err instanceof SettingsError || err instanceof ProfileResolveError) throw new CliError(err.message);
      throw err;
    }
    const dryRun = args.values['dry-run'] === true;
    if (dryRun || plan.blocked) {
      if (json) printJson(io, { ...planDoc(plan), dryRun });
      else {
        for (const n of plan.notes) io.stderr(`note: ${n}\n`);
        if (plan.blocked) io.stdout(`${paint(io, 'red', 'blocked')}: ${plan.gate.blockers.map((b) => b.id).join(', ')}${plan.gate.overrideRefused ? ' (policy requires the gate; no override)' : ' (use --override to launch anyway)'}\n`);
        else io.stdout(`would run: ${[plan.executable, ...plan.argv].map((a) => (/[\s"']/.test(a) ? JSON.stringify(a) : a)).join(' ')}\n`);
      }
      return plan.blocked ? EXIT.unhealthy : EXIT.ok;
    }
    const session = svc.launch(plan, (_id, type, text) => {
      if (!json) io.stderr(`${type}: ${text}\n`);
    });
    const onAbort = () => session.child.kill('SIGTERM');
    signal.addEventListener('abort', onAbort, { once: true });
    const record = await session.done;
    signal.removeEventListener('abort', onAbort);
    if (json) printJson(io, { ...planDoc(plan), dryRun: false, session: record });
    else {
      io.stdout(`${record.outcome === 'ended' ? paint(io, 'green', 'stream ended') : paint(io, 'red', record.outcome)}${record.failure ? `: ${record.failure}` : ''}\n`);
      for (const a of record.advice) io.stdout(`advice: ${a}\n`);
      for (const e of record.timeline ?? []) if (e.cause) io.stdout(`${e.at.slice(11, 19)} ${e.text}\n`);
      if (record.watched === false) io.stdout('note: the tunnel was not probed during the stream (no gateway known, or no probe on this system).\n');
    }
    return record.outcome === 'ended' ? EXIT.ok : EXIT.unhealthy;
  },
};
