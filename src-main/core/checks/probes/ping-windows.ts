/**
 * Windows DF ping without localised text: .NET `System.Net.NetworkInformation.Ping.Send` with
 * `PingOptions(ttl 64, dontFragment true)` through PowerShell, printing the culture-independent `IPStatus` name as JSON.
 * The host and size reach the script through environment variables, never spliced into `-Command` text (and both are
 * validated before: an IPv4 literal and an integer).
 * UNVERIFIED (no recording of this script's output): status names from the .NET `IPStatus` enum documentation
 * (Success, PacketTooBig, TimedOut, Destination*Unreachable) — the facts sheet §4, option 2.
 *
 * Environment: plain Node.
 */
import type { PingOutcome, PingResult } from './ping-types';

export const WINDOWS_PING_SCRIPT = [
  '$ErrorActionPreference = "Stop"',
  '$p = New-Object System.Net.NetworkInformation.Ping',
  '$o = New-Object System.Net.NetworkInformation.PingOptions(64, $true)',
  '$b = New-Object byte[] ([int]$env:LONGHAUL_PING_SIZE)',
  '$r = $p.Send([string]$env:LONGHAUL_PING_HOST, [int]$env:LONGHAUL_PING_TIMEOUT, $b, $o)',
  '[Console]::Out.Write((@{ status = [string]$r.Status; rtt = [long]$r.RoundtripTime } | ConvertTo-Json -Compress))',
].join('; ');

export function windowsPingCommand(host: string, payload: number, timeoutMs: number): { args: string[]; env: Record<string, string> } {
  return {
    args: ['-NoProfile', '-NonInteractive', '-Command', WINDOWS_PING_SCRIPT],
    env: { LONGHAUL_PING_HOST: host, LONGHAUL_PING_SIZE: String(payload), LONGHAUL_PING_TIMEOUT: String(Math.max(1, Math.round(timeoutMs))) },
  };
}

const STATUS: Record<string, PingOutcome> = {
  Success: 'reply',
  PacketTooBig: 'too-big',
  TimedOut: 'timeout',
  TimeExceeded: 'timeout',
  DestinationHostUnreachable: 'unreachable',
  DestinationNetworkUnreachable: 'unreachable',
  DestinationPortUnreachable: 'unreachable',
  DestinationProtocolUnreachable: 'unreachable',
  DestinationUnreachable: 'unreachable',
  TtlExpired: 'unreachable',
};

export function parseWindowsPingJson(stdout: string): PingResult {
  let doc: unknown;
  try {
    doc = JSON.parse(stdout.trim());
  } catch {
    return { outcome: 'error', rttMs: null, mtu: null, detail: `unreadable output: ${stdout.trim().slice(0, 200)}` };
  }
  const status = typeof doc === 'object' && doc !== null ? (doc as { status?: unknown }).status : undefined;
  const rtt = typeof doc === 'object' && doc !== null ? (doc as { rtt?: unknown }).rtt : undefined;
  const outcome = typeof status === 'string' ? (STATUS[status] ?? 'error') : 'error';
  return { outcome, rttMs: outcome === 'reply' && typeof rtt === 'number' ? rtt : null, mtu: null, detail: `IPStatus ${String(status)}` };
}
