import { describe, expect, it } from 'vitest';
import { globalRedactor, REDACTED_KEY } from '../../../src-main/core/log/redact';
import { isValidInterfaceName, parseProfile, publicKeyOf, serializeProfile, suggestName } from '../../../src-main/core/profiles';
import { conf, OWN_PUB, PRIV, PSK, PUB } from './keys';

describe('publicKeyOf', () => {
  it('matches `wg pubkey` (recorded: wg pubkey <<< KKah…KVU=)', () => {
    expect(publicKeyOf(PRIV)).toBe(OWN_PUB);
    expect(publicKeyOf('YLVV2Q4w/Lff0Od8+LuGHxTTJA8KNZD6SeiKeuQAr0Y=')).toBe('M13KY1/Cic4qi9C6Ezj/XY0jcin+GEm259QsY2l5lig=');
  });
  it('refuses a non-key', () => {
    expect(() => publicKeyOf('nope')).toThrow(/not a valid WireGuard private key/);
  });
});

describe('parseProfile', () => {
  it('parses a complete profile into the model', () => {
    const r = parseProfile(conf({ extraIface: ['DNS = 10.8.0.1, farm.example', 'MTU = 1420', 'ListenPort = 51820'], peers: [{ pub: PUB, allowed: '10.8.0.0/24, fd00::/64', psk: PSK }] }), { origin: 'user', fileName: 'farm.conf' });
    expect(r.errors).toEqual([]);
    expect(r.suggestedName).toBe('farm');
    expect(r.nameSuggested).toBe(false);
    expect(r.profile).toEqual({
      interface: {
        privateKey: PRIV,
        addresses: ['10.8.0.2/32'],
        dns: ['10.8.0.1'],
        dnsSearch: ['farm.example'],
        mtu: 1420,
        listenPort: 51820,
        table: null,
        hooks: { preUp: [], postUp: [], preDown: [], postDown: [] },
      },
      peers: [{ publicKey: PUB, presharedKey: PSK, allowedIps: ['10.8.0.0/24', 'fd00::/64'], endpoint: { host: '192.0.2.10', port: 51820 }, persistentKeepalive: null }],
    });
  });

  it('numbers lines in the decoded text for CRLF, UTF-8 BOM and UTF-16', () => {
    const text = conf({ extraIface: ['MTU = 99'] });
    const line = text.split('\n').findIndex((l) => l.startsWith('MTU')) + 1;
    const variants: Uint8Array[] = [
      Buffer.from(text.replace(/\n/g, '\r\n')),
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text.replace(/\n/g, '\r\n'), 'utf16le')]),
    ];
    for (const v of variants) {
      const r = parseProfile(v, { origin: 'user' });
      expect(r.errors).toEqual([expect.objectContaining({ line, code: 'mtu.invalid' })]);
    }
  });

  it('names the line, the problem and the fix', () => {
    const r = parseProfile('[Interface]\nPrivateKey = x\n', { origin: 'user' });
    expect(r.errors[0]).toMatchObject({ line: 2, code: 'key.invalid' });
    expect(r.errors[0].message).toMatch(/PrivateKey .*44 characters/);
    const ep = parseProfile(conf().replace('192.0.2.10:51820', '2001:db8::1:51820'), { origin: 'user' });
    expect(ep.errors[0].message).toContain('[2001:db8::1]:51820');
  });

  it('rejects hooks for user imports always and for policy without allowScripts', () => {
    const text = conf({ extraIface: ['PostUp = iptables -F'] });
    expect(parseProfile(text, { origin: 'user', allowScripts: true }).errors.map((e) => e.code)).toEqual(['hook.forbidden']);
    expect(parseProfile(text, { origin: 'policy' }).errors.map((e) => e.code)).toEqual(['hook.forbidden']);
    const ok = parseProfile(text, { origin: 'policy', allowScripts: true });
    expect(ok.profile?.interface.hooks.postUp).toEqual(['iptables -F']);
    expect(serializeProfile(ok.profile!)).toContain('PostUp = iptables -F');
  });

  it('registers private and preshared keys with the redactor as soon as they are parsed', () => {
    parseProfile(conf({ peers: [{ pub: PUB, allowed: '10.8.0.0/24', psk: PSK }] }), { origin: 'user' });
    expect(globalRedactor.redact(`a ${PRIV} b ${PSK}`)).toBe(`a ${REDACTED_KEY} b ${REDACTED_KEY}`);
  });

  it('reports every line error and structural error together', () => {
    const r = parseProfile('[Interface]\nAddress = 10.8.0.2/32\nMTU = 1\n[Peer]\nAllowedIPs = 10.0.0.0/8\n', { origin: 'user' });
    expect(r.errors.map((e) => [e.line, e.code])).toEqual([
      [1, 'key.missing-private'],
      [3, 'mtu.invalid'],
      [4, 'peer.missing-public-key'],
    ]);
    expect(r.profile).toBeNull();
  });

  it('never includes a key value in a message', () => {
    const bad = PRIV.slice(0, 42) + 'W=';
    const r = parseProfile(conf({ priv: bad }), { origin: 'user' });
    for (const i of [...r.errors, ...r.warnings]) expect(i.message).not.toContain(bad);
  });

  it('serialises a canonical file without the user\'s spelling', () => {
    const r = parseProfile('[INTERFACE]\r\nprivate key=' + PRIV + '\r\naddress=10.8.0.2\r\n[peer]\r\npublickey=' + PUB + '\r\nallowedips=10.8.0.0/24 ,10.9.0.0/24\r\nendpoint=[192.0.2.10]:51820\r\npersistentkeepalive=off\r\n', { origin: 'user' });
    expect(r.errors).toEqual([]);
    expect(serializeProfile(r.profile!)).toBe(
      `[Interface]\nPrivateKey = ${PRIV}\nAddress = 10.8.0.2/32\n\n[Peer]\nPublicKey = ${PUB}\nAllowedIPs = 10.8.0.0/24, 10.9.0.0/24\nEndpoint = 192.0.2.10:51820\n`,
    );
  });
});

describe('names', () => {
  it('follows the wg-quick interface rule narrowed to every client', () => {
    for (const ok of ['wg0', 'farm-paris', 'a.b', 'x_y=z+1', 'abcdefghijklmno']) expect(isValidInterfaceName(ok)).toBe(true);
    for (const bad of ['', '.', '..', 'abcdefghijklmnop', 'has space', 'a/b', 'farm.conf', '.hidden', 'end.', 'con', 'COM1.x', 'all', '-x', 'é']) {
      expect(isValidInterfaceName(bad)).toBe(false);
    }
  });
  it('suggests a valid name for a file name that does not fit', () => {
    expect(suggestName('farm.conf')).toEqual({ name: 'farm', suggested: false });
    expect(suggestName('/home/a/Downloads/Paris Farm (2).conf')).toEqual({ name: 'Paris-Farm-2', suggested: true });
    expect(suggestName('studio-render-farm-paris.conf').name).toBe('studio-render-f');
    expect(suggestName('Café.conf').name).toBe('Cafe');
    expect(suggestName('con.conf').name).toBe('con-wg');
    expect(suggestName('x.conf.conf').name).toBe('x');
    expect(suggestName('....conf').name).toBe('wg0');
    expect(suggestName(undefined)).toEqual({ name: 'wg0', suggested: true });
    for (const f of ['a b c.conf', '🙂.conf', 'x'.repeat(100), '-.conf', 'nul.txt.conf']) expect(isValidInterfaceName(suggestName(f).name)).toBe(true);
  });
});

describe('issue messages never carry key material', () => {
  it('a misspelled key name or a line without "=" is reported without its value', () => {
    for (const line of [`PrivKey = ${PRIV}`, `PrivateKey ${PRIV}`, `${PRIV}`, `Private Key Value = ${PRIV}`]) {
      const text = conf().replace(/^PrivateKey = .*$/m, `$&\n${line}`);
      const r = parseProfile(text, { origin: 'user' });
      const all = JSON.stringify([...r.errors, ...r.warnings]);
      expect(r.errors.length + r.warnings.length, line).toBeGreaterThan(0);
      expect(all, line).not.toContain(PRIV);
      expect(all.toLowerCase(), line).not.toContain(PRIV.toLowerCase());
      expect(all, line).not.toContain(PRIV.slice(0, 20));
    }
  });
});
