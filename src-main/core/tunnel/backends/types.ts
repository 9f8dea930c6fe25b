/**
 * One interface over the OS tunnel tools (wg-quick, NetworkManager, WireGuard for Windows). Environment: plain Node.
 */
import type { TunnelReason } from '../../../contract/tunnel';
import type { MissingTool } from '../install-hints';
import type { WgDumpInterface } from '../wg-dump';

/** A program and its arguments, built by a pure function (unit-tested) and run by the runner. */
export interface CommandLine {
  program: string;
  args: string[];
}

export type DumpResult = { ok: true; dump: WgDumpInterface } | { ok: false; reason: TunnelReason | 'absent'; detail: string };

export interface TunnelBackend {
  readonly kind: 'wg-quick' | 'networkmanager' | 'windows';
  /** Tools this backend needs for a profile (with or without `DNS =`) that are not installed. */
  missingTools(opts: { hasDns: boolean }): MissingTool[];
  /** The OS interface a profile named `name` gets (same name on Linux and Windows). */
  interfaceOf(name: string): string;
  interfaceExists(iface: string): Promise<boolean>;
  /** Bring up from a canonical file `<dir>/<name>.conf` (root-only). */
  up(name: string, confPath: string): Promise<void>;
  down(name: string, confPath: string): Promise<void>;
  dump(iface: string): Promise<DumpResult>;
}

/** Classify `wg show` stderr (recorded: linux-wg-show-iface-unavailable-no-kmod-stderr.txt). */
export function classifyWgShowError(stderr: string): DumpResult {
  const s = stderr.trim();
  if (/Protocol not supported|No such device|No such file or directory/.test(s)) return { ok: false, reason: 'absent', detail: s };
  if (/Operation not permitted|Permission denied/.test(s)) return { ok: false, reason: 'permission-denied', detail: s };
  return { ok: false, reason: 'up-failed', detail: s };
}
