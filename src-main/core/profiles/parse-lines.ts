/**
 * Key handlers for the scanner (see scan.ts for the model). Environment: plain Node.
 */
import { quote } from '../log/quote';
import { globalRedactor } from '../log/redact';
import { checkKey } from './keys';
import {
  CANONICAL_KEY_NAMES,
  LIST_KEYS,
  WG_INTERFACE_KEYS,
  WG_PEER_KEYS,
  WG_QUICK_KEYS,
  classifyLine,
  err,
  portability,
  type PeerDraft,
  type ScanState,
  type WgQuickKey,
} from './scan';
import { parseIp } from './ip';
import {
  checkAddress,
  checkAllowedIp,
  checkEndpoint,
  checkKeepalive,
  checkMtu,
  checkPort,
  checkTable,
  hasShellMeta,
  isHostname,
  splitWgQuickList,
  type Check,
} from './values';
import type { ParseOptions } from './types';

const KEY_PROBLEM_TEXT = {
  format: 'is not a WireGuard key: it must be 44 characters of standard base64 ending in "="',
  'non-canonical': 'is not in canonical form (its last characters encode stray bits); copy the key again from the source',
  zero: 'is all zeros, which is not a usable key; generate a real key (wg genkey)',
} as const;

/*
 * What a message may echo (docs/profiles.md, "What messages may quote"): the canonical name of a known setting; a
 * setting or section name only when it looks like a name (`nameLabel`); the value of a known non-key setting only
 * through `quote` (capped, control characters escaped, key-shaped text removed). Never the value of a key setting,
 * never an unrecognised line, never the text after a section header: any of them may be a pasted private key.
 */
function keyName(k: string): string {
  return CANONICAL_KEY_NAMES[k] ?? 'This setting';
}

/** A name as the user wrote it, quoted, when it looks like a setting name (≤ 24 letters, digits, _ - and single spaces); else null. */
function nameLabel(text: string): string | null {
  const t = text.trim();
  return t.length <= 24 && /^[A-Za-z][A-Za-z0-9_-]*(?: [A-Za-z0-9_-]+)*$/.test(t) ? quote(t) : null;
}

/** The known setting a line starts with as a whole word when its "=" is missing or replaced (`PrivateKey: …`, `PrivateKey …`). */
function knownPrefix(raw: string): string | null {
  const word = /^\s*([A-Za-z]+)(?![A-Za-z0-9])/.exec(raw)?.[1];
  return word ? (CANONICAL_KEY_NAMES[word.toLowerCase()] ?? null) : null;
}

function badHeaderMessage(text: string): string {
  const glued = /^\[\s*(interface|peer)\s*\]/i.exec(text);
  if (glued) {
    const h = glued[1]!.toLowerCase() === 'interface' ? '[Interface]' : '[Peer]';
    return `Something follows the ${h} header on this line: a section header stands alone on its line. Put each setting on its own line below ${h}.`;
  }
  const whole = /^\[([^\]]*)\]$/.exec(text);
  const label = whole ? nameLabel(whole[1]!) : null;
  return label
    ? `Unknown section [${label.slice(1, -1)}]: a WireGuard profile has only [Interface] and [Peer] sections.`
    : 'This line starts with "[" but is not a section header: a WireGuard profile has only [Interface] and [Peer] sections.';
}

function take<T>(st: ScanState, line: number, r: Check<T>): T | undefined {
  if (!r.ok) {
    err(st, line, r.code, r.message);
    return undefined;
  }
  for (const n of r.notes ?? []) portability(st, line, n);
  return r.value;
}

function noteRepeat(st: ScanState, seen: Map<string, number>, key: string, line: number): void {
  const first = seen.get(key);
  if (first === undefined) {
    seen.set(key, line);
    return;
  }
  const what = LIST_KEYS.has(key)
    ? `${keyName(key)} repeats line ${first}; wg-quick combines them, the Apple app rejects repeated keys. Put all values on one line, comma-separated.`
    : `${keyName(key)} repeats line ${first}; the last value wins in wg-quick and WireGuard for Windows, the Apple app rejects repeated keys. Keep one ${keyName(key)} line.`;
  portability(st, line, what);
}

export function scanLine(st: ScanState, n: number, raw: string, opts: ParseOptions): void {
  const c = classifyLine(raw, st.wgQuickInterface);
  switch (c.kind) {
    case 'blank':
      return;
    case 'bad-header':
      st.wgQuickInterface = false;
      st.section = 'none';
      err(st, n, 'syntax.section', badHeaderMessage(c.text));
      return;
    case 'header':
      return header(st, n, c.name, c.exact, raw);
    case 'wg-quick':
      return wgQuickKey(st, n, c.key, c.value, c.hasEquals, opts);
    case 'wg':
      return wgKey(st, n, c, raw);
  }
}

function header(st: ScanState, n: number, name: 'interface' | 'peer', exact: boolean, raw: string): void {
  st.wgQuickInterface = name === 'interface' && exact;
  if (!exact) {
    portability(st, n, `Section header ${quote(raw.trim())} has spaces inside the brackets: wg accepts it, WireGuard for Windows and the Apple app reject it, and wg-quick then ignores Address/DNS/MTU. Write [${name === 'interface' ? 'Interface' : 'Peer'}].`);
  }
  if (name === 'interface') {
    st.interfaceCount++;
    if (st.interfaceCount > 1) portability(st, n, `A second [Interface] section (first at line ${st.interfaceLine}): wg-quick merges them, the Apple app rejects the file. Use a single [Interface] section.`);
    else if (st.peers.length > 0) portability(st, n, '[Interface] comes after a [Peer]: the Apple app rejects this and WireGuard for Windows adds the peer twice. Put [Interface] first.');
    st.interfaceLine ??= n;
    st.section = 'interface';
    return;
  }
  st.section = 'peer';
  st.peers.push({ line: n, publicKey: null, presharedKey: null, allowedIps: [], endpoint: null, keepalive: null, seen: new Map() });
}

function wgQuickKey(st: ScanState, n: number, key: WgQuickKey, value: string, hasEquals: boolean, opts: ParseOptions): void {
  const name = keyName(key);
  if (!hasEquals) {
    err(st, n, 'syntax.no-equals', `${name} has no "=": write ${name} = value.`);
    return;
  }
  noteRepeat(st, st.ifaceSeen, key, n);
  if (key === 'preup' || key === 'postup' || key === 'predown' || key === 'postdown') {
    if (opts.origin === 'policy' && opts.allowScripts) {
      const slot = { preup: 'preUp', postup: 'postUp', predown: 'preDown', postdown: 'postDown' } as const;
      if (value !== '') st.hooks[slot[key]].push(value);
      portability(st, n, `${name} runs a command: the Apple app rejects it and WireGuard for Windows runs it only when script execution is enabled by the administrator.`);
      return;
    }
    const why = opts.origin === 'policy' ? 'this managed profile is not allowed to run scripts (policy)' : 'an imported profile may not run commands as administrator';
    err(st, n, 'hook.forbidden', `${name} would run ${quote(value)} as root: ${why}. Remove the ${name} line; ask IT for a profile without scripts.`);
    return;
  }
  if (key === 'saveconfig') {
    err(st, n, 'saveconfig.forbidden', 'SaveConfig makes wg-quick rewrite the profile when the tunnel goes down. Remove the SaveConfig line.');
    return;
  }
  if (value === '') {
    portability(st, n, `${name} is empty: wg-quick ignores it, WireGuard for Windows rejects "Key must have a value". Remove the line.`);
    if (key === 'mtu') st.mtu = null;
    if (key === 'table') st.table = null;
    return;
  }
  if ((key === 'address' || key === 'dns') && hasShellMeta(value)) {
    err(st, n, `${key}.shell`, `${name} ${quote(value)} contains shell characters (* ? [ ] $ ; & | and the like) that wg-quick would expand. Write plain addresses separated by commas.`);
    return;
  }
  if (key === 'address' || key === 'dns') {
    const split = splitWgQuickList(value);
    if (split.emptyItems) portability(st, n, `${name} has an empty item (",," or a trailing ","): WireGuard for Windows rejects "Two commas in a row". Remove the extra comma.`);
    if (key === 'address') {
      if (split.spaceSeparated) portability(st, n, 'Address values are separated by spaces: wg-quick accepts it, WireGuard for Windows and the Apple app do not. Separate them with commas.');
      for (const item of split.items) {
        const p = take(st, n, checkAddress(item));
        if (p) st.addresses.push(p);
      }
      return;
    }
    st.dnsLine ??= n;
    let servers = 0;
    for (const item of split.items) {
      if (/^[0-9.]+$/.test(item) || item.includes(':')) {
        const ip = parseIp(item);
        if (!ip) err(st, n, 'dns.invalid', `DNS server ${quote(item)} is not an IP address: write e.g. DNS = 10.8.0.1.`);
        else {
          st.dns.push(ip.text);
          servers++;
        }
      } else if (isHostname(item)) st.dnsSearch.push(item.toLowerCase());
      else err(st, n, 'dns.invalid', `DNS entry ${quote(item)} is neither a server address nor a search domain: write e.g. DNS = 10.8.0.1, farm.example.`);
    }
    if (split.spaceSeparated && servers > 1) portability(st, n, 'DNS servers are separated by spaces: wg-quick (and Longhaul) read them as several servers, WireGuard for Windows, the Apple app and NetworkManager as one search domain. Separate them with commas.');
    return;
  }
  if (key === 'mtu') {
    const m = take(st, n, checkMtu(value));
    if (m !== undefined) st.mtu = { value: m, line: n };
    return;
  }
  const t = take(st, n, checkTable(value));
  if (t !== undefined) {
    st.table = t;
    portability(st, n, 'Table is not understood by the Apple app, which rejects the file. Remove the line unless IT needs it.');
  }
}

type WgLine = Extract<ReturnType<typeof classifyLine>, { kind: 'wg' }>;

/** The key part of a `Key = value` line as the user wrote it, for messages, when it looks like a name. */
function keyLabel(raw: string): string | null {
  const hash = raw.indexOf('#');
  return nameLabel((hash >= 0 ? raw.slice(0, hash) : raw).split('=')[0]!);
}

function wgKey(st: ScanState, n: number, c: WgLine, raw: string): void {
  // Never quote the line: it may be a key pasted without its "PrivateKey =" or with another separator (a key ends in
  // "=", so `PrivateKey: KEY` reads as the "key" `PrivateKey:KEY` with an empty value). Messages reach the UI, CLI,
  // logs and reports.
  const known = CANONICAL_KEY_NAMES[c.key];
  if (c.key === '' || (c.value === '' && !known)) {
    const prefix = knownPrefix(raw);
    if (prefix) err(st, n, 'syntax.no-equals', `${prefix} is not followed by "=": write ${prefix} = value (with "=", not ":" or a space).`);
    else if (c.key === '') err(st, n, 'syntax.no-equals', 'This line is not a setting (it has no "="): write Key = value (comments start with #). If it is a key, put its name and "=" before it.');
    else err(st, n, 'syntax.empty-value', 'This line is not a setting (it ends in "=" with nothing after it): write Key = value (comments start with #). If it is a key, put its name and "=" before it.');
    return;
  }
  if (c.value === '') {
    err(st, n, 'syntax.empty-value', `${known} has no value: give a value or remove the line.`);
    return;
  }
  if (st.section === 'none') {
    err(st, n, 'syntax.no-section', `${known ?? keyLabel(raw) ?? 'This setting'} comes before any section: put it under [Interface] or [Peer].`);
    return;
  }
  const sectionKeys = st.section === 'interface' ? (WG_INTERFACE_KEYS as readonly string[]) : (WG_PEER_KEYS as readonly string[]);
  if (!sectionKeys.includes(c.key)) {
    // Quote the key name only, never the value (a misspelled "PrivKey = …" still carries the key).
    let message = `${keyLabel(raw) ?? 'This line'} is not a valid ${st.section === 'interface' ? '[Interface]' : '[Peer]'} setting.`;
    if ((WG_QUICK_KEYS as readonly string[]).includes(c.key)) {
      message =
        st.section === 'peer'
          ? `${keyName(c.key)} belongs in the [Interface] section, not in a [Peer]. Move the line up.`
          : `${keyName(c.key)} is read by wg-quick only under an exact "[Interface]" header and without spaces inside the key name. Fix the header/key spelling.`;
    } else if (st.section === 'interface' ? (WG_PEER_KEYS as readonly string[]).includes(c.key) : (WG_INTERFACE_KEYS as readonly string[]).includes(c.key)) {
      message = `${keyName(c.key)} belongs in the ${st.section === 'interface' ? '[Peer]' : '[Interface]'} section. Move the line.`;
    } else message += ' Check the spelling; valid keys are listed in docs/profiles.md.';
    err(st, n, 'syntax.unknown-key', message);
    return;
  }
  if (c.spacedKey) portability(st, n, `The key ${keyLabel(raw) ?? 'name'} has spaces inside: wg accepts it, WireGuard for Windows and the Apple app reject it. Write ${keyName(c.key)}.`);
  else if (c.spacedValue) portability(st, n, `The value of ${keyName(c.key)} has spaces inside: wg removes them, WireGuard for Windows and the Apple app do not. Remove the spaces.`);
  if (st.section === 'interface') interfaceKey(st, n, c.key, c.value);
  else peerKey(st, st.peers[st.peers.length - 1], n, c.key, c.value);
}

function keyValue(st: ScanState, n: number, key: string, value: string): string | undefined {
  // Register secrets as soon as they are read, even malformed ones (a near-miss key is still mostly the key).
  if (key === 'privatekey' || key === 'presharedkey') globalRedactor.addSecret(value);
  const p = checkKey(value);
  if (p === null) return value;
  err(st, n, 'key.invalid', `${keyName(key)} ${KEY_PROBLEM_TEXT[p]}.`);
  return undefined;
}

function interfaceKey(st: ScanState, n: number, key: string, value: string): void {
  noteRepeat(st, st.ifaceSeen, key, n);
  if (key === 'fwmark') {
    err(st, n, 'fwmark.forbidden', 'FwMark is not supported (WireGuard for Windows and the Apple app reject it, and it interferes with routing). Remove the FwMark line.');
  } else if (key === 'listenport') {
    const p = take(st, n, checkPort(value, 'ListenPort'));
    if (p !== undefined) st.listenPort = p;
  } else {
    const k = keyValue(st, n, key, value);
    if (k !== undefined) st.privateKey = { value: k, line: n };
  }
}

function peerKey(st: ScanState, peer: PeerDraft, n: number, key: string, value: string): void {
  noteRepeat(st, peer.seen, key, n);
  if (key === 'publickey') {
    const k = keyValue(st, n, key, value);
    if (k !== undefined) {
      peer.publicKey = { value: k, line: n };
      globalRedactor.addPublicKey(k); // logs and reports keep a peer's public key (docs/report.md)
    }
  } else if (key === 'presharedkey') {
    if (checkKey(value) === 'zero') {
      peer.presharedKey = null; // wg treats an all-zero PSK as none
      return;
    }
    const k = keyValue(st, n, key, value);
    if (k !== undefined) peer.presharedKey = k;
  } else if (key === 'allowedips') {
    for (const item of value.split(',')) {
      if (item === '') {
        err(st, n, 'allowedips.invalid', 'AllowedIPs has an empty entry (",," or a trailing ","), which wg rejects. Remove the extra comma.');
        continue;
      }
      const p = take(st, n, checkAllowedIp(item));
      if (p) peer.allowedIps.push(p);
    }
  } else if (key === 'endpoint') {
    const e = take(st, n, checkEndpoint(value));
    if (e) peer.endpoint = e;
  } else {
    const k = take(st, n, checkKeepalive(value));
    if (k !== undefined) peer.keepalive = k;
  }
}
