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
  /**
   * Whether this backend runs a profile's PreUp/PostUp/PreDown/PostDown itself. Only wg-quick does (as root, through
   * bash). NetworkManager's WireGuard import has no hooks; WireGuard for Windows runs them only when the administrator
   * set its DangerousScriptExecution registry value, which Longhaul never does. Hooks are used only for a profile
   * delivered by managed policy with `allowScripts` (controller `UpRequest.hooksApproved`); elsewhere they are refused.
   */
  readonly runsHooks: boolean;
  /** Tools this backend needs for a profile (with or without `DNS =`) that are not installed. */
  missingTools(opts: { hasDns: boolean }): MissingTool[];
  /** The OS interface a profile named `name` gets (same name on Linux and Windows). */
  interfaceOf(name: string): string;
  interfaceExists(iface: string): Promise<boolean>;
  /** Bring up from a canonical file `<dir>/<name>.conf` (root-only). */
  up(name: string, confPath: string): Promise<void>;
  /**
   * Take the tunnel down: from the canonical file when it exists, else (only when `marked`: Longhaul's own runtime
   * marker for `name` is present) by deleting the interface / connection directly. Unmarked and no file →
   * `NotLonghaulTunnel`, nothing run: a name Longhaul never brought up (eth0, wlan0, someone's connection) is never
   * deleted.
   */
  down(name: string, confPath: string, o: DownOptions): Promise<void>;
  dump(iface: string): Promise<DumpResult>;
}

export interface DownOptions {
  /** Longhaul's runtime marker for this name exists (Longhaul brought the tunnel up). */
  marked: boolean;
}

/** `down` of a name Longhaul did not bring up: refused before any command runs. */
export class NotLonghaulTunnel extends Error {
  constructor(readonly tunnel: string) {
    super(notLonghaulMessage(tunnel));
    this.name = 'NotLonghaulTunnel';
  }
}

export function notLonghaulMessage(name: string): string {
  return `${name} is not a Longhaul tunnel; nothing was changed. Longhaul only takes down tunnels it brought up itself.`;
}

/** `status NAME` of a name that is not Longhaul's: refused before any command (nothing about it is read). */
export function notLonghaulStatusMessage(name: string): string {
  return `${name} is not a Longhaul tunnel: Longhaul reports only tunnels it brought up or that IT installed for it; nothing was read.`;
}

/** Classify `wg show` stderr (recorded: linux-wg-show-iface-unavailable-no-kmod-stderr.txt). */
export function classifyWgShowError(stderr: string): DumpResult {
  const s = stderr.trim();
  if (/Protocol not supported|No such device|No such file or directory/.test(s)) return { ok: false, reason: 'absent', detail: s };
  if (/Operation not permitted|Permission denied/.test(s)) return { ok: false, reason: 'permission-denied', detail: s };
  return { ok: false, reason: 'up-failed', detail: s };
}
