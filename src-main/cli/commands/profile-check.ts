/**
 * `longhaul profile check FILE [--json]`: validate a .conf (or a .zip bundle) like the real tools, without storing it.
 * Exit 0 valid, 1 invalid, 2 cannot read. JSON: {schemaVersion, valid, name, nameSuggested, errors, warnings}
 * (+ `entries` and `site` for a zip).
 */
import { checkInput } from '../../core/profiles/batch';
import { EXIT, paint, printJson, type Command } from '../command';
import { issueLines, jsonIssues, readProfileArgument } from './profile-shared';

export const profileCheckCommand: Command = {
  name: 'profile check',
  summary: 'Validate a WireGuard profile (.conf) or bundle (.zip) without importing it',
  usage: 'FILE [--json]',
  options: {},
  positionals: { min: 1, max: 1 },
  async run({ io, json, args }) {
    const { fileName, bytes } = readProfileArgument(args.positionals[0], io);
    const batch = checkInput({ fileName, bytes });
    const entries = batch.entries.map((e) => ({
      fileName: e.fileName,
      name: e.name,
      nameSuggested: e.nameSuggested,
      valid: e.parse.errors.length === 0,
      errors: jsonIssues(e.parse.errors),
      warnings: jsonIssues(e.parse.warnings),
    }));
    const valid = batch.bundleErrors.length === 0 && entries.length > 0 && entries.every((e) => e.valid);
    const first = entries[0];
    if (json) {
      const doc: Record<string, unknown> = {
        valid,
        name: first?.name ?? '',
        nameSuggested: first?.nameSuggested ?? false,
        errors: [...jsonIssues(batch.bundleErrors), ...(first?.errors ?? [])],
        warnings: [...jsonIssues(batch.bundleWarnings), ...(first?.warnings ?? [])],
      };
      if (entries.length !== 1 || batch.site || batch.bundleErrors.length > 0) {
        doc.entries = entries;
        doc.site = batch.site;
        doc.errors = [...jsonIssues(batch.bundleErrors), ...entries.flatMap((e) => e.errors)];
        doc.warnings = [...jsonIssues(batch.bundleWarnings), ...entries.flatMap((e) => e.warnings)];
      }
      printJson(io, doc);
      return valid ? EXIT.ok : EXIT.unhealthy;
    }
    let out = issueLines(io, fileName, batch.bundleErrors, 'error') + issueLines(io, fileName, batch.bundleWarnings, 'warning');
    for (const e of entries) {
      const verdict = e.valid ? paint(io, 'green', 'valid') : paint(io, 'red', 'invalid');
      out += `${e.fileName}: ${verdict} — name "${e.name}"${e.nameSuggested ? ' (suggested: the file name is not a valid tunnel name)' : ''}\n`;
      out += issueLines(io, e.fileName, e.errors, 'error') + issueLines(io, e.fileName, e.warnings, 'warning');
    }
    io.stdout(out);
    return valid ? EXIT.ok : EXIT.unhealthy;
  },
};
