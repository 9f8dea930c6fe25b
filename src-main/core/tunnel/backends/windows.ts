/**
 * WireGuard for Windows backend, run by Longhaul's Windows service (LocalSystem): `wireguard.exe
 * /installtunnelservice <path>` / `/uninstalltunnelservice <name>` and `wg.exe show <name> dump`.
 *
 * UNVERIFIED (no Windows recording here): verbs from wireguard-windows `main.go` and docs/enterprise.md (see
 * ../shared/facts/wireguard-profiles.md §7): the service is `WireGuardTunnel$<name>`, auto-starts at boot (Longhaul
 * uninstalls it on `down` so nothing starts unasked), and re-reads the file at every start. wg.exe's dump format is
 * the same code as wg(8) (wireguard-tools is built for Windows), so `parseWgDump` applies. Environment: plain Node.
 */
import type { ProcessRunner } from '../../platform/runner';
import { ProcessError } from '../../platform/runner';
import type { MissingTool } from '../install-hints';
import { parseWgDump } from '../wg-dump';
import { classifyWgShowError, NotLonghaulTunnel, type CommandLine, type DumpResult, type TunnelBackend } from './types';

export const WIREGUARD_EXE = 'C:\\Program Files\\WireGuard\\wireguard.exe';
export const WG_EXE = 'C:\\Program Files\\WireGuard\\wg.exe';

export const windowsCommands = {
  install: (confPath: string, exe = WIREGUARD_EXE): CommandLine => ({ program: exe, args: ['/installtunnelservice', confPath] }),
  uninstall: (name: string, exe = WIREGUARD_EXE): CommandLine => ({ program: exe, args: ['/uninstalltunnelservice', name] }),
  dump: (name: string, exe = WG_EXE): CommandLine => ({ program: exe, args: ['show', name, 'dump'] }),
  /** The service wireguard.exe creates for a tunnel. */
  serviceName: (name: string): string => `WireGuardTunnel$${name}`,
};

export function createWindowsBackend(runner: ProcessRunner, exes = { wireguard: WIREGUARD_EXE, wg: WG_EXE }): TunnelBackend {
  const run = (c: CommandLine) => runner.run(c.program, c.args, { timeoutMs: 60_000 });
  return {
    kind: 'windows',
    runsHooks: false,
    missingTools() {
      const missing: MissingTool[] = [];
      if (!runner.which(exes.wireguard)) missing.push({ tool: 'wireguard.exe', why: 'installs the tunnel service' });
      if (!runner.which(exes.wg)) missing.push({ tool: 'wg.exe', why: 'reads the tunnel status' });
      return missing;
    },
    interfaceOf: (name) => name,
    async interfaceExists(name) {
      const r = await this.dump(name);
      return r.ok;
    },
    async up(_name, confPath) {
      await run(windowsCommands.install(confPath, exes.wireguard));
    },
    async down(name, _confPath, { marked }) {
      if (!marked) throw new NotLonghaulTunnel(name); // a tunnel service installed by someone else stays
      await run(windowsCommands.uninstall(name, exes.wireguard));
    },
    async dump(name): Promise<DumpResult> {
      try {
        const r = await run(windowsCommands.dump(name, exes.wg));
        return { ok: true, dump: parseWgDump(r.stdout, name) };
      } catch (e) {
        if (e instanceof ProcessError && e.result) return classifyWgShowError(e.result.stderr);
        throw e;
      }
    },
  };
}
