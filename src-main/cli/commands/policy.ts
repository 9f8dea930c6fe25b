/**
 * `longhaul policy list [--json]`: the effective managed policy — each key's value, where it came from and whether it
 * is locked; sources that were refused and why; unknown keys. Paths to site bundles and any secret are redacted.
 * Exit 0, or 1 when a policy source was refused (IT has something to fix).
 */
import { policyListing } from '../../core/policy/listing';
import { createManagedPolicyReader } from '../../core/policy/reader';
import { EXIT, paint, printJson, type Command } from '../command';

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export const policyListCommand: Command = {
  name: 'policy list',
  summary: 'Show the managed policy in force: values, sources, locks, refused sources',
  usage: '[--json]',
  options: {},
  positionals: { min: 0, max: 0 },
  async run({ io, json, core }) {
    const services = core();
    const reader = createManagedPolicyReader(process.platform, services.runner, { env: io.env, logger: services.logger.child('policy') });
    const eff = await reader.read();
    const listing = policyListing(eff, services.redactor);
    const code = listing.refused.length > 0 ? EXIT.unhealthy : EXIT.ok;
    if (json) {
      printJson(io, { ...listing });
      return code;
    }
    const lines: string[] = [`Sources checked: ${reader.sourceNames.join(', ')}`, ''];
    const width = Math.max(...listing.values.map((v) => v.key.length));
    for (const v of listing.values) {
      const where = v.locked ? paint(io, 'bold', `locked by ${v.source}`) : paint(io, 'dim', 'default');
      lines.push(`  ${v.key.padEnd(width)}  ${show(v.value)}  (${where})`);
    }
    for (const r of listing.refused) lines.push('', paint(io, 'red', `Refused: ${r.source}`), `  ${r.reason}`);
    if (listing.unknownKeys.length > 0) {
      lines.push('', paint(io, 'yellow', 'Unknown keys (ignored):'));
      for (const u of listing.unknownKeys) lines.push(`  ${u.key} (in ${u.source})`);
    }
    io.stdout(lines.join('\n') + '\n');
    return code;
  },
};
