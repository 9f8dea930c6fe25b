/**
 * NetworkManager backend (Linux desktops where NM manages networking): import the canonical file as a connection,
 * activate/deactivate it, delete it on down. Status still comes from `wg show <iface> dump` (root → the helper).
 *
 * UNVERIFIED (no recording of nmcli import/up/down output here): command lines follow nmcli(1) and
 * NetworkManager's `src/libnm-client-impl/nm-conn-utils.c` (import since 1.16; connection id = file's base name);
 * only exit codes are relied on, never the text. Environment: plain Node.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ProcessRunner } from '../../platform/runner';
import type { MissingTool } from '../install-hints';
import { createWgQuickBackend } from './wg-quick';
import { NotLonghaulTunnel, type CommandLine, type TunnelBackend } from './types';

export const nmcliCommands = {
  /** `nmcli -t -f RUNNING general` prints `running` when NetworkManager runs (nmcli(1), "general status"). */
  running: (): CommandLine => ({ program: 'nmcli', args: ['-t', '-f', 'RUNNING', 'general'] }),
  import: (confPath: string): CommandLine => ({ program: 'nmcli', args: ['connection', 'import', 'type', 'wireguard', 'file', confPath] }),
  /** Never auto-start (issue rule: tunnels start only when asked or when policy says so). */
  noAutoconnect: (name: string): CommandLine => ({ program: 'nmcli', args: ['connection', 'modify', 'id', name, 'connection.autoconnect', 'no'] }),
  up: (name: string): CommandLine => ({ program: 'nmcli', args: ['connection', 'up', 'id', name] }),
  down: (name: string): CommandLine => ({ program: 'nmcli', args: ['connection', 'down', 'id', name] }),
  delete: (name: string): CommandLine => ({ program: 'nmcli', args: ['connection', 'delete', 'id', name] }),
};

export async function networkManagerRunning(runner: ProcessRunner): Promise<boolean> {
  if (!runner.which('nmcli')) return false;
  const c = nmcliCommands.running();
  const r = await runner.run(c.program, c.args, { okCodes: 'any', timeoutMs: 5_000 }).catch(() => null);
  return r !== null && r.code === 0 && r.stdout.trim() === 'running';
}

export function createNetworkManagerBackend(runner: ProcessRunner): TunnelBackend {
  const base = createWgQuickBackend(runner, 'linux');
  const run = (c: CommandLine, okCodes: readonly number[] = [0]) => runner.run(c.program, c.args, { timeoutMs: 60_000, okCodes });
  return {
    kind: 'networkmanager',
    runsHooks: false,
    missingTools() {
      const missing: MissingTool[] = [];
      if (!runner.which('nmcli')) missing.push({ tool: 'nmcli', why: 'drives NetworkManager' });
      if (!runner.which('wg')) missing.push({ tool: 'wg', why: 'reads the tunnel status' });
      return missing;
    },
    interfaceOf: (name) => name,
    interfaceExists: (iface) => Promise.resolve(fs.existsSync(path.join('/sys/class/net', iface))),
    async up(name, confPath) {
      // A previous import with the same id is replaced so the connection always matches the canonical file.
      await run(nmcliCommands.delete(name), [0, 10]);
      await run(nmcliCommands.import(confPath));
      await run(nmcliCommands.noAutoconnect(name));
      await run(nmcliCommands.up(name));
    },
    async down(name, _confPath, { marked }) {
      // The connection id is just the name: without Longhaul's marker it may be anyone's connection (even "eth0").
      if (!marked) throw new NotLonghaulTunnel(name);
      await run(nmcliCommands.down(name), [0, 10]);
      await run(nmcliCommands.delete(name), [0, 10]);
    },
    dump: (iface) => base.dump(iface),
  };
}
