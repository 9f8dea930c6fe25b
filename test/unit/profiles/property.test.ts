/**
 * Property tests: random and mutated inputs never throw, finish quickly (bounded work per input: the parser is linear
 * and capped, so each run is a single pass), and parse → serialise → parse is stable. Issue 13's "no secret in
 * output, no run over 1 s" property for the profile parser and the zip reader: a key hidden anywhere in the input, in
 * any letter case, never comes back in a message, no message carries a raw control character or runs long, and no
 * single run takes a second (the budget the issue sets; runs take milliseconds).
 */
import fc from 'fast-check';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseProfile, serializeProfile } from '../../../src-main/core/profiles';
import { checkInput } from '../../../src-main/core/profiles/batch';
import { randomKey } from '../../support/keys';
import { conf, PRIV, PSK, PUB, PUB2 } from './keys';

const seedText = conf({ extraIface: ['DNS = 10.8.0.1, farm.example', 'MTU = 1420', 'ListenPort = 51820'], peers: [{ pub: PUB, allowed: '10.8.0.0/24, fd00::/64', psk: PSK }, { pub: PUB2, allowed: '10.9.0.0/24' }] });

const fragments = [
  '[Interface]', '[Peer]', '[ Interface ]', 'PrivateKey', 'PublicKey', 'PresharedKey', 'Address', 'DNS', 'MTU', 'Table', 'AllowedIPs', 'Endpoint',
  'PersistentKeepalive', 'ListenPort', 'PostUp', 'SaveConfig', 'FwMark', '=', ' = ', ',', ',,', '#', ';', '\n', '\r\n', '\t', ' ', '[', ']', ':', '/',
  '10.8.0.2', '/32', '/0', '::', 'fd00::1', '[2001:db8::1]:51820', '192.0.2.1:51820', 'off', '0', '65535', '65536', '1420', 'auto', 'main',
  PUB, PUB2, PSK, 'AAAA', '*', '$(x)', '\u0000', '\uFEFF', 'é',
];

function sanity(input: string | Uint8Array, origin: 'user' | 'policy' = 'user'): void {
  const r = parseProfile(input, { origin, allowScripts: origin === 'policy', fileName: 'fuzz.conf' });
  expect(Array.isArray(r.errors)).toBe(true);
  expect(r.profile === null).toBe(r.errors.length > 0);
  for (const i of [...r.errors, ...r.warnings]) {
    expect(typeof i.code).toBe('string');
    expect(i.line === null || (Number.isInteger(i.line) && i.line >= 1)).toBe(true);
  }
  if (r.profile) {
    const text = serializeProfile(r.profile);
    const again = parseProfile(text, { origin, allowScripts: origin === 'policy' });
    expect(again.errors).toEqual([]);
    expect(again.profile).toEqual(r.profile);
    expect(serializeProfile(again.profile!)).toBe(text);
  }
}

describe('profile parser properties', () => {
  it('arbitrary strings never throw', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400, unit: 'binary' }), (s) => sanity(s)), { numRuns: 1500 });
  });

  it('arbitrary bytes never throw', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (b) => sanity(b)), { numRuns: 1500 });
  });

  it('token soup from the grammar never throws and valid results round-trip', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...fragments), { maxLength: 80 }), fc.constantFrom<'user' | 'policy'>('user', 'policy'), (parts, origin) => sanity(parts.join(''), origin)),
      { numRuns: 2000 },
    );
  });

  it('line-level mutations of a valid profile never throw and valid results round-trip', () => {
    const lines = seedText.split('\n');
    const mutation = fc.record({
      at: fc.nat({ max: lines.length - 1 }),
      op: fc.constantFrom('delete', 'duplicate', 'insert', 'replace-char', 'truncate'),
      text: fc.constantFrom(...fragments),
      pos: fc.nat({ max: 60 }),
    });
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), (muts) => {
        const ls = [...lines];
        for (const m of muts) {
          const i = m.at % Math.max(ls.length, 1);
          const l = ls[i] ?? '';
          if (m.op === 'delete') ls.splice(i, 1);
          else if (m.op === 'duplicate') ls.splice(i, 0, l);
          else if (m.op === 'insert') ls.splice(i, 0, m.text);
          else if (m.op === 'truncate') ls[i] = l.slice(0, m.pos);
          else ls[i] = l.slice(0, m.pos) + m.text + l.slice(m.pos + 1);
        }
        sanity(ls.join('\n'));
      }),
      { numRuns: 2000 },
    );
  });

  it('a large hostile input is refused, not processed line by line', () => {
    const r = parseProfile('[Peer]\n'.repeat(6000), { origin: 'user' });
    expect(r.errors.map((e) => e.code)).toContain('file.too-large');
    const big = parseProfile(new Uint8Array(2 * 1024 * 1024).fill(0x41), { origin: 'user' });
    expect(big.errors.map((e) => e.code)).toEqual(['file.too-large']);
  });
});

// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const CASES = [(k: string) => k, (k: string) => k.toLowerCase(), (k: string) => k.toUpperCase()];

/** What a user sees of a check: every message, the entries' names and file names (what the CLI and the UI print). */
function visible(b: ReturnType<typeof checkInput>): string[] {
  return [...b.bundleErrors, ...b.bundleWarnings, ...b.entries.flatMap((e) => [...e.parse.errors, ...e.parse.warnings])].map((i) => i.message).concat(b.entries.flatMap((e) => [e.fileName, e.name]));
}

function expectClean(texts: string[], key: string): void {
  for (const t of texts) {
    for (const c of CASES) expect(t.includes(c(key).slice(0, 40)), t.slice(0, 300)).toBe(false);
    expect(t).not.toMatch(RAW_CONTROL);
    expect(t.length).toBeLessThanOrEqual(400);
  }
}

function timed<T>(fn: () => T): T {
  const t = performance.now();
  const r = fn();
  expect(performance.now() - t).toBeLessThan(1000);
  return r;
}

const hostileFragments = [...fragments, '\u001b[2J', '\u001b]0;t\u0007', '\u009b', '\u202e', '\r', 'x'.repeat(500), 'a.'.repeat(300)];

describe('no secret in output, no run over 1 s (issue 13)', () => {
  it('profile parser: a key (any case) placed anywhere in token soup never comes back in a message', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...hostileFragments), { maxLength: 60 }), fc.nat(), fc.nat({ max: 2 }), (parts, at, c) => {
        const key = randomKey();
        const soup = [...parts];
        soup.splice(at % (soup.length + 1), 0, CASES[c]!(key));
        const b = timed(() => checkInput({ fileName: 'fuzz.conf', bytes: soup.join('') }));
        expectClean(visible(b), key);
      }),
      { numRuns: 2000 },
    );
  });

  const entryName = fc.oneof(
    fc.constantFrom('farm.conf', 'site.json', 'SITE.JSON', 'readme.txt', '__MACOSX/._farm.conf', 'dir/', '.hidden.conf', 'a/b/farm.conf', 'a\\farm.conf'),
    fc.array(fc.constantFrom('x', '\u001b[31m', '\u0007', '\u202e', '/', '.conf', '.json', 'é', 'KEY', 'n'.repeat(300)), { minLength: 1, maxLength: 6 }).map((p) => p.join('')),
  );
  const entryBody = fc.oneof(
    fc.constantFrom('KEYCONF', 'KEYLINE', '{"name":"Paris","dnsNames":[],"streamHosts":[]}', '{"KEY":1}', '{"name":"KEY"', '{"name":5,"dnsNames":["KEY"]}', ''),
    fc.string({ maxLength: 200, unit: 'binary' }),
  );

  it('zip reader: hostile entry names, contents and damage never leak a key (any case) or a control character', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(entryName, entryBody), { minLength: 1, maxLength: 8 }),
        fc.nat({ max: 2 }),
        fc.option(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { nil: undefined }),
        fc.option(fc.nat(), { nil: undefined }),
        (entries, c, flip, cutAt) => {
          const key = CASES[c]!(randomKey());
          const files: Record<string, Uint8Array> = {};
          for (const [name, body] of entries) {
            const text = body === 'KEYCONF' ? conf({ priv: PRIV }).replace('Address', `PrivateKey: ${key}\nAddress`) : body === 'KEYLINE' ? `[Interface] PrivateKey ${key}\n` : body.replaceAll('KEY', key);
            files[name.replaceAll('KEY', key)] = strToU8(text);
          }
          let zip = zipSync(files);
          if (flip) {
            zip = zip.slice();
            zip[flip[0] % zip.length] = flip[1];
          }
          if (cutAt !== undefined) zip = zip.subarray(0, Math.max(4, cutAt % zip.length));
          const b = timed(() => checkInput({ fileName: 'bundle.zip', bytes: zip }));
          expectClean(visible(b), key);
          expect(JSON.stringify(b.site ?? null)).not.toContain(key.slice(0, 40));
        },
      ),
      { numRuns: 1500 },
    );
  });
});
