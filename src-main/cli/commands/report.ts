/**
 * `longhaul report`: write a redacted support report (zip) and print its path. Never changes tunnel state.
 * `--json`: {"schemaVersion":1,"path","supportId","verdict","uploaded"} (+ "uploadError" when an upload failed).
 * Exit 0 when the report was written (and uploaded, if asked); 2 when it could not be written or the upload failed.
 */
import * as path from 'node:path';
import { makeReport } from '../../core/report/service';
import { reportSourcesFromCore, resolveReportSelection } from '../../core/report/wiring';
import { CliError, EXIT, printJson, resolvingProfile, type Command } from '../command';
import { terminalControl } from '../terminal';

export const reportCommand: Command = {
  name: 'report',
  summary: 'Write a redacted support report (zip) and print its path',
  usage: '[--profile FILE|NAME] [--site FILE] [--out DIR] [--strict] [--upload] [--json]',
  options: {
    profile: { type: 'string', description: 'the profile to report on: a file, or a name in the store' },
    site: { type: 'string', description: 'the site file to include' },
    out: { type: 'string', description: 'directory to write the zip to (default <data dir>/reports)' },
    strict: { type: 'boolean', description: 'also pseudonymise private addresses, hostnames and public keys' },
    upload: { type: 'boolean', description: 'upload to the support URL your IT department configured' },
  },
  positionals: { min: 0, max: 0 },
  async run({ core: getCore, io, args, json, signal }) {
    const core = getCore();
    const v = args.values;
    const outDir = typeof v.out === 'string' ? path.resolve(io.cwd, v.out) : core.paths.reports;
    let uploadTo: string | null = null;
    if (v.upload === true) {
      uploadTo = (await core.policy.read()).policy.supportUploadUrl;
      if (!uploadTo) throw new CliError('--upload: no support upload URL is configured (policy key supportUploadUrl); send the zip another way');
    }
    // Resolve the selection up front so a typo is a clear error, not a report about nothing.
    const selection = { profile: typeof v.profile === 'string' ? v.profile : null, site: typeof v.site === 'string' ? v.site : null, cwd: io.cwd };
    const resolved = await resolvingProfile(() => resolveReportSelection(core, selection));
    const sources = reportSourcesFromCore(core, resolved, selection);
    const made = await makeReport({
      sources,
      mode: v.strict === true ? 'strict' : 'normal',
      face: 'cli',
      outDir,
      uploadTo,
      env: io.env,
      signal,
      onProgress: (p) => {
        if (io.isTTY && !json) io.stderr(`${terminalControl('\r\u001b[K')}${p.done}/${p.total} ${p.step}`);
      },
    });
    if (io.isTTY && !json) io.stderr(terminalControl('\r\u001b[K'));
    if (made.uploadError) io.stderr(`longhaul: the report was written but not uploaded: ${made.uploadError}\n`);
    if (json) {
      printJson(io, {
        path: made.path,
        supportId: made.supportId,
        verdict: made.verdict,
        uploaded: made.uploaded,
        ...(made.uploadError ? { uploadError: made.uploadError } : {}),
      });
    } else {
      io.stdout(`${made.path}\n`);
      io.stderr(`Support ID ${made.supportId} · verdict ${made.verdict}${made.uploaded ? ' · uploaded' : ''}\n`);
    }
    return made.uploadError ? EXIT.couldNotRun : EXIT.ok;
  },
};
