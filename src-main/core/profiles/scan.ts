/**
 * The line scanner: models wg-quick v1.0.20210914 (`parse_options` in linux.bash) in front of `wg` (`src/config.c`),
 * because that is what `wg-quick up` really does:
 *  1. wg-quick cuts at `#`, splits key/value at the first `=`, trims the ends, and consumes its own keys (Address, DNS,
 *     MTU, Table, hooks, SaveConfig) only while the last header line was exactly `[Interface]` (any case).
 *  2. Every other line goes to `wg`, which removes all whitespace and knows only its own keys per section.
 * Where Windows/Apple/NetworkManager read a line differently, a `portability` warning names them. Environment: plain Node.
 */
import type { Prefix } from './ip';
import type { ProfileIssue, WgHooks } from './types';
import { emptyHooks } from './types';

export interface PeerDraft {
  line: number;
  publicKey: { value: string; line: number } | null;
  presharedKey: string | null;
  allowedIps: Prefix[];
  endpoint: { host: string; port: number } | null;
  keepalive: number | null;
  seen: Map<string, number>;
}

export interface ScanState {
  errors: ProfileIssue[];
  warnings: ProfileIssue[];
  /** Section as `wg` sees it. */
  section: 'none' | 'interface' | 'peer';
  /** True while wg-quick's own keys are consumed (last header exactly `[Interface]`). */
  wgQuickInterface: boolean;
  interfaceLine: number | null;
  interfaceCount: number;
  privateKey: { value: string; line: number } | null;
  listenPort: number | null;
  mtu: { value: number; line: number } | null;
  table: string | null;
  addresses: Prefix[];
  dns: string[];
  dnsSearch: string[];
  dnsLine: number | null;
  hooks: WgHooks;
  ifaceSeen: Map<string, number>;
  peers: PeerDraft[];
}

export function newScanState(): ScanState {
  return {
    errors: [],
    warnings: [],
    section: 'none',
    wgQuickInterface: false,
    interfaceLine: null,
    interfaceCount: 0,
    privateKey: null,
    listenPort: null,
    mtu: null,
    table: null,
    addresses: [],
    dns: [],
    dnsSearch: [],
    dnsLine: null,
    hooks: emptyHooks(),
    ifaceSeen: new Map(),
    peers: [],
  };
}

export const WG_QUICK_KEYS = ['address', 'dns', 'mtu', 'table', 'preup', 'postup', 'predown', 'postdown', 'saveconfig'] as const;
export type WgQuickKey = (typeof WG_QUICK_KEYS)[number];
export const WG_INTERFACE_KEYS = ['privatekey', 'listenport', 'fwmark'] as const;
export const WG_PEER_KEYS = ['publickey', 'presharedkey', 'allowedips', 'endpoint', 'persistentkeepalive'] as const;

/** Keys that `wg` and wg-quick accumulate over repeated lines (the rest are scalars: last wins). */
export const LIST_KEYS = new Set(['address', 'dns', 'allowedips', 'preup', 'postup', 'predown', 'postdown']);

export const CANONICAL_KEY_NAMES: Record<string, string> = {
  address: 'Address',
  dns: 'DNS',
  mtu: 'MTU',
  table: 'Table',
  preup: 'PreUp',
  postup: 'PostUp',
  predown: 'PreDown',
  postdown: 'PostDown',
  saveconfig: 'SaveConfig',
  privatekey: 'PrivateKey',
  listenport: 'ListenPort',
  fwmark: 'FwMark',
  publickey: 'PublicKey',
  presharedkey: 'PresharedKey',
  allowedips: 'AllowedIPs',
  endpoint: 'Endpoint',
  persistentkeepalive: 'PersistentKeepalive',
};

export function err(st: ScanState, line: number | null, code: string, message: string): void {
  st.errors.push({ line, code, message });
}
export function warn(st: ScanState, line: number | null, code: string, message: string): void {
  st.warnings.push({ line, code, message });
}
export function portability(st: ScanState, line: number | null, message: string): void {
  warn(st, line, 'portability', message);
}

/** What one physical line is, before any key-specific checks. */
export type LineKind =
  | { kind: 'blank' }
  | { kind: 'header'; name: 'interface' | 'peer'; exact: boolean }
  | { kind: 'bad-header'; text: string }
  | { kind: 'wg-quick'; key: WgQuickKey; value: string; hasEquals: boolean }
  | { kind: 'wg'; key: string; value: string; spacedKey: boolean; spacedValue: boolean; compact: string };

export function classifyLine(raw: string, wgQuickInterface: boolean): LineKind {
  const hash = raw.indexOf('#');
  const stripped = hash >= 0 ? raw.slice(0, hash) : raw;
  const eq = stripped.indexOf('=');
  const key = (eq >= 0 ? stripped.slice(0, eq) : stripped).trim();
  const value = (eq >= 0 ? stripped.slice(eq + 1) : stripped).trim();
  const compact = stripped.replace(/\s+/g, '');
  if (compact === '') return { kind: 'blank' };
  if (key.startsWith('[') || compact.startsWith('[')) {
    const lower = compact.toLowerCase();
    if (lower === '[interface]' || lower === '[peer]') {
      const exact = key.toLowerCase() === lower && eq < 0;
      return { kind: 'header', name: lower === '[interface]' ? 'interface' : 'peer', exact };
    }
    return { kind: 'bad-header', text: stripped.trim() };
  }
  const lowerKey = key.toLowerCase();
  if (wgQuickInterface && (WG_QUICK_KEYS as readonly string[]).includes(lowerKey)) {
    return { kind: 'wg-quick', key: lowerKey as WgQuickKey, value, hasEquals: eq >= 0 };
  }
  const ceq = compact.indexOf('=');
  const wgKey = ceq >= 0 ? compact.slice(0, ceq).toLowerCase() : compact.toLowerCase();
  const wgValue = ceq >= 0 ? compact.slice(ceq + 1) : '';
  return {
    kind: 'wg',
    key: ceq >= 0 ? wgKey : '',
    value: wgValue,
    spacedKey: /\s/.test(key),
    spacedValue: /[^,\s]\s+[^,\s]/.test(value.replace(/\s*,\s*/g, ',')),
    compact,
  };
}
