/**
 * `longhaul diagnose [--profile FILE|NAME] [--site FILE] [--interface NAME] [--json]`: run every self-check against
 * the tunnel and print the diagnosis. Never changes tunnel state. Exit 0 healthy, 1 degraded or broken, 2 could not run.
 * Environment: plain Node.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { createCheckSystem, runDiagnosis, type DiagnosisRun } from '../../core/checks/run';
import { readLink } from '../../core/checks/probes/interface-linux';
import { targetFromProfile, targetFromView } from '../../core/checks/target';
import type { CheckProgress, CheckResult, CheckTarget } from '../../core/checks/types';
import { parseProfile } from '../../core/profiles';
import { profileStoreOf } from '../../core/profiles/service';
import { parseSiteFile } from '../../core/profiles/site';
import type { Site } from '../../contract/profiles';
import { CliError, EXIT, isPathArgument, paint, printJson, type CliIO, type Command, type CommandContext } from '../command';

function readInput(cwd: string, file: string, what: string): Buffer {
  const full = path.resolve(cwd, file);
  try {
    return readFileSync(full);
  } catch (err) {
    throw new CliError(`cannot read ${what} ${full}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

function loadSite(ctx: CommandContext): Site | null {
  const file = ctx.args.values.site;
  if (typeof file !== 'string') return null;
  const r = parseSiteFile(readInput(ctx.io.cwd, file, 'site file'), path.basename(file));
  if (!r.site) throw new CliError(`${file}: ${r.errors.map((e) => e.message).join('; ')}`);
  for (const w of r.warnings) ctx.io.stderr(`warning: ${w.message}\n`);
  return r.site;
}

/** WireGuard interfaces that are up now (Linux: `wg show interfaces`). */
async function connectedTunnels(ctx: CommandContext): Promise<string[]> {
  if (process.platform !== 'linux') throw new CliError('without --profile, diagnose finds the connected tunnel only on Linux so far; pass --profile NAME');
  const r = await ctx.core().runner.run('wg', ['show', 'interfaces'], { timeoutMs: 5000, okCodes: 'any' });
  if (r.code !== 0) throw new CliError(`cannot list WireGuard interfaces (wg show interfaces): ${r.stderr.trim() || `exit ${r.code}`}`);
  // wireguard-go's sockets in /var/run/wireguard are shared by every network namespace: keep the interfaces that
  // exist here.
  const names = r.stdout.split(/\s+/).filter(Boolean);
  const here = await Promise.all(names.map(async (n) => ((await readLink(ctx.core().runner, n)) ? n : null)));
  return here.filter((n): n is string => n !== null);
}

async function resolveTarget(ctx: CommandContext, site: Site | null): Promise<CheckTarget> {
  const iface = typeof ctx.args.values.interface === 'string' ? ctx.args.values.interface : null;
  const arg = ctx.args.values.profile;
  if (typeof arg === 'string' && isPathArgument(arg)) {
    const parsed = parseProfile(readInput(ctx.io.cwd, arg, 'profile'), { fileName: path.basename(arg), origin: 'user' });
    if (!parsed.profile) {
      const first = parsed.errors.slice(0, 3).map((e) => `${arg}${e.line ? `:${e.line}` : ''}: ${e.message}`);
      throw new CliError(`the profile is not valid:\n${first.join('\n')}\n(run \`longhaul profile check ${arg}\` for every problem)`);
    }
    const name = path.basename(arg).replace(/\.conf$/i, '');
    return targetFromProfile(parsed.profile, name, iface, site);
  }
  const store = profileStoreOf(ctx.core());
  let name: string;
  if (typeof arg === 'string') name = arg;
  else {
    const up = iface ? [iface] : await connectedTunnels(ctx);
    if (up.length !== 1) {
      const stored = (await store.list()).map((p) => p.name);
      throw new CliError(
        up.length === 0
          ? `no tunnel is connected; pass --profile FILE|NAME${stored.length ? ` (stored: ${stored.join(', ')})` : ''}`
          : `several tunnels are connected (${up.join(', ')}); pass --profile NAME or --interface NAME`,
      );
    }
    name = up[0]!;
  }
  const view = await store.get(name);
  if (!view) throw new CliError(`no stored profile named "${name}"; see \`longhaul profile list\`, or pass --profile FILE`);
  return targetFromView(view, iface, site);
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
    if (drawn > 0) io.stderr(`\u001b[${drawn}A`);
    for (const r of rows) io.stderr(`\u001b[2K${r.result ? line(io, r.result) : `${paint(io, 'dim', '…')} ${r.title}`}\n`);
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
    const site = loadSite(ctx);
    const target = await resolveTarget(ctx, site);
    const system = createCheckSystem(ctx.core().runner);
    const progress = ctx.json ? undefined : checklist(ctx.io);
    const d = await runDiagnosis(target, system, { signal: ctx.signal, onProgress: progress });
    if (d.cancelled) throw new CliError('cancelled');
    if (ctx.json) {
      printJson(ctx.io, {
        verdict: d.verdict,
        pathMtu: d.pathMtu,
        rttMs: d.rttMs,
        profile: target.profileName,
        interface: target.interfaceName,
        durationMs: d.durationMs,
        findings: d.findings,
        checks: d.checks,
      });
    } else printHuman(ctx.io, d);
    return d.verdict === 'healthy' ? EXIT.ok : EXIT.unhealthy;
  },
};
