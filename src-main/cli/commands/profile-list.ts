/**
 * `longhaul profile list [--json]`. JSON: {schemaVersion, profiles: [{name, endpoint, addresses, publicKey, warnings}]}
 * (public data only: the public key is derived from the private key, which is never printed).
 */
import { EXIT, paint, printJson, type Command } from '../command';
import { jsonIssues } from './profile-shared';

export const profileListCommand: Command = {
  name: 'profile list',
  summary: 'List imported WireGuard profiles',
  usage: '[--json]',
  options: {},
  positionals: { min: 0, max: 0 },
  async run({ io, json, core }) {
    const store = core().profiles;
    const profiles = await store.list();
    if (json) {
      printJson(io, {
        profiles: profiles.map((p) => ({
          name: p.name,
          endpoint: p.endpoint,
          addresses: p.addresses,
          publicKey: p.publicKey,
          warnings: jsonIssues(p.warnings),
          dns: p.dns,
          mtu: p.mtu,
          mtuOverride: p.mtuOverride,
          site: p.site?.name ?? null,
        })),
        secretStore: { kind: store.secrets.kind, warning: store.secrets.warning },
      });
      return EXIT.ok;
    }
    if (profiles.length === 0) {
      io.stdout('No profiles. Import one with `longhaul profile import FILE.conf`.\n');
      return EXIT.ok;
    }
    let out = '';
    for (const p of profiles) {
      out += `${paint(io, 'bold', p.name)}  ${p.endpoint ?? '(no endpoint)'}  ${p.addresses.join(', ') || '(no address)'}\n`;
      out += `  public key ${p.publicKey}${p.warnings.length ? `  ${paint(io, 'yellow', `${p.warnings.length} warning(s)`)}` : ''}\n`;
    }
    io.stdout(out);
    if (store.secrets.warning) io.stderr(`longhaul: warning: ${store.secrets.warning}\n`);
    return EXIT.ok;
  },
};
