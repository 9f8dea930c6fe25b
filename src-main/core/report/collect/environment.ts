/**
 * Environment collectors: OS, tool versions, interfaces (with MTU), routes, policy-routing rules, OS DNS
 * configuration. Environment: plain Node. Every program runs through the shared runner (argument arrays, LC_ALL=C,
 * timeouts); every failure becomes a `failed` section with the error text, never an exception.
 */
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import type { ProcessRunner } from '../../platform/runner';
import { failed, ok, unavailable, type Section } from '../model';
import { parseResolvConf, parseResolvectlStatus } from './dns-linux';
import { parseScutilDns } from './dns-macos';
import { parseDnsServerJson, parseNrptList } from './dns-windows';
import { parseIpAddr, parseIpRoute, parseIpRule, type NetInterface, type NetRoute } from '../../net/ip-json';
import { netInterfacesOfOs } from '../../net/local-networks';

export interface EnvDeps {
  runner: ProcessRunner;
  platform?: NodeJS.Platform;
  readFile?: (p: string) => Promise<string>;
  /** Moonlight lookup (the stream module's locateMoonlight); absent → reported unavailable. */
  moonlight?: () => Promise<{ path: string | null; version: string | null; error: string | null }>;
  timeoutMs?: number;
}

export interface Tool {
  name: string;
  path: string | null;
  version: string | null;
  error: string | null;
}
export interface DnsSource {
  name: string;
  status: 'ok' | 'failed' | 'unavailable';
  error: string | null;
  parsed: unknown;
  raw: string | null;
}
export interface Dns {
  kind: 'linux' | 'macos' | 'windows' | 'other';
  sources: DnsSource[];
}

const RAW_CAP = 64 * 1024;
/** Output read from a DNS tool (`resolvectl status`, `scutil --dns`, PowerShell) before parsing; real ones are a few KiB. */
export const DNS_COLLECT_MAX_OUTPUT_BYTES = 1024 * 1024;
const msg = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function osInfo(): { platform: string; release: string; version: string; arch: string } {
  return { platform: process.platform, release: os.release(), version: safeVersion(), arch: process.arch };
}
function safeVersion(): string {
  try {
    return os.version();
  } catch {
    return '';
  }
}

export async function collectTools(d: EnvDeps): Promise<Section<Tool[]>> {
  const t = d.timeoutMs ?? 5000;
  const probe = async (name: string, args: string[] | null, pick: (out: string) => string | null): Promise<Tool> => {
    const p = d.runner.which(name);
    if (!p) return { name, path: null, version: null, error: 'not installed (not found in PATH)' };
    if (!args) return { name, path: p, version: null, error: null };
    try {
      const r = await d.runner.run(p, args, { timeoutMs: t, okCodes: 'any' });
      return { name, path: p, version: pick(`${r.stdout}\n${r.stderr}`), error: null };
    } catch (e) {
      return { name, path: p, version: null, error: msg(e) };
    }
  };
  const firstLine = (out: string) => out.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? null;
  const tools = await Promise.all([
    // `wg --version`: "wireguard-tools v1.0.20210914 - https://git.zx2c4.com/wireguard-tools/"
    probe('wg', ['--version'], (o) => /wireguard-tools v?([\w.]+)/.exec(o)?.[1] ?? firstLine(o)),
    // wg-quick has no version flag: it ships with wireguard-tools (path only).
    probe('wg-quick', null, () => null),
    probe('wireguard-go', ['--version'], (o) => /wireguard-go v?([\w.]+)/.exec(o)?.[1] ?? firstLine(o)),
  ]);
  if (d.moonlight) {
    try {
      const m = await d.moonlight();
      tools.push({ name: 'moonlight', path: m.path, version: m.version, error: m.error });
    } catch (e) {
      tools.push({ name: 'moonlight', path: null, version: null, error: msg(e) });
    }
  } else tools.push({ name: 'moonlight', path: null, version: null, error: 'Moonlight lookup not available in this build' });
  return ok(tools);
}

export interface NetState {
  interfaces: Section<NetInterface[]>;
  routes: Section<NetRoute[]>;
  rules: Section<Record<string, unknown>[]>;
}

export async function collectNetwork(d: EnvDeps): Promise<NetState> {
  const platform = d.platform ?? process.platform;
  const t = d.timeoutMs ?? 5000;
  if (platform !== 'linux') {
    const interfaces = netInterfacesOfOs();
    const why = `routes and MTU are collected on Linux only in this version (${platform})`;
    return { interfaces: ok(interfaces), routes: unavailable(why), rules: unavailable(why) };
  }
  const run = async (args: string[]) => (await d.runner.run('ip', args, { timeoutMs: t })).stdout;
  const attempt = async <T>(f: () => Promise<T>): Promise<Section<T>> => {
    try {
      return ok(await f());
    } catch (e) {
      return failed<T>(msg(e));
    }
  };
  const interfaces = await attempt(async () => parseIpAddr(await run(['-j', 'addr'])));
  const routes = await attempt(async () => [
    ...parseIpRoute(await run(['-j', '-4', 'route', 'show', 'table', 'all'])),
    ...parseIpRoute(await run(['-j', '-6', 'route', 'show', 'table', 'all'])),
  ]);
  const rules = await attempt<Record<string, unknown>[]>(async () => [...parseIpRule(await run(['-j', '-4', 'rule'])), ...parseIpRule(await run(['-j', '-6', 'rule']))]);
  return { interfaces, routes, rules };
}

export async function collectDns(d: EnvDeps): Promise<Section<Dns>> {
  const platform = d.platform ?? process.platform;
  const t = d.timeoutMs ?? 8000;
  const readFile = d.readFile ?? ((p: string) => fs.readFile(p, 'utf8'));
  const cap = (s: string) => (s.length > RAW_CAP ? `${s.slice(0, RAW_CAP)}\n[… truncated]` : s);
  const source = async (name: string, get: () => Promise<string | null>, parse: (raw: string) => unknown): Promise<DnsSource> => {
    try {
      const raw = await get();
      if (raw === null) return { name, status: 'unavailable', error: 'not present on this system', parsed: null, raw: null };
      return { name, status: 'ok', error: null, parsed: parse(raw), raw: cap(raw) };
    } catch (e) {
      return { name, status: 'failed', error: msg(e), parsed: null, raw: null };
    }
  };
  const prog = async (file: string, args: string[]) => {
    if (!d.runner.which(file)) return null;
    return (await d.runner.run(file, args, { timeoutMs: t, maxOutputBytes: DNS_COLLECT_MAX_OUTPUT_BYTES })).stdout;
  };
  if (platform === 'linux') {
    return ok({
      kind: 'linux',
      sources: await Promise.all([
        source('/etc/resolv.conf', () => readFile('/etc/resolv.conf'), parseResolvConf),
        source('resolvectl status', () => prog('resolvectl', ['status', '--no-pager']), parseResolvectlStatus),
      ]),
    });
  }
  if (platform === 'darwin') {
    return ok({ kind: 'macos', sources: [await source('scutil --dns', () => prog('scutil', ['--dns']), parseScutilDns)] });
  }
  if (platform === 'win32') {
    const ps = (command: string) => prog('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', command]);
    return ok({
      kind: 'windows',
      sources: await Promise.all([
        source(
          'Get-DnsClientServerAddress',
          () => ps('Get-DnsClientServerAddress | Select-Object InterfaceAlias,InterfaceIndex,AddressFamily,ServerAddresses | ConvertTo-Json -Depth 3'),
          parseDnsServerJson,
        ),
        source('Get-DnsClientNrptPolicy', () => ps('Get-DnsClientNrptPolicy | Format-List'), parseNrptList),
      ]),
    });
  }
  return ok({ kind: 'other', sources: [] });
}
