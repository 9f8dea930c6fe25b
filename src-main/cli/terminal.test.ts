/**
 * Issue 13 item 9: text from profiles, zip entry names, a host's /serverinfo or the command line must not act on the
 * user's terminal. Every byte the CLI writes goes through one sanitiser (`terminal.ts`, applied in `runCli`): control
 * characters and escape sequences in that text are shown escaped; only the CLI's own colour and redraw sequences pass.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { paint, type CliIO } from './command';
import { runCli } from './main';
import { sanitizeTerminalText, terminalControl } from './terminal';

// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const HOSTILE = '\u001b]0;pwned\u0007\u001b[2J\u001b[1A\r\u009b31m\u202eevil';

let dir: string;
const saved = process.env.LONGHAUL_DATA_DIR;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-term-'));
  process.env.LONGHAUL_DATA_DIR = path.join(dir, 'data');
  const conf = '[Interface]\nPrivateKey = KKah6QUuyCFEAnMM4jOFPwo3GjUudxIa7Nc17A65KVU=\nAddress = 10.8.0.2/32\n[Peer]\nPublicKey = aRUl5YUTJT3z9plbdD618jjduqE4lbirNAyzMmCOUlc=\nAllowedIPs = 10.8.0.0/24\nEndpoint = 127.0.0.1:51820\n';
  fs.writeFileSync(path.join(dir, 'hostile.zip'), zipSync({ [`${HOSTILE}.conf`]: strToU8(conf), [`${HOSTILE}.txt`]: strToU8('x') }));
  fs.writeFileSync(path.join(dir, 'lines.conf'), `[Interface]\nPrivateKey = KKah6QUuyCFEAnMM4jOFPwo3GjUudxIa7Nc17A65KVU=\nDNS = ${HOSTILE}\nBogus${HOSTILE} = 1\n`);
});
afterAll(() => {
  if (saved === undefined) delete process.env.LONGHAUL_DATA_DIR;
  else process.env.LONGHAUL_DATA_DIR = saved;
  fs.rmSync(dir, { recursive: true, force: true });
});

async function cli(argv: string[], isTTY = false) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTTY, env: {}, cwd: dir };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

describe('the terminal sanitiser', () => {
  it('escapes C0, C1, DEL, CR, ESC sequences and bidi overrides; keeps newlines and tabs', () => {
    const out = sanitizeTerminalText(`a${HOSTILE}\tb\nc\u007f`);
    expect(out).not.toMatch(RAW_CONTROL);
    expect(out).toBe('a\\u001b]0;pwned\\u0007\\u001b[2J\\u001b[1A\\u000d\\u009b31m\\u202eevil\tb\nc\\u007f');
  });
  it("passes the CLI's own sequences (marked by terminalControl), and only those", () => {
    expect(sanitizeTerminalText(`${terminalControl('\u001b[31m')}red${terminalControl('\r\u001b[K')}`)).toBe('\u001b[31mred\r\u001b[K');
    const io: CliIO = { stdout: () => {}, stderr: () => {}, isTTY: true, env: {}, cwd: '/' };
    expect(sanitizeTerminalText(paint(io, 'red', `x${HOSTILE}`))).toBe(`\u001b[31mx${sanitizeTerminalText(HOSTILE)}\u001b[0m`);
  });
  it('keeps JSON valid and equal: an escaped character is a JSON \\u escape', () => {
    const doc = JSON.stringify({ s: `\\${HOSTILE}\u0085` });
    expect(JSON.parse(sanitizeTerminalText(doc))).toEqual(JSON.parse(doc));
  });
});

describe('runCli writes no raw control character from its input', () => {
  it('a hostile file name argument (error path)', async () => {
    const r = await cli(['profile', 'check', `${HOSTILE}.conf`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('\\u001b');
    expect(r.stdout + r.stderr).not.toMatch(RAW_CONTROL);
  });
  it('zip entry names and profile lines, human and JSON output, on a terminal', async () => {
    for (const file of ['hostile.zip', 'lines.conf']) {
      for (const cmd of ['check', 'import']) {
        const human = await cli(['profile', cmd, file], true);
        expect(human.stdout).toContain('\u001b['); // colour is on: the CLI's own sequences pass
        expect(human.stdout.replace(new RegExp(String.raw`\u001b\[\d+m`, 'g'), '') + human.stderr, `${cmd} ${file}`).not.toMatch(RAW_CONTROL);
        const json = await cli(['profile', cmd, file, '--json']);
        expect(json.stdout + json.stderr).not.toMatch(RAW_CONTROL);
        expect(() => JSON.parse(json.stdout)).not.toThrow();
      }
    }
  });
  it('an unknown command quoted back', async () => {
    const r = await cli([`x${HOSTILE}`]);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).not.toMatch(RAW_CONTROL);
  });
});
