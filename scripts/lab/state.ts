/**
 * A lab's record on disk (`<lab base>/<id>/lab.json`, root-only) so `lab down --id N` in another process finds what
 * `lab up` made. Environment: plain Node.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { KeyPair } from './keys';
import type { LabNames } from './names';
import type { RelayInfo } from './relay-control';
import { writeFileAtomic } from './netns';

export interface Lab {
  id: number;
  names: LabNames;
  /** Root-only directory holding this lab's files (profile, relay control, resolvconf state, logs). */
  dir: string;
  keys: { artist: KeyPair; gateway: KeyPair };
  /** The artist's wg-quick profile (`<dir>/<profileName>.conf`, mode 0600): DNS = the gateway's tunnel address. */
  profilePath: string;
  relay: RelayInfo;
  /** True when the lab itself brought the artist tunnel up with wg-quick (`artistUp: true`). */
  artistUp: boolean;
  scenario: string;
  /** Free-form values scenarios record for their tests (ports, fake host names, …). */
  extra: Record<string, unknown>;
  createdAt: string;
}

export function labBaseDir(env: Record<string, string | undefined> = process.env): string {
  return env.LONGHAUL_LAB_DIR && env.LONGHAUL_LAB_DIR.trim() !== '' ? path.resolve(env.LONGHAUL_LAB_DIR) : '/run/longhaul-lab';
}

export function labDir(id: number, base = labBaseDir()): string {
  return path.join(base, String(id));
}

export function saveLab(lab: Lab): void {
  writeFileAtomic(path.join(lab.dir, 'lab.json'), JSON.stringify(lab, null, 2) + '\n', 0o600);
}

export function loadLab(id: number, base = labBaseDir()): Lab | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(labDir(id, base), 'lab.json'), 'utf8')) as Lab;
  } catch {
    return null;
  }
}

export function listLabs(base = labBaseDir()): Lab[] {
  let entries: string[];
  try {
    entries = fs.readdirSync(base);
  } catch {
    return [];
  }
  return entries
    .filter((e) => /^\d+$/.test(e))
    .map((e) => loadLab(Number(e), base))
    .filter((l): l is Lab => l !== null)
    .sort((a, b) => a.id - b.id);
}
