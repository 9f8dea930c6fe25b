/**
 * `longhaul capacity [--profile FILE|NAME] [--site FILE] [--json]`: measure, through the tunnel, the stream the saved
 * stream settings need against the site's `capacityProbe` (a stock `iperf3 -s` on the gateway; docs/capacity.md) and
 * say which bitrate Moonlight would get. The result is saved per profile for the report, and per network (Linux, an IP
 * endpoint: core/net/network-identity.ts); a fit below 70 % of the last one on this network adds the warning
 * `stream.capacity-fell` (`network.fell` in --json; it does not change the exit code).
 * `--json`: {schemaVersion, status: "measured", downKbps, lossPercent, jitterMs, delayGrowthMs, durationMs, bytes,
 * server, steps[], limit, neededKbps, bitrateKbps, verdict, why, …}; not measured: {schemaVersion, status:
 * "unmeasured"|"failed", reason, message, fix}.
 * Exit 0 the line carries the settings, 1 it carries less (or loses/queues), 2 not measured (no probe, policy off,
 * the measurement failed) or bad input. Environment: plain Node.
 */
import * as path from 'node:path';
import { LastCapacityStore, measureForStream } from '../../core/capacity';
import { checkTargetOf, loadSiteFile } from '../../core/profiles/resolve';
import { decideCapacity, hostlessNeedKbps, mbit } from '../../core/stream/capacity-item';
import { networkOfTarget } from '../../core/stream/capacity-wiring';
import { resolveSettings, SettingsError } from '../../core/stream/settings';
import { StreamStore } from '../../core/stream/store';
import { CliError, EXIT, paint, printJson, resolvingProfile, type Command } from '../command';

/** Moonlight's packet size through a VPN (it detects one and uses 1024 unless `--packet-size` is passed). */
const VPN_PACKET_SIZE = 1024;

export const capacityCommand: Command = {
  name: 'capacity',
  summary: 'Measure whether the line carries the stream (stream-shaped iperf3 test through the tunnel)',
  usage: '[--profile FILE|NAME] [--site FILE] [--json]',
  options: {
    profile: { type: 'string', description: 'the tunnel: a .conf file or a stored profile (default: the connected tunnel)' },
    site: { type: 'string', description: 'a site.json naming the capacityProbe (default: the profile\'s site)' },
  },
  positionals: { min: 0, max: 0 },
  async run({ io, json, args, signal, core }) {
    const c = core();
    let target;
    let settings;
    try {
      const siteArg = typeof args.values.site === 'string' ? args.values.site : null;
      const profile = typeof args.values.profile === 'string' ? args.values.profile : null;
      target = checkTargetOf(await resolvingProfile(async () => c.resolveProfile({ profile, from: 'cli', site: siteArg ? loadSiteFile(path.resolve(io.cwd, siteArg), (w) => io.stderr(`warning: ${w}\n`)) : null, cwd: io.cwd })));
      const store = new StreamStore(c.paths.state, c.logger.child('stream'));
      settings = resolveSettings(store.settings(), store.file);
    } catch (err) {
      if (err instanceof SettingsError) throw new CliError(err.message);
      throw err;
    }
    // Without a host there is no proof of 4:4:4: the need is Moonlight's 4:2:0 default (or the artist's own bitrate).
    const neededKbps = hostlessNeedKbps(settings);
    const doc = await measureForStream(
      { policy: c.policy, store: new LastCapacityStore(c.paths.state, c.logger.child('capacity')), logger: c.logger.child('capacity') },
      {
        profile: target.profileName,
        probe: target.site?.capacityProbe ?? null,
        networkId: await networkOfTarget(c, target, signal),
        neededKbps,
        packetSize: VPN_PACKET_SIZE,
        fps: settings.fps,
        signal,
        onStep: json ? undefined : (s) => io.stderr(`step ${mbit(s.rateKbps)} Mbit/s → ${mbit(s.receivedKbps)} received, loss ${s.lossPercent} %, delay growth ${s.delayGrowthMs} ms${s.passed ? '' : ` (${s.limit})`}\n`),
      },
    );
    const decision = decideCapacity(doc, { width: settings.width, height: settings.height, fps: settings.fps, yuv444: false }, neededKbps);
    const main = decision.items[0]!;
    if (doc.status !== 'measured') {
      if (json) printJson(io, { ...doc, fix: main.fix ?? null });
      else io.stderr(`longhaul: the line was not measured: ${doc.message}\n${main.fix ? `Fix: ${main.fix}\n` : ''}`);
      return EXIT.couldNotRun;
    }
    // The fall on this network is news, not a verdict on the line: the exit code follows the fit.
    const healthy = decision.items.every((i) => i.status === 'pass' || i.id === 'capacity-fell');
    if (json) {
      printJson(io, { ...doc, bitrateKbps: decision.bitrateKbps, verdict: main.status, why: decision.why, proposal: decision.proposal, findings: decision.items.filter((i) => i.findingCode).map((i) => ({ code: i.findingCode, fix: i.fix })) });
    } else {
      const mark = { pass: paint(io, 'green', '✓'), warn: paint(io, 'yellow', '!'), fail: paint(io, 'red', '✗'), skip: '-' } as const;
      io.stdout(`${mark[main.status]} line: ${mbit(doc.downKbps)} Mbit/s clean through ${doc.server.host}:${doc.server.port} (${doc.steps.length} step${doc.steps.length === 1 ? '' : 's'}, ${doc.durationMs} ms, ${(doc.bytes / 1e6).toFixed(1)} MB)\n`);
      io.stdout(`${decision.why}\n`);
      for (const i of decision.items) if (i.status !== 'pass' && i.fix) io.stdout(`${mark[i.status]} ${i.id}: ${i.summary}\n    Fix: ${i.fix}\n`);
    }
    return healthy ? EXIT.ok : EXIT.unhealthy;
  },
};
