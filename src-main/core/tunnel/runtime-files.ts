/**
 * Root-only runtime files of the tunnel controller: `<dir>/<name>.conf` (the canonical file wg-quick / nmcli /
 * wireguard.exe read — re-serialised from the validated profile, mode 0600) and `<dir>/<name>.json` (the marker:
 * Longhaul brought this tunnel up at T and waits W seconds). Environment: plain Node.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensurePrivateDir, removeFileDurable, writeFileAtomic } from '../platform/atomic';
import { isValidInterfaceName } from '../profiles';
import type { TunnelMarker } from './status';

export function confPathOf(dir: string, name: string): string {
  return path.join(dir, `${name}.conf`);
}

export function writeConf(dir: string, name: string, text: string): string {
  ensurePrivateDir(dir);
  const file = confPathOf(dir, name);
  writeFileAtomic(file, text, 0o600);
  return file;
}

export function removeConf(dir: string, name: string): void {
  removeFileDurable(confPathOf(dir, name));
}

export function writeMarker(dir: string, m: TunnelMarker): void {
  ensurePrivateDir(dir);
  writeFileAtomic(path.join(dir, `${m.name}.json`), JSON.stringify(m) + '\n', 0o600);
}

export function readMarker(dir: string, name: string): TunnelMarker | null {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`), 'utf8')) as TunnelMarker;
    return typeof m.name === 'string' && typeof m.startedAt === 'number' ? m : null;
  } catch {
    return null;
  }
}

export function removeMarker(dir: string, name: string): void {
  removeFileDurable(path.join(dir, `${name}.json`));
}

export function listMarkers(dir: string): TunnelMarker[] {
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.endsWith('.json') && isValidInterfaceName(e.slice(0, -5)))
    .map((e) => readMarker(dir, e.slice(0, -5)))
    .filter((m): m is TunnelMarker => m !== null);
}
