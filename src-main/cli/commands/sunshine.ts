/**
 * `longhaul sunshine probe HOST [--json]`: is a Sunshine host there and what can it stream? TCP 47984/47989/48010 and
 * `/serverinfo` (codecs decoded). Exit 0 when the result is `ok`, 1 otherwise (unreachable, not-listening,
 * not-sunshine, busy). Environment: plain Node.
 */
import { probeSunshine } from '../../core/stream/sunshine-probe';
import { EXIT, paint, printJson, type Command } from '../command';

export const sunshineProbeCommand: Command = {
  name: 'sunshine probe',
  summary: 'Check a Sunshine host: its ports, /serverinfo and codecs (4:4:4, HDR)',
  usage: 'HOST [--json]',
  options: {},
  positionals: { min: 1, max: 1 },
  async run({ io, json, args, signal }) {
    const host = args.positionals[0]!;
    const p = await probeSunshine(host, { signal });
    if (json) {
      printJson(io, {
        host: p.host,
        address: p.address,
        result: p.result,
        detail: p.detail,
        ports: p.ports,
        serverinfo: p.serverinfo,
        badges: p.badges,
      });
    } else {
      const colour = p.result === 'ok' ? 'green' : p.result === 'busy' ? 'yellow' : 'red';
      const lines = [`${paint(io, colour, p.result)}  ${p.detail}`, `ports: ${Object.entries(p.ports).map(([k, v]) => `${k} ${v ? 'open' : 'closed'}`).join(', ')}`];
      if (p.serverinfo) {
        lines.push(`host: ${p.serverinfo.hostname}  version ${p.serverinfo.appversion}  state ${p.serverinfo.state ?? '?'}`);
        lines.push(`codecs (mask ${p.serverinfo.codecMask}): ${p.serverinfo.codecs.join(', ')}`);
        lines.push(`4:4:4 ${p.badges.yuv444 ? 'yes' : 'no'}  HDR ${p.badges.hdr ? 'yes' : 'no'}  AV1 ${p.badges.av1 ? 'yes' : 'no'}`);
      }
      io.stdout(lines.join('\n') + '\n');
    }
    return p.result === 'ok' ? EXIT.ok : EXIT.unhealthy;
  },
};
