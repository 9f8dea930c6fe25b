/** Human-readable tunnel status lines for the CLI. Environment: any. */
import type { TunnelStatus } from '../../contract/tunnel';

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export function formatStatus(s: TunnelStatus): string {
  const head = `${s.name}: ${s.state}${s.reason ? ` (${s.reason})` : ''}`;
  const facts: string[] = [];
  if (s.state !== 'disconnected') facts.push(`interface ${s.interface}`);
  if (s.endpoint) facts.push(`endpoint ${s.endpoint}`);
  if (s.latestHandshakeAgeSec !== null) facts.push(`last handshake ${s.latestHandshakeAgeSec} s ago`);
  if (s.state === 'connected' || s.rxBytes + s.txBytes > 0) facts.push(`received ${formatBytes(s.rxBytes)}, sent ${formatBytes(s.txBytes)}`);
  let out = facts.length > 0 ? `${head} — ${facts.join(', ')}\n` : `${head}\n`;
  if (s.message) out += `  ${s.message}\n`;
  return out;
}
