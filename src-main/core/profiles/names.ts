/**
 * Profile (= interface) names. The rule is wg-quick's interface-name rule `^[a-zA-Z0-9_=+.-]{1,15}$`, narrowed to what
 * every client accepts: not `.`/`..`, no leading or trailing `.` (WireGuard for Windows), not a DOS device name before
 * the first `.` (Windows `conf/name.go`), not `all`/`default`/`bonding_masters` (NetworkManager), not ending `.conf`.
 * Environment: any.
 */
import { quote } from '../log/quote';

const NAME_CHARS = /^[a-zA-Z0-9_=+.-]{1,15}$/;
const DOS_NAMES = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])$/i;
const NM_RESERVED = new Set(['all', 'default', 'bonding_masters']);

export type NameProblem = 'chars' | 'dots' | 'reserved' | 'conf-suffix';

export function nameProblem(name: string): NameProblem | null {
  if (!NAME_CHARS.test(name)) return 'chars';
  if (name.startsWith('.') || name.startsWith('-') || name.endsWith('.')) return 'dots';
  if (/\.conf$/i.test(name)) return 'conf-suffix';
  if (DOS_NAMES.test(name.split('.')[0]) || NM_RESERVED.has(name.toLowerCase())) return 'reserved';
  return null;
}

export function isValidInterfaceName(name: string): boolean {
  return nameProblem(name) === null;
}

export function describeNameProblem(name: string, problem: NameProblem): string {
  switch (problem) {
    case 'chars':
      return `${quote(name, 32)} is not a valid tunnel name: use 1–15 characters from letters, digits and _ = + . -`;
    case 'dots':
      return `${quote(name, 32)} is not a valid tunnel name: it may not start with a dot or a dash, nor end with a dot`;
    case 'conf-suffix':
      return `${quote(name, 32)} is not a valid tunnel name: it may not end in .conf`;
    case 'reserved':
      return `${quote(name, 32)} is not a valid tunnel name: it is reserved on Windows or by NetworkManager`;
  }
}

/** The file's own name without directories and without `.conf`/`.zip` (the name a user expects to see). */
export function baseNameOf(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  return base.replace(/\.(conf|zip)$/i, '');
}

/** A valid name derived from a file name; `fallback` when nothing usable is left. */
export function suggestName(fileName: string | undefined, fallback = 'wg0'): { name: string; suggested: boolean } {
  if (fileName === undefined || fileName === '') return { name: fallback, suggested: true };
  const wanted = baseNameOf(fileName);
  if (isValidInterfaceName(wanted)) return { name: wanted, suggested: false };
  let name = wanted
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\.conf$/i, '')
    .replace(/[^a-zA-Z0-9_=+.-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 15)
    .replace(/[.-]+$/, '');
  if (name === '') name = fallback;
  if (nameProblem(name) === 'reserved') name = `${name.slice(0, 12)}-wg`;
  if (!isValidInterfaceName(name)) name = fallback;
  return { name, suggested: true };
}
