/**
 * wg-quick backend (Linux, and macOS with Homebrew's wireguard-tools). wg-quick falls back to wireguard-go when the
 * kernel has no WireGuard module (recorded: linux-wg-quick-up-full-tunnel-userspace-stderr.txt). Environment: plain Node.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ProcessRunner } from '../../platform/runner';
import { ProcessError } from '../../platform/runner';
import type { MissingTool, Os } from '../install-hints';
import { parseWgDump } from '../wg-dump';
import { classifyWgShowError, NotLonghaulTunnel, type CommandLine, type DumpResult, type TunnelBackend } from './types';

export const wgQuickCommands = {
  up: (confPath: string): CommandLine => ({ program: 'wg-quick', args: ['up', confPath] }),
  down: (confPath: string): CommandLine => ({ program: 'wg-quick', args: ['down', confPath] }),
  dump: (iface: string): CommandLine => ({ program: 'wg', args: ['show', iface, 'dump'] }),
  /** Fallback for `down` without the canonical file (Linux), only for a tunnel Longhaul's marker says it brought up. */
  deleteLink: (iface: string): CommandLine => ({ program: 'ip', args: ['link', 'delete', 'dev', iface] }),
};

export function createWgQuickBackend(runner: ProcessRunner, os: Os = 'linux'): TunnelBackend {
  const run = (c: CommandLine, timeoutMs = 30_000) => runner.run(c.program, c.args, { timeoutMs });
  return {
    kind: 'wg-quick',
    runsHooks: true,
    missingTools({ hasDns }) {
      const missing: MissingTool[] = [];
      if (!runner.which('wg-quick')) missing.push({ tool: 'wg-quick', why: 'brings the tunnel up' });
      if (!runner.which('wg')) missing.push({ tool: 'wg', why: 'configures WireGuard and reads its status' });
      if (os === 'darwin' && !runner.which('wireguard-go')) missing.push({ tool: 'wireguard-go', why: 'the WireGuard implementation on macOS' });
      if (os === 'darwin' && missing.length > 0 && fs.existsSync('/Applications/WireGuard.app')) {
        missing.push({ tool: 'wireguard-tools', why: 'only the WireGuard app is installed; it has no command-line tools Longhaul can drive' });
      }
      if (os === 'linux' && !fs.existsSync('/sys/module/wireguard') && !runner.which('wireguard-go')) {
        missing.push({ tool: 'wireguard-go', why: 'this kernel has no WireGuard module' });
      }
      if (os === 'linux' && hasDns && !runner.which('resolvconf')) missing.push({ tool: 'resolvconf', why: 'applies the profile\'s DNS =' });
      return missing;
    },
    interfaceOf: (name) => name,
    async interfaceExists(iface) {
      if (os === 'darwin') {
        // UNVERIFIED (no recording): wg-quick on macOS keeps the utun name in /var/run/wireguard/<name>.name
        // (wireguard-tools src/wg-quick/darwin.bash).
        return fs.existsSync(path.join('/var/run/wireguard', `${iface}.name`));
      }
      return fs.existsSync(path.join('/sys/class/net', iface));
    },
    async up(_name, confPath) {
      await run(wgQuickCommands.up(confPath), 60_000);
    },
    async down(name, confPath, { marked }) {
      if (fs.existsSync(confPath)) {
        // wg-quick itself refuses an interface that is not WireGuard ("`eth0' is not a WireGuard interface").
        await run(wgQuickCommands.down(confPath));
        return;
      }
      // Never delete an interface Longhaul did not bring up (eth0, wlan0, another program's tunnel).
      if (!marked) throw new NotLonghaulTunnel(name);
      // No canonical file any more (profile removed meanwhile): remove the interface and its DNS entry directly.
      if (os === 'linux') {
        await run(wgQuickCommands.deleteLink(name));
        if (runner.which('resolvconf')) await runner.run('resolvconf', ['-d', name, '-f'], { okCodes: 'any', timeoutMs: 10_000 });
      } else {
        await run(wgQuickCommands.down(name));
      }
    },
    async dump(iface): Promise<DumpResult> {
      try {
        const r = await run(wgQuickCommands.dump(iface), 10_000);
        return { ok: true, dump: parseWgDump(r.stdout, iface) };
      } catch (e) {
        if (e instanceof ProcessError && e.result) return classifyWgShowError(e.result.stderr);
        if (e instanceof ProcessError && e.kind === 'not-found') return { ok: false, reason: 'tools-missing', detail: e.message };
        throw e;
      }
    },
  };
}
