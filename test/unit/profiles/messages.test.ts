/**
 * Issue 13 item 9 for profiles: CR-only line ends, bounded messages, no raw control character in a message.
 */
import { describe, expect, it } from 'vitest';
import { parseProfile } from '../../../src-main/core/profiles';
import { checkInput } from '../../../src-main/core/profiles/batch';
import { conf } from './keys';

// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const parse = (text: string) => parseProfile(text, { origin: 'user', fileName: 'farm.conf' });

describe('CR-only line ends (classic Mac OS)', () => {
  it('are read as line ends: the same profile as with LF, and a warning naming the fix', () => {
    const lf = conf({ extraIface: ['DNS = 10.8.0.1'] });
    const cr = parse(lf.replace(/\n/g, '\r'));
    expect(cr.errors).toEqual([]);
    expect(cr.profile).toEqual(parse(lf).profile);
    const w = cr.warnings.find((x) => /CR-only line ends/.test(x.message));
    expect(w).toMatchObject({ line: 1, code: 'portability' });
    expect(w!.message).toMatch(/LF or CRLF/);
  });
  it('a lone CR inside a CRLF file ends a line there, and line numbers count it', () => {
    const r = parse('[Interface]\r\nPrivateKey = KKah6QUuyCFEAnMM4jOFPwo3GjUudxIa7Nc17A65KVU=\r\nAddress = 10.8.0.2/32\rMTU = 9\r\n');
    expect(r.errors.map((e) => [e.line, e.code])).toEqual([[4, 'mtu.invalid']]);
    expect(r.warnings.find((x) => /CR-only/.test(x.message))?.line).toBe(3);
    expect(parse(conf().replace(/\n/g, '\r\n')).warnings.some((x) => /CR-only/.test(x.message))).toBe(false);
  });
});

describe('messages echo bounded, escaped text', () => {
  const huge = 'a.'.repeat(50_000);
  const lines = [
    `Endpoint = ${huge}:1`, `Endpoint = ${huge}`, `AllowedIPs = ${huge}`, `PersistentKeepalive = ${huge}`,
    `Address = ${huge}`, `DNS = ${huge}`, `DNS = 1${huge}`, `MTU = ${huge}`, `Table = ${huge}`, `ListenPort = ${huge}`,
    `PostUp = ${huge}`, `Address = $(${huge})`, `[${huge}]`, `[Interface] ${huge}`, `${huge} = 1`, huge, `Bogus${huge} = x`,
  ];
  for (const line of lines) {
    it(`${line.slice(0, 24)}…: every message is short`, () => {
      const text = `[Interface]\nPrivateKey = KKah6QUuyCFEAnMM4jOFPwo3GjUudxIa7Nc17A65KVU=\nAddress = 10.8.0.2/32\n${line}\n[Peer]\nPublicKey = aRUl5YUTJT3z9plbdD618jjduqE4lbirNAyzMmCOUlc=\n${line}\n`;
      const r = parse(text);
      const all = [...r.errors, ...r.warnings];
      expect(all.length).toBeGreaterThan(0);
      for (const i of all) expect(i.message.length, i.message.slice(0, 200)).toBeLessThanOrEqual(400);
    });
  }

  it('control characters and escape sequences from a line are shown escaped', () => {
    const esc = '\u001b]0;title\u0007\u001b[2J\u009b\u202e';
    const text = `[Interface]\nPrivateKey = KKah6QUuyCFEAnMM4jOFPwo3GjUudxIa7Nc17A65KVU=\nDNS = ${esc}\nMTU = ${esc}\nTable = ${esc}\n[Peer]\nPublicKey = aRUl5YUTJT3z9plbdD618jjduqE4lbirNAyzMmCOUlc=\nEndpoint = ${esc}\nAllowedIPs = ${esc}\n`;
    const r = parse(text);
    expect(r.errors.length).toBeGreaterThanOrEqual(4);
    for (const i of [...r.errors, ...r.warnings]) expect(i.message).not.toMatch(RAW_CONTROL);
    expect(r.errors.some((e) => e.message.includes('\\u001b'))).toBe(true);
  });

  it('zip entry names in bundle messages are capped and escaped', async () => {
    const { strToU8, zipSync } = await import('fflate');
    const name = `\u001b[31m${'n'.repeat(5000)}`;
    const zip = zipSync({ [`${name}.txt`]: strToU8('x'), [`${name}.conf`]: strToU8(conf()), [`dir/${name}.conf`]: strToU8(conf()) });
    const b = checkInput({ fileName: 'bundle.zip', bytes: zip });
    const msgs = [...b.bundleErrors, ...b.bundleWarnings];
    expect(msgs.map((m) => m.code).sort()).toEqual(['zip.duplicate', 'zip.ignored-entry']);
    for (const m of msgs) {
      expect(m.message.length).toBeLessThanOrEqual(400);
      expect(m.message).not.toMatch(RAW_CONTROL);
    }
  });
});
