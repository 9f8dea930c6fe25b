import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Anonymizer } from '../../../src-main/core/report/anonymize/anonymizer';
import { isDocV4 } from '../../../src-main/core/report/anonymize/ip';
import { randomKey } from '../../support/keys';

const make = (mode: 'normal' | 'strict' = 'normal') => new Anonymizer({ mode, homedir: '/home/zqartist7', username: 'zqartist7', useGlobalRedactor: false });

describe('Anonymizer: keys', () => {
  it('removes registered keys anywhere, including inside longer strings and raw output', () => {
    const a = make();
    const priv = randomKey();
    const psk = randomKey();
    a.addSecret(priv);
    a.addSecret(psk);
    const out = a.text(`wg0\t${priv}\tpub\n(none)x${psk}y and again ${priv}`);
    expect(out).not.toContain(priv);
    expect(out).not.toContain(psk);
    expect(out).toContain('[REDACTED-KEY]');
  });
  it('removes unregistered keys written after PrivateKey / PresharedKey names (config, JSON)', () => {
    const a = make();
    const k1 = randomKey();
    const k2 = randomKey();
    const out = a.text(`[Interface]\nPrivateKey = ${k1}\n{"presharedKey":"${k2}"}`);
    expect(out).not.toContain(k1);
    expect(out).not.toContain(k2);
  });
  it('redacts secret-named fields in values', () => {
    const a = make();
    const v = a.value({ interface: { privateKey: 'short-but-secret' }, peers: [{ presharedKey: 'also-secret', publicKey: 'x' }] });
    expect(JSON.stringify(v)).not.toContain('secret');
  });
  it('property: no registered key survives, whatever surrounds it, in either mode', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.string({ maxLength: 20 }), { minLength: 1, maxLength: 6 }),
        fc.constantFrom('normal' as const, 'strict' as const),
        (keys, junk, mode) => {
          const a = make(mode);
          const ks = keys.map((k) => Buffer.from(k).toString('base64'));
          ks.forEach((k) => a.addSecret(k));
          const text = junk.map((j, i) => j + ks[i % ks.length]).join('');
          const out = a.text(text);
          for (const k of ks) expect(out).not.toContain(k);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('Anonymizer: IP addresses', () => {
  it('maps public IPv4 consistently into documentation ranges and keeps private, loopback, link-local, CGNAT', () => {
    const a = make();
    const out1 = a.text('endpoint 93.184.216.34:51820 via 10.8.0.1 and 172.16.5.4, 192.168.1.2, 100.64.0.1, 127.0.0.1, 169.254.1.1');
    const out2 = a.text('again 93.184.216.34/32 and 8.8.8.8; mask 255.255.255.0');
    expect(out1).not.toContain('93.184.216.34');
    const mapped = /endpoint (\S+):51820/.exec(out1)![1]!;
    expect(isDocV4(mapped)).toBe(true);
    expect(out2).toContain(`${mapped}/32`);
    for (const kept of ['10.8.0.1', '172.16.5.4', '192.168.1.2', '100.64.0.1', '127.0.0.1', '169.254.1.1']) expect(out1).toContain(kept);
    expect(out2).toContain('8.8.8.8');
    expect(out2).toContain('255.255.255.0');
  });
  it('leaves version numbers and dotted non-addresses alone', () => {
    const a = make();
    expect(a.text('wireguard-tools v1.0.20210914, chrome 120.0.6099.109, 1.2.3.4.5')).toBe('wireguard-tools v1.0.20210914, chrome 120.0.6099.109, 1.2.3.4.5');
  });
  it('treats documentation-range inputs as addresses to map, so every doc-range output is a pseudonym (injective)', () => {
    const a = make();
    const out = a.text('a 192.0.2.1 b 93.184.216.34 c 192.0.2.2 d 198.51.100.20');
    const addrs = out.match(/\d+\.\d+\.\d+\.\d+/g)!;
    expect(new Set(addrs).size).toBe(4);
    expect(addrs.every(isDocV4)).toBe(true);
  });
  it('maps public IPv6 (any textual form) to 2001:db8::/32 consistently; keeps ::1, fe80::, ULA in normal mode', () => {
    const a = make();
    const out = a.text('peer [2606:4700:10::6816:1]:443 same 2606:4700:0010:0000:0000:0000:6816:0001 lo ::1 ll fe80::1%eth0 ula fd00::2/128');
    const m = out.match(/2001:db8:[0-9a-f:]+/g)!;
    expect(m.length).toBe(2);
    expect(m[0]).toBe(m[1]);
    expect(out).toContain('::1');
    expect(out).toContain('fe80::1%eth0');
    expect(out).toContain('fd00::2/128');
    expect(out).not.toContain('2606:4700:10');
  });
  it('does not mistake MAC addresses, times or Rust paths for IPv6', () => {
    const a = make();
    const s = 'mac 72:7b:75:67:71:a8 at 12:30:45 in std::io::Error, ::';
    expect(a.text(s)).toBe(s);
  });
  it('IPv4-mapped IPv6 follows the IPv4 mapping', () => {
    const a = make();
    const v4 = a.text('93.184.216.34');
    expect(a.text('::ffff:93.184.216.34')).toBe(`::ffff:${v4}`);
  });
  it('strict mode also maps private addresses (198.18/15, 2001:db8:1::/48)', () => {
    const a = make('strict');
    const out = a.text('10.8.0.2 fd00::2');
    expect(out).toMatch(/^198\.18\.0\.\d+ 2001:db8:1::\d+$/);
  });
  it('property: mapping is consistent and injective, outputs in documentation ranges', () => {
    const publicV4 = fc
      .tuple(fc.integer({ min: 11, max: 99 }), fc.nat(255), fc.nat(255), fc.integer({ min: 1, max: 254 }))
      .map((p) => p.join('.'));
    fc.assert(
      fc.property(fc.uniqueArray(publicV4, { minLength: 1, maxLength: 40 }), (ips) => {
        const a = make();
        const first = ips.map((ip) => a.text(`x ${ip} y`));
        const again = [...ips].reverse().map((ip) => a.text(`${ip}`));
        const outs = first.map((o) => o.slice(2, -2));
        expect(new Set(outs).size).toBe(ips.length);
        expect(outs.every(isDocV4)).toBe(true);
        expect([...again].reverse()).toEqual(outs);
      }),
      { numRuns: 200 },
    );
  });
});

describe('Anonymizer: users and homes', () => {
  it('replaces Linux, macOS, Windows homes and the real home with ~, and the username as a word', () => {
    const a = new Anonymizer({ mode: 'normal', homedir: '/srv/people/zqartist7', username: 'zqartist7', useGlobalRedactor: false });
    a.learn(['C:\\Users\\Mika\\AppData', '/Users/jdoe/Library']);
    const out = a.text('/srv/people/zqartist7/.config /home/kim/x C:\\Users\\Mika\\AppData /Users/jdoe/Library "C:\\\\Users\\\\Mika\\\\x" user zqartist7 logged; mika said; Zqartist7_x');
    expect(out).toBe('~/.config ~/x ~\\AppData ~/Library "~\\\\x" user ~ logged; ~ said; Zqartist7_x');
  });
  it('keeps role names like root, Public and Shared', () => {
    const a = new Anonymizer({ mode: 'normal', homedir: '/root', username: 'root', useGlobalRedactor: false });
    expect(a.text('C:\\Users\\Public\\x /Users/Shared/y root')).toBe('C:\\Users\\Public\\x /Users/Shared/y root');
  });
  it('a pseudonym is never rewritten by a later pass (username equal to a pseudonym word)', () => {
    const a = new Anonymizer({ mode: 'strict', homedir: '/home/host', username: 'host', useGlobalRedactor: false });
    a.addHostname('farm.example.com');
    const out = a.text('farm.example.com and host and 93.184.216.34');
    expect(out).toBe('host-1.example and ~ and 192.0.2.1');
  });
});

describe('Anonymizer: strict mode', () => {
  it('maps WireGuard public keys and hostnames to consistent pseudonyms; normal mode keeps known public keys only', () => {
    const pub = randomKey();
    const strict = make('strict');
    strict.addHostname('gpu-farm');
    const s = strict.text(`peer ${pub} at gpu-farm and render.studio-x.com, ${pub} render.studio-x.com`);
    expect(s).toBe('peer [wg-key-1] at host-1 and host-2.example, [wg-key-1] host-2.example');
    const normal = make('normal');
    // An unknown key-shaped token could be a private key (issue 13 item 2): removed, in any letter case.
    expect(normal.text(`peer ${pub} at render.studio-x.com`)).toBe('peer [REDACTED-KEY] at render.studio-x.com');
    expect(normal.text(`peer ${pub.toLowerCase()}`)).toBe('peer [REDACTED-KEY]');
    normal.addPublicKey(pub);
    expect(normal.text(`peer ${pub} at render.studio-x.com`)).toBe(`peer ${pub} at render.studio-x.com`);
    // learnt from a publicKey field anywhere in the document, the key is kept in free text too
    const doc = make('normal');
    const other = randomKey();
    doc.learn({ peers: [{ publicKey: other }], log: `handshake with ${other}` });
    expect(doc.value({ peers: [{ publicKey: other }], log: `handshake with ${other}` })).toEqual({ peers: [{ publicKey: other }], log: `handshake with ${other}` });
  });
  it('property: public-key and hostname pseudonyms are consistent and injective across calls', () => {
    const label = fc.stringMatching(/^[a-z][a-z0-9]{1,8}$/);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('base64')), { minLength: 1, maxLength: 8 }),
        fc.uniqueArray(label.map((l) => `${l}.farm-example.com`), { minLength: 1, maxLength: 8 }),
        (keys, hosts) => {
          const a = make('strict');
          const first = [...keys, ...hosts].map((x) => a.text(x));
          const again = [...keys, ...hosts].map((x) => a.text(`${x}`));
          expect(again).toEqual(first);
          expect(new Set(first).size).toBe(first.length);
          for (const [i, k] of keys.entries()) expect(first[i]).not.toContain(k);
          for (const [i, h] of hosts.entries()) expect(first[keys.length + i]).not.toContain(h);
        },
      ),
      { numRuns: 150 },
    );
  });
  it('the real home on Windows (any slash form, JSON-escaped) becomes ~', () => {
    const a = new Anonymizer({ mode: 'normal', homedir: 'D:\\Profiles\\mika7', username: 'mika7', useGlobalRedactor: false });
    expect(a.text('D:\\Profiles\\mika7\\AppData d:/profiles/mika7/x "D:\\\\Profiles\\\\mika7\\\\y"')).toBe('~\\AppData ~/x "~\\\\y"');
  });
  it('does not treat file names as hostnames', () => {
    const a = make('strict');
    expect(a.text('report.json summary.txt longhaul.log studio.longhaul.client')).toBe('report.json summary.txt longhaul.log studio.longhaul.client');
  });
});
