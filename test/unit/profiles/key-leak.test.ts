/**
 * Issue 13 item 2: a private key written in a broken line must not come back in any message. Rule (docs/profiles.md,
 * "What messages may quote"): a parser message never quotes the value part of a line, nor any 44-character base64
 * key-shaped token in any letter case; the logger and the report remove every key-shaped token that is not a known
 * public key.
 *
 * The property drives the real paths: the parser, `longhaul profile check/import` through `runCli`, the contract's
 * `dispatch` for `profiles.import`, the logger's files, and `longhaul report` (the zip's raw bytes and every inflated
 * entry). The key is asserted absent as written, lowercased and uppercased.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../../src-main/cli/command';
import { runCli } from '../../../src-main/cli/main';
import { dispatch } from '../../../src-main/contract/dispatch';
import { createCoreServices } from '../../../src-main/core/app/services';
import { parseProfile } from '../../../src-main/core/profiles';
import { createProfilesHandlers } from '../../../src-main/core/profiles/handlers';
import { randomKey } from '../../support/keys';
import { PRIV, PUB } from './keys';

/** The key's first 40 characters (240 of its 256 bits: with or without its "=", the key is recoverable), in 3 cases. */
const variants = (k: string) => [k.slice(0, 40), k.slice(0, 40).toLowerCase(), k.slice(0, 40).toUpperCase()];

function expectNoKey(text: string, key: string, where: string): void {
  for (const v of variants(key)) expect(text.includes(v), `${where} contains the key (${v === key.slice(0, 40) ? 'as is' : v === key.slice(0, 40).toLowerCase() ? 'lowercased' : 'uppercased'}):\n${text.slice(0, 2000)}`).toBe(false);
}

function messagesOf(input: string): string {
  const r = parseProfile(input, { origin: 'user', fileName: 'leak.conf' });
  return JSON.stringify([...r.errors, ...r.warnings]);
}

describe('parser messages never quote a key (the lines of the issue)', () => {
  const K = randomKey();
  const cases: Record<string, string> = {
    'PrivateKey: KEY': `[Interface]\nPrivateKey: ${K}\n`,
    'PrivateKey KEY': `[Interface]\nPrivateKey ${K}\n`,
    'a bare key line': `[Interface]\n${K}\n`,
    '[Interface] PrivateKey KEY': `[Interface] PrivateKey ${K}\n`,
    'PrivateKey:KEY before any section': `PrivateKey:${K}\n[Interface]\n`,
    'PresharedKey: KEY in a peer': `[Interface]\nPrivateKey = ${PRIV}\n[Peer]\nPublicKey = ${PUB}\nPresharedKey: ${K}\n`,
    'a key glued to the name': `[Interface]\nPrivateKey${K}\n`,
    '[KEY] as a header': `[${K}]\n`,
    'Endpoint = KEY': `[Interface]\nPrivateKey = ${PRIV}\n[Peer]\nPublicKey = ${PUB}\nEndpoint = ${K}\n`,
    'DNS = KEY': `[Interface]\nPrivateKey = ${PRIV}\nDNS = ${K}\n`,
    'PostUp = KEY': `[Interface]\nPrivateKey = ${PRIV}\nPostUp = echo ${K}\n`,
    'CR-only line ends': `[Interface]\rPrivateKey: ${K}\rAddress = 10.8.0.2/32\r`,
  };
  for (const [name, text] of Object.entries(cases)) {
    it(name, () => {
      const out = messagesOf(text);
      expect(out).not.toBe('[]');
      expectNoKey(out, K, name);
    });
  }
});

// ---------------------------------------------------------------------------------------------------------------
// The property over every output path.

const NAMES = ['PrivateKey', 'privatekey', 'PRIVATEKEY', 'Private Key', 'PrivKey', 'PresharedKey', 'PublicKey', 'Endpoint', 'Address', 'DNS', 'MTU', 'Table', 'ListenPort', 'AllowedIPs', 'PostUp', 'FwMark', '[Interface] PrivateKey', '[Peer] PresharedKey', '[Interface]PrivateKey', '[Peer]', '[', ''];
const SEPARATORS = ['=', ' = ', ':', ': ', ' ', '\t', '', ' : ', '==', ' - ', '=>', '= "', ',', '=[', ' =  '];
const WRAPS: Array<(k: string) => string> = [(k) => k, (k) => `"${k}"`, (k) => `[${k}]`, (k) => `${k},10.0.0.1`, (k) => `x${k}`, (k) => `${k}:51820`, (k) => `${k}/32`, (k) => ` ${k} # comment`];
const CASES: Array<(s: string) => string> = [(s) => s, (s) => s.toLowerCase(), (s) => s.toUpperCase()];
const ENDINGS = ['\n', '\r\n', '\r'];

const placement = fc.record({
  key: fc.uint8Array({ minLength: 32, maxLength: 32 }).filter((b) => b.some((x) => x !== 0)),
  name: fc.constantFrom(...NAMES),
  sep: fc.constantFrom(...SEPARATORS),
  wrap: fc.nat({ max: WRAPS.length - 1 }),
  lineCase: fc.nat({ max: CASES.length - 1 }),
  at: fc.nat({ max: 7 }),
  ending: fc.constantFrom(...ENDINGS),
  basePrivate: fc.boolean(),
});
type Placement = { key: Uint8Array; name: string; sep: string; wrap: number; lineCase: number; at: number; ending: string; basePrivate: boolean };

function build(p: Placement): { key: string; text: string } {
  const key = Buffer.from(p.key).toString('base64');
  const line = CASES[p.lineCase]!(`${p.name}${p.sep}${WRAPS[p.wrap]!(key)}`);
  const base = ['[Interface]', ...(p.basePrivate ? [`PrivateKey = ${PRIV}`] : []), 'Address = 10.8.0.2/32', '', '[Peer]', `PublicKey = ${PUB}`, 'AllowedIPs = 10.8.0.0/24', 'Endpoint = 127.0.0.1:51820'];
  base.splice(p.at % (base.length + 1), 0, line);
  return { key, text: base.join(p.ending) + p.ending };
}

let dir: string;
let work: string;
const saved = { data: process.env.LONGHAUL_DATA_DIR, store: process.env.LONGHAUL_SECRET_STORE };
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-keyleak-'));
  work = path.join(dir, 'work');
  fs.mkdirSync(work);
  process.env.LONGHAUL_DATA_DIR = path.join(dir, 'data-cli');
  process.env.LONGHAUL_SECRET_STORE = 'file';
});
afterAll(() => {
  for (const [k, v] of [['LONGHAUL_DATA_DIR', saved.data], ['LONGHAUL_SECRET_STORE', saved.store]] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

async function cli(argv: string[]): Promise<string> {
  let out = '';
  const io: CliIO = { stdout: (t) => void (out += t), stderr: (t) => void (out += t), isTTY: false, env: process.env, cwd: work };
  await runCli(argv, io);
  return out;
}

function logText(dataDir: string): string {
  const logs = path.join(dataDir, 'logs');
  if (!fs.existsSync(logs)) return '';
  return fs.readdirSync(logs).map((f) => fs.readFileSync(path.join(logs, f), 'utf8')).join('');
}

describe('no output path carries a misplaced key (property)', () => {
  it('parser, CLI check/import (human and JSON), IPC profiles.import/check and the log files', async () => {
    const core = createCoreServices({ face: 'test', dataDir: path.join(dir, 'data-ipc') });
    const handlers = createProfilesHandlers(core, { emit: () => undefined });
    const keys: string[] = [];
    let n = 0;
    await fc.assert(
      fc.asyncProperty(placement, fc.boolean(), async (p, verbose) => {
        const { key, text } = build(p);
        keys.push(key);
        const fileName = `k${n++}.conf`;
        fs.writeFileSync(path.join(work, fileName), text);
        expectNoKey(messagesOf(text), key, 'parser messages');
        const flags = verbose ? ['--verbose'] : [];
        expectNoKey(await cli(['profile', 'check', fileName, ...flags]), key, 'profile check');
        expectNoKey(await cli(['profile', 'check', fileName, '--json']), key, 'profile check --json');
        expectNoKey(await cli(['profile', 'import', fileName, ...flags]), key, 'profile import');
        expectNoKey(await cli(['profile', 'import', fileName, '--name', `j${n}`, '--json']), key, 'profile import --json');
        const ipc = await dispatch(handlers, 'profiles.import', { fileName, base64: Buffer.from(text).toString('base64') }, { host: 'harness' });
        expectNoKey(JSON.stringify(ipc), key, 'IPC profiles.import');
        const check = await dispatch(handlers, 'profiles.check', { fileName, text }, { host: 'harness' });
        expectNoKey(JSON.stringify(check), key, 'IPC profiles.check');
      }),
      { numRuns: 150 },
    );
    const logs = logText(path.join(dir, 'data-cli')) + logText(path.join(dir, 'data-ipc'));
    expect(logs.length).toBeGreaterThan(0);
    for (const key of keys) expectNoKey(logs, key, 'the log files');
  });

  it('longhaul report on such a file: the zip raw and inflated, and the log', async () => {
    const out = path.join(dir, 'reports');
    const keys: string[] = [];
    await fc.assert(
      fc.asyncProperty(placement, async (p) => {
        const { key, text } = build(p);
        keys.push(key);
        fs.writeFileSync(path.join(work, 'r.conf'), text);
        const before = new Set(fs.existsSync(out) ? fs.readdirSync(out) : []);
        expectNoKey(await cli(['report', '--profile', 'r.conf', '--out', out, '--json']), key, 'report CLI output');
        const zips = fs.readdirSync(out).filter((f) => !before.has(f));
        expect(zips.length).toBe(1);
        const raw = fs.readFileSync(path.join(out, zips[0]!));
        expectNoKey(raw.toString('latin1'), key, 'the zip bytes');
        for (const [name, bytes] of Object.entries(unzipSync(raw))) expectNoKey(Buffer.from(bytes).toString('utf8'), key, `zip entry ${name}`);
      }),
      { numRuns: 8 },
    );
    const logs = logText(path.join(dir, 'data-cli'));
    for (const key of keys) expectNoKey(logs, key, 'the log files');
  }, 120_000);
});
