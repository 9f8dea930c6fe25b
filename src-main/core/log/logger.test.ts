import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileLogger, createMemoryLogger } from './logger';
import { Redactor, REDACTED_KEY } from './redact';

// Keys generated for this test with `wg genkey` semantics (32 random bytes, base64); not used anywhere else.
const PRIV = 'yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=';
const PSK = 'FpCyhws9cxwWoV4xELtfJvjJN+zQVRPISllRWgeopVE=';

describe('redaction', () => {
  it('removes keys after PrivateKey/PresharedKey in config, JSON and prose forms', () => {
    const r = new Redactor();
    expect(r.redact(`PrivateKey = ${PRIV}`)).toBe(`PrivateKey = ${REDACTED_KEY}`);
    expect(r.redact(`presharedkey=${PSK}`)).toBe(`presharedkey=${REDACTED_KEY}`);
    expect(r.redact(`{"privateKey":"${PRIV}"}`)).toBe(`{"privateKey":"${REDACTED_KEY}"}`);
    expect(r.redact(`private key: ${PRIV}`)).toBe(`private key: ${REDACTED_KEY}`);
  });

  it('removes registered key values anywhere (raw command output), keeps registered public keys and other base64', () => {
    const r = new Redactor();
    r.addSecret(PRIV);
    r.addPublicKey('HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=');
    const dump = `wg0\t${PRIV}\tHIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=\t51820\toff aGVsbG8gd29ybGQ=`;
    const out = r.redact(dump);
    expect(out).not.toContain(PRIV);
    expect(out).toContain('HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=');
    expect(out).toContain('aGVsbG8gd29ybGQ=');
  });

  it('removes every key-shaped token that is not a known public key, in any case and glued to other text', () => {
    const r = new Redactor();
    const unknown = 'Tw4fAqSjYaIVWp6KAjn1yE+OTCk2Zu+ZR9lnnq+2XxQ=';
    for (const k of [unknown, unknown.toLowerCase(), unknown.toUpperCase()]) {
      expect(r.redact(`line 3: privatekey:${k} has no value`)).toBe(`line 3: privatekey:${REDACTED_KEY} has no value`);
      expect(r.redact(`x${k}y`)).not.toContain(k.slice(0, 40));
    }
    // a secret stays a secret even when something registers it as public
    r.addSecret(PRIV);
    r.addPublicKey(PRIV);
    expect(r.redact(PRIV)).toBe(REDACTED_KEY);
    // a field named like a public key keeps its key; free text and other fields do not
    const pub = 'HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=';
    const v = r.redactValue({ publicKey: pub, peerPublicKey: pub, msg: `peer ${unknown}`, other: unknown, publicKeyOfSecret: PRIV });
    expect(v).toEqual({ publicKey: pub, peerPublicKey: pub, msg: `peer ${REDACTED_KEY}`, other: REDACTED_KEY, publicKeyOfSecret: REDACTED_KEY });
  });

  it('redacts nested values and fields named like secrets', () => {
    const r = new Redactor();
    const v = r.redactValue({ a: [`PresharedKey = ${PSK}`], privateKey: 'anything-at-all', n: 3 });
    expect(JSON.stringify(v)).not.toContain(PSK);
    expect(v.privateKey).toBe(REDACTED_KEY);
    expect(v.n).toBe(3);
  });
});

describe('logger', () => {
  it('writes JSON lines with keys redacted at write time', () => {
    const r = new Redactor();
    r.addSecret(PSK);
    const log = createMemoryLogger('main', r);
    log.info('imported profile', { text: `[Interface]\nPrivateKey = ${PRIV}\n`, psk: PSK });
    const line = log.lines[0]!;
    expect(line).not.toContain(PRIV);
    expect(line).not.toContain(PSK);
    expect(JSON.parse(line)).toMatchObject({ level: 'info', src: 'main', msg: 'imported profile' });
  });

  it('ts/level/src/msg are the logger\'s: a field of the same name is kept as field.<name>, never replaces them', () => {
    const log = createMemoryLogger('main');
    log.info('real message', { ts: '1999-01-01T00:00:00.000Z', level: 'warning', src: 'renderer', msg: 'forged', other: 1 });
    const rec = JSON.parse(log.lines[0]!);
    expect(rec).toMatchObject({ level: 'info', src: 'main', msg: 'real message', other: 1, 'field.ts': '1999-01-01T00:00:00.000Z', 'field.level': 'warning', 'field.src': 'renderer', 'field.msg': 'forged' });
    expect(rec.ts).not.toBe('1999-01-01T00:00:00.000Z');
  });

  it('rotates by size and keeps N files, all redacted', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-log-'));
    const r = new Redactor();
    const log = createFileLogger('main', { dir, maxBytes: 2000, keep: 2, redactor: r });
    for (let i = 0; i < 100; i++) log.info(`line ${i}`, { key: `PrivateKey = ${PRIV}` });
    const files = log.sink.files();
    expect(files.map((f) => path.basename(f))).toEqual(['longhaul.log', 'longhaul.log.1', 'longhaul.log.2']);
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      expect(fs.statSync(f).size).toBeLessThanOrEqual(2000);
      expect(text).not.toContain(PRIV);
      for (const l of text.trim().split('\n')) expect(() => JSON.parse(l)).not.toThrow();
    }
    expect(fs.readFileSync(files[0]!, 'utf8')).toContain('line 99');
    expect((fs.statSync(files[0]!).mode & 0o777).toString(8)).toBe('600');
  });
});
