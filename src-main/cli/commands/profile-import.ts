/**
 * `longhaul profile import FILE [--name NAME] [--json]`: validate and store a .conf or .zip bundle. Never overwrites an
 * existing profile. Exit 0 all imported, 1 something was rejected, 2 cannot read.
 */
import { EXIT, paint, printJson, type Command } from '../command';
import { issueLines, jsonIssues, readProfileArgument } from './profile-shared';

export const profileImportCommand: Command = {
  name: 'profile import',
  summary: 'Import a WireGuard profile (.conf) or bundle (.zip)',
  usage: 'FILE [--name NAME] [--json]',
  options: { name: { type: 'string', description: 'store under this name instead of the file name' } },
  positionals: { min: 1, max: 1 },
  async run({ io, json, args, core }) {
    const { fileName, bytes } = readProfileArgument(args.positionals[0], io);
    const store = core().profiles;
    const name = typeof args.values.name === 'string' ? args.values.name : undefined;
    const batch = await store.import({ fileName, bytes, name });
    core()
      .logger.child('profiles')
      .info('profile import', {
        fileName,
        imported: batch.entries.filter((e) => e.profile).map((e) => e.name),
        rejected: batch.entries.filter((e) => !e.profile).map((e) => ({ name: e.name, codes: e.errors.map((x) => x.code) })),
      });
    const ok = batch.entries.length > 0 && batch.entries.every((e) => e.profile) && batch.bundleErrors.length === 0;
    if (store.secrets.warning && batch.entries.some((e) => e.profile)) io.stderr(`longhaul: warning: ${store.secrets.warning}\n`);
    if (json) {
      printJson(io, {
        imported: batch.entries.filter((e) => e.profile).map((e) => e.name),
        entries: batch.entries.map((e) => ({
          fileName: e.fileName,
          name: e.name,
          nameSuggested: e.nameSuggested,
          valid: e.valid,
          imported: e.profile !== undefined,
          publicKey: e.profile?.publicKey ?? null,
          errors: jsonIssues(e.errors),
          warnings: jsonIssues(e.warnings),
        })),
        errors: jsonIssues(batch.bundleErrors),
        warnings: jsonIssues(batch.bundleWarnings),
        site: batch.site,
      });
      return ok ? EXIT.ok : EXIT.unhealthy;
    }
    let out = issueLines(io, fileName, batch.bundleErrors, 'error') + issueLines(io, fileName, batch.bundleWarnings, 'warning');
    for (const e of batch.entries) {
      if (e.profile) out += `${paint(io, 'green', 'imported')} ${e.name} from ${e.fileName} (this computer's public key: ${e.profile.publicKey})\n`;
      else out += `${paint(io, 'red', 'not imported')}: ${e.fileName}\n`;
      out += issueLines(io, e.fileName, e.errors, 'error') + issueLines(io, e.fileName, e.warnings, 'warning');
    }
    io.stdout(out);
    return ok ? EXIT.ok : EXIT.unhealthy;
  },
};
