/**
 * Property tests: random and mutated inputs never throw, finish quickly (bounded work per input: the parser is linear
 * and capped, so each run is a single pass; no timing is asserted), and parse → serialise → parse is stable.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseProfile, serializeProfile } from '../../../src-main/core/profiles';
import { conf, PSK, PUB, PUB2 } from './keys';

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
