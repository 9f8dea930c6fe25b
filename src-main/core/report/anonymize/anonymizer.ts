/**
 * The report anonymiser: one instance per report, so a value maps to the same pseudonym in every file of the bundle.
 * Environment: plain Node.
 *
 * Passes, in order (each replacement becomes an opaque token, so no later pass can touch it — see tokens.ts):
 *  1. private/preshared keys: explicit values (`addSecret`), every key the process-wide redactor knows, any
 *     base64 key written after a `PrivateKey`/`PresharedKey` name, and every other key-shaped token (any letter case)
 *     that is not a known public key (`addPublicKey`, the process-wide redactor's, or the value of a `publicKey`
 *     field anywhere in the document, learnt first) → `[REDACTED-KEY]` (normal mode; strict: pass 4);
 *  2. home paths: the current user's real home, `/home/<u>`, `/Users/<u>`, `C:\Users\<u>` → `~`;
 *  3. usernames (the current user, users seen in home paths, explicit ones) as whole words or path segments → `~`;
 *  4. strict only: every other key-shaped token, public or unknown → `[wg-key-N]` (done in pass 1, so no later pass
 *     can cut a key apart);
 *  5. IP addresses (ip.ts): public → documentation ranges, private kept (strict: 198.18/15 and 2001:db8:1::/48);
 *  6. strict only: hostnames (registered names, and dotted names under common TLDs) → `host-N.example`.
 * Call `learn()` on everything first so usernames found in one file are removed from files processed before it.
 */
import * as os from 'node:os';
import { globalRedactor, Redactor, REDACTED_KEY } from '../../log/redact';
import { classifyV4, classifyV6, docV4, docV6, groupsToV6, internalV4, isIPv4, isIPv6, mappedV4, v6Groups } from './ip';
import { TokenStore } from './tokens';

export type RedactionMode = 'normal' | 'strict';

export interface AnonymizerOptions {
  mode: RedactionMode;
  /** The current user's home directory (default os.homedir()). */
  homedir?: string;
  /** The current user's name (default os.userInfo().username). */
  username?: string;
  /** Also consult the process-wide redactor (default true). */
  useGlobalRedactor?: boolean;
}

export interface AnonymizerStats {
  keysRemoved: number;
  homePaths: number;
  usernames: number;
  ipsMapped: number;
  publicKeysMapped: number;
  hostnamesMapped: number;
}

/** Names that are roles, not people: never treated as usernames. */
const NOT_PERSONAL = new Set(['root', 'admin', 'administrator', 'user', 'users', 'public', 'shared', 'default', 'default user', 'all users', 'guest', 'nobody', 'system', 'home', 'localservice', 'networkservice']);

const SEG = `[^\\\\/\\s"'\`:;,()<>\\[\\]{}|*?]+`;
const HOME_PATTERNS: RegExp[] = [
  new RegExp(`(?:/var)?/home/(${SEG})`, 'g'),
  new RegExp(`/Users/(${SEG})`, 'g'),
  new RegExp(`\\b[A-Za-z]:[\\\\/]+(?:Users|Documents and Settings)[\\\\/]+(${SEG})`, 'gi'),
];
const V6_CANDIDATE = /(?<![\w:.])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:\.\d{1,3}){0,3}(?:%[\w.-]+)?(?![\w:])/g;
const V4_OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const V4_TEXT = new RegExp(`(?<![\\w.])${V4_OCTET}(?:\\.${V4_OCTET}){3}(?![\\w]|\\.\\d)`, 'g');
const TLDS = 'com|net|org|io|dev|app|cloud|studio|farm|render|tv|co|uk|de|fr|nl|jp|ca|au|eu|us|local|lan|internal|intranet|corp|home|arpa|example|test|invalid';
const HOST_TEXT = new RegExp(`(?<![\\w.@-])((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+(?:${TLDS}))(?![\\w-]|\\.[A-Za-z0-9])`, 'gi');

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class Anonymizer {
  readonly mode: RedactionMode;
  private readonly local = new Redactor();
  private readonly useGlobal: boolean;
  private readonly homes = new Set<string>();
  private readonly users = new Set<string>();
  private readonly hosts = new Set<string>();
  private readonly ipMap = new Map<string, string>();
  private v4Public = 0;
  private v4Internal = 0;
  private v6Public = 0;
  private v6Internal = 0;
  private readonly keyMap = new Map<string, string>();
  private readonly hostMap = new Map<string, string>();
  private usersRe: RegExp | null | undefined;
  private homeRes: RegExp[] | undefined;
  private hostsRe: RegExp | null | undefined;
  private readonly counts: AnonymizerStats = { keysRemoved: 0, homePaths: 0, usernames: 0, ipsMapped: 0, publicKeysMapped: 0, hostnamesMapped: 0 };

  constructor(opts: AnonymizerOptions) {
    this.mode = opts.mode;
    this.useGlobal = opts.useGlobalRedactor ?? true;
    const home = opts.homedir ?? safe(() => os.homedir());
    if (home && home.length > 1 && home !== '/') this.homes.add(home.replace(/[\\/]+$/, ''));
    this.addUsername(opts.username ?? safe(() => os.userInfo().username) ?? '');
  }

  /** A private or preshared key (or any other secret string) to remove everywhere. */
  addSecret(value: string): void {
    this.local.addSecret(value);
  }
  /** A public key to keep in normal mode (strict mode pseudonymises it): the profile's peers' and this machine's. */
  addPublicKey(value: string): void {
    this.local.addPublicKey(value);
  }
  addUsername(name: string): void {
    const n = name.trim();
    if (n.length >= 2 && !NOT_PERSONAL.has(n.toLowerCase()) && !this.users.has(n)) {
      this.users.add(n);
      this.usersRe = undefined;
    }
  }
  addHomePath(p: string): void {
    if (p.length > 1) this.homes.add(p.replace(/[\\/]+$/, ''));
    this.homeRes = undefined;
  }
  /** A hostname to pseudonymise in strict mode (the profile endpoint, the site's hosts, this machine's name). */
  addHostname(name: string): void {
    const n = name.trim().replace(/\.$/, '');
    if (n.length >= 2 && !isIPv4(n) && !isIPv6(n) && n.toLowerCase() !== 'localhost') {
      this.hosts.add(n.toLowerCase());
      this.hostsRe = undefined;
    }
  }

  stats(): AnonymizerStats {
    return { ...this.counts };
  }

  /** The pseudonym table for IP addresses (original → pseudonym), for tests and the bundle's own accounting. */
  ipTable(): ReadonlyMap<string, string> {
    return this.ipMap;
  }

  /** First pass over raw data: remember usernames seen in home paths, wherever they occur. */
  learn(value: unknown): void {
    walkFields(value, (k, v) => {
      if (this.isPublicKeyField(k, v)) this.local.addPublicKey(v);
    });
    walkStrings(value, (s) => {
      for (const re of HOME_PATTERNS) {
        for (const m of s.matchAll(re)) this.addUsername(m[1]!);
      }
    });
  }

  text(input: string): string {
    const store = new TokenStore();
    let s = TokenStore.sanitize(input);
    s = this.passSecrets(s, store);
    s = this.passHomes(s, store);
    s = this.passUsers(s, store);
    s = this.passIps(s, store);
    if (this.mode === 'strict') s = this.passHosts(s, store);
    return store.restore(s);
  }

  /** Deep copy with every string (object keys included) anonymised; secret-named fields always redacted. */
  value<T>(input: T): T {
    return this.walk(input, undefined) as T;
  }

  private walk(v: unknown, key: string | undefined): unknown {
    if (key !== undefined && /^(private|preshared)[ _-]?keys?$/i.test(key) && typeof v === 'string' && v !== '') {
      this.counts.keysRemoved++;
      return REDACTED_KEY;
    }
    if (typeof v === 'string') {
      if (this.isPublicKeyField(key, v)) this.local.addPublicKey(v);
      return this.text(v);
    }
    if (Array.isArray(v)) return v.map((x) => this.walk(x, undefined));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[this.text(k)] = this.walk(x, k);
      return out;
    }
    return v;
  }

  private isPublicKeyField(key: string | undefined, v: string): boolean {
    return this.local.isPublicKeyField(key, v) && (!this.useGlobal || globalRedactor.isPublicKeyField(key, v));
  }

  private isPublicKey = (token: string): boolean => this.local.isPublicKey(token) || (this.useGlobal && globalRedactor.isPublicKey(token));

  private passSecrets(s: string, store: TokenStore): string {
    // The Redactor also removes any key written after a PrivateKey/PresharedKey name, and every key-shaped token that
    // is not a known public key.
    const replaceKey = (t: string): string => (this.mode === 'strict' ? store.put(this.keyPseudonym(t)) : this.isPublicKey(t) ? t : REDACTED_KEY);
    let out = this.useGlobal ? globalRedactor.redact(s, { replaceKey }) : s;
    out = this.local.redact(out, { replaceKey });
    return out.split(REDACTED_KEY).reduce((acc, part, i) => {
      if (i === 0) return part;
      this.counts.keysRemoved++;
      return acc + store.put(REDACTED_KEY) + part;
    });
  }

  private passHomes(s: string, store: TokenStore): string {
    this.homeRes ??= [...this.homes]
      .sort((a, b) => b.length - a.length)
      .flatMap((home) => [...new Set([home, home.replace(/\\/g, '\\\\'), home.replace(/\\/g, '/')])])
      .map((h) => new RegExp(`${escapeRe(h)}(?![\\w.-])`, /^[A-Za-z]:/.test(h) ? 'gi' : 'g'));
    let out = s;
    for (const re of this.homeRes) {
      out = out.replace(re, () => {
        this.counts.homePaths++;
        return store.put('~');
      });
    }
    for (const re of HOME_PATTERNS) {
      out = out.replace(re, (whole, user: string) => {
        if (NOT_PERSONAL.has(user.toLowerCase())) return whole;
        this.counts.homePaths++;
        return store.put('~');
      });
    }
    return out;
  }

  private passUsers(s: string, store: TokenStore): string {
    if (this.usersRe === undefined) {
      const alts = [...this.users].sort((a, b) => b.length - a.length).map(escapeRe).join('|');
      this.usersRe = alts ? new RegExp(`(?<![A-Za-z0-9_])(?:${alts})(?![A-Za-z0-9_])`, 'gi') : null;
    }
    if (!this.usersRe) return s;
    return s.replace(this.usersRe, () => {
      this.counts.usernames++;
      return store.put('~');
    });
  }

  /** Strict mode: the consistent pseudonym of a key-shaped token that is not a secret. */
  private keyPseudonym(k: string): string {
    let p = this.keyMap.get(k);
    if (!p) {
      p = `[wg-key-${this.keyMap.size + 1}]`;
      this.keyMap.set(k, p);
    }
    this.counts.publicKeysMapped++;
    return p;
  }

  private passIps(s: string, store: TokenStore): string {
    let out = s.replace(V6_CANDIDATE, (cand) => {
      const [addr, zone] = cand.split('%') as [string, string | undefined];
      if (!isIPv6(addr)) return cand;
      const mapped = this.mapV6(addr);
      return mapped === null ? cand : store.put(mapped + (zone !== undefined ? `%${zone}` : ''));
    });
    out = out.replace(V4_TEXT, (addr) => {
      const mapped = this.mapV4(addr);
      return mapped === null ? addr : store.put(mapped);
    });
    return out;
  }

  /** Pseudonym for an IPv4 address, or null when it is kept. */
  mapV4(addr: string): string | null {
    const cls = classifyV4(addr);
    if (cls === 'keep' || (cls === 'private' && this.mode === 'normal')) return null;
    let p = this.ipMap.get(addr);
    if (!p) {
      p = cls === 'public' ? (docV4(this.v4Public++) ?? `[ipv4-${this.v4Public}]`) : (internalV4(this.v4Internal++) ?? `[ipv4-internal-${this.v4Internal}]`);
      this.ipMap.set(addr, p);
    }
    this.counts.ipsMapped++;
    return p;
  }

  /** Pseudonym for an IPv6 address (any textual form), or null when it is kept. */
  mapV6(addr: string): string | null {
    const g = v6Groups(addr);
    const v4 = mappedV4(g);
    if (v4 !== null) {
      const m = this.mapV4(v4);
      if (m === null) return null;
      return m.startsWith('[') ? m : `::ffff:${m}`;
    }
    const cls = classifyV6(g);
    if (cls === 'keep' || (cls === 'private' && this.mode === 'normal')) return null;
    const canon = groupsToV6(g);
    let p = this.ipMap.get(canon);
    if (!p) {
      p = cls === 'public' ? docV6(this.v6Public++, false) : docV6(this.v6Internal++, true);
      this.ipMap.set(canon, p);
    }
    this.counts.ipsMapped++;
    return p;
  }

  private passHosts(s: string, store: TokenStore): string {
    let out = s;
    if (this.hostsRe === undefined) {
      const alts = [...this.hosts].sort((a, b) => b.length - a.length).map(escapeRe).join('|');
      this.hostsRe = alts ? new RegExp(`(?<![\\w.-])(?:${alts})\\.?(?![\\w-]|\\.[A-Za-z0-9])`, 'gi') : null;
    }
    if (this.hostsRe) out = out.replace(this.hostsRe, (h) => store.put(this.hostPseudonym(h)));
    return out.replace(HOST_TEXT, (h: string) => (h.toLowerCase() === 'localhost' ? h : store.put(this.hostPseudonym(h))));
  }

  private hostPseudonym(raw: string): string {
    const trailingDot = raw.endsWith('.');
    const h = raw.replace(/\.$/, '').toLowerCase();
    let p = this.hostMap.get(h);
    if (!p) {
      p = h.includes('.') ? `host-${this.hostMap.size + 1}.example` : `host-${this.hostMap.size + 1}`;
      this.hostMap.set(h, p);
    }
    this.counts.hostnamesMapped++;
    return p + (trailingDot ? '.' : '');
  }
}

function safe<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

/** Every string value with the name of the field holding it. */
function walkFields(v: unknown, f: (key: string, value: string) => void): void {
  if (Array.isArray(v)) v.forEach((x) => walkFields(x, f));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (typeof x === 'string') f(k, x);
      else walkFields(x, f);
    }
  }
}

function walkStrings(v: unknown, f: (s: string) => void): void {
  if (typeof v === 'string') f(v);
  else if (Array.isArray(v)) v.forEach((x) => walkStrings(x, f));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      f(k);
      walkStrings(x, f);
    }
  }
}
