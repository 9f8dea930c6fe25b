/**
 * `longhaul diagnose [--profile FILE|NAME] [--site FILE] [--interface NAME] [--json]`: run every self-check against
 * the tunnel and print the diagnosis (`--json`: THE diagnosis document, `contract/diagnosis.ts`, the same one `checks.done`
 * and the report carry). Never changes tunnel state. Exit 0 healthy, 1 degraded or broken, 2 could not run.
 * Environment: plain Node.
 */
import * as path from 'node:path';
import { checkTargetOf, loadSiteFile } from '../../core/profiles/resolve';
import { createCheckSystem, diagnosisDocument, hostAddressCacheFile, runDiagnosis, type DiagnosisRun } from '../../core/checks/run';
import type { CheckProgress, CheckResult, CheckTarget } from '../../core/checks/types';
import { CLI_ERROR_CODES, CliError, EXIT, paint, printJson, resolvingProfile, type CliIO, type Command, type CommandContext } from '../command';
import { terminalControl } from '../terminal';

async function resolveTarget(ctx: CommandContext): Promise<CheckTarget> {
  const file = ctx.args.values.site;
  const profile = ctx.args.values.profile;
  const iface = ctx.args.values.interface;
  return resolvingProfile(async () => {
    const site = typeof file === 'string' ? loadSiteFile(path.resolve(ctx.io.cwd, file), (w) => ctx.io.stderr(`warning: ${w}\n`)) : null;
    const r = await ctx.core().resolveProfile({
      profile: typeof profile === 'string' ? profile : null,
      from: 'cli',
      interfaceName: typeof iface === 'string' ? iface : null,
      site,
      cwd: ctx.io.cwd,
    });
    return checkTargetOf(r);
  });
}

const MARK = { pass: '✓', warn: '!', fail: '✗', skip: '-' } as const;
const COLOUR = { pass: 'green', warn: 'yellow', fail: 'red', skip: 'dim' } as const;

function line(io: CliIO, r: CheckResult): string {
  return `${paint(io, COLOUR[r.status], MARK[r.status])} ${r.title.padEnd(44)} ${paint(io, 'dim', `${r.durationMs} ms`)}  ${r.summary}`;
}

/** A live checklist on stderr: redrawn in place on a TTY, one line per finished check otherwise. */
function checklist(io: CliIO) {
  const rows: { id: string; title: string; result?: CheckResult }[] = [];
  let drawn = 0;
  const draw = () => {
    if (drawn > 0) io.stderr(terminalControl(`\u001b[${drawn}A`));
    for (const r of rows) io.stderr(`${terminalControl('\u001b[2K')}${r.result ? line(io, r.result) : `${paint(io, 'dim', '…')} ${r.title}`}\n`);
    drawn = rows.length;
  };
  return (p: CheckProgress) => {
    let row = rows.find((r) => r.id === p.id);
    if (!row) rows.push((row = { id: p.id, title: p.title }));
    if (p.result) row.result = p.result;
    if (io.isTTY) draw();
    else if (p.result) io.stderr(line(io, p.result) + '\n');
  };
}

function printHuman(io: CliIO, d: DiagnosisRun): void {
  const out: string[] = [''];
  for (const f of d.findings) {
    const c = f.severity === 'error' ? 'red' : f.severity === 'warning' ? 'yellow' : 'dim';
    out.push(`${paint(io, c, f.severity.toUpperCase())} ${paint(io, 'bold', f.title)} [${f.code}]`, `  ${f.detail}`, `  Fix: ${f.fix}`, '');
  }
  const v = d.verdict === 'healthy' ? paint(io, 'green', 'healthy') : d.verdict === 'degraded' ? paint(io, 'yellow', 'degraded') : paint(io, 'red', 'broken');
  out.push(`Verdict: ${v}   path MTU: ${d.pathMtu ?? 'unknown'}   RTT: ${d.rttMs === null ? 'unknown' : `${d.rttMs} ms`}   (${d.durationMs} ms)`);
  io.stdout(out.join('\n') + '\n');
}

export const diagnoseCommand: Command = {
  name: 'diagnose',
  summary: 'Check the tunnel (DNS, large packets, streaming ports) and explain what is wrong',
  usage: '[--profile FILE|NAME] [--site FILE] [--interface NAME] [--json]',
  options: {
    profile: { type: 'string', description: 'a .conf file, or the name of a stored profile (default: the connected tunnel)' },
    site: { type: 'string', description: 'a site.json (default: the stored profile\'s site)' },
    interface: { type: 'string', description: 'the tunnel interface, when it differs from the profile name' },
  },
  positionals: { min: 0, max: 0 },
  async run(ctx) {
    const target = await resolveTarget(ctx);
    const core = ctx.core();
    const system = createCheckSystem(core.runner, process.platform, { addressCacheFile: hostAddressCacheFile(core.paths) });
    const progress = ctx.json ? undefined : checklist(ctx.io);
    const d = await runDiagnosis(target, system, { signal: ctx.signal, onProgress: progress });
    if (d.cancelled) throw new CliError('cancelled', EXIT.couldNotRun, CLI_ERROR_CODES.cancelled);
    if (ctx.json) {
      printJson(ctx.io, diagnosisDocument(d));
    } else printHuman(ctx.io, d);
    return d.verdict === 'healthy' ? EXIT.ok : EXIT.unhealthy;
  },
};
