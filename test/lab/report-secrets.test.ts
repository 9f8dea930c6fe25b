/**
 * Secrets: the bundled CLI (`longhaul report`) run as a freshly created unprivileged user with a distinctive name.
 * Its profile holds known private and preshared keys; its logs carry planted keys, public IPs, its name and home.
 * No byte of any zip entry (nor of the zip itself) may contain a key, the username or the home path, in normal and
 * strict mode; public IPs come out mapped, consistently across files. Needs root (useradd); skips loudly otherwise.
 * Makes no network traffic beyond loopback: the profile's endpoint is 127.0.0.1 and no tunnel exists, so every check
 * that would send packets is skipped by the engine.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDocV4 } from '../../src-main/core/report/anonymize/ip';
import { generateKeyPair } from '../../scripts/lab/keys';
import { cliBundle, removeCliBundle } from '../support/bundle';
import { randomKey } from '../support/keys';
import { isRoot, warnSkippedUnlessRoot } from '../support/lab';

const run = promisify(execFile);
warnSkippedUnlessRoot('report-secrets lab test needs root (useradd)');

const USER = `lhzq${randomBytes(3).toString('hex')}`;
const HOME = `/home/${USER}`;
const me = generateKeyPair();
const peer = generateKeyPair();
const PSK = randomKey();
const STRAY = randomKey(); // a preshared key only in the logs, after its name
const PUBLIC_V4 = ['93.184.216.34', '151.101.1.69'];
const PUBLIC_V6 = '2606:4700:10::6816:1';
let binDir: string;
let uid = 0;
let gid = 0;

async function asUser(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return await run(process.execPath, [path.join(binDir, 'longhaul.cjs'), ...args], {
    uid,
    gid,
    cwd: HOME,
    env: { HOME, USER, LOGNAME: USER, PATH: process.env.PATH ?? '/usr/bin:/bin' },
    timeout: 120_000,
  });
}

describe.skipIf(!isRoot)('report as an unprivileged user: nothing secret leaves', () => {
  beforeAll(async () => {
    // The bundled CLI, exactly as scripts/build-node.mjs bundles it (readable by the unprivileged user).
    binDir = path.dirname(await cliBundle());
    await run('useradd', ['--create-home', '--home-dir', HOME, '--shell', '/usr/sbin/nologin', USER]);
    uid = Number((await run('id', ['-u', USER])).stdout.trim());
    gid = Number((await run('id', ['-g', USER])).stdout.trim());
    const write = (rel: string, text: string) => {
      const p = path.join(HOME, rel);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, text);
    };
    write(
      'farm.conf',
      `# exported by ${USER} from ${HOME}/Downloads\n[Interface]\nPrivateKey = ${me.privateKey}\nAddress = 10.99.0.2/32\n\n[Peer]\nPublicKey = ${peer.publicKey}\nPresharedKey = ${PSK}\nEndpoint = 127.0.0.1:51820\nAllowedIPs = 10.99.0.0/24\n`,
    );
    const logs = '.config/longhaul/logs';
    write(
      `${logs}/longhaul.log.1`,
      [
        JSON.stringify({ ts: '2026-11-27T05:00:00Z', level: 'info', src: 'main', msg: 'connect', endpoint: `${PUBLIC_V4[0]}:51820`, cfg: `PrivateKey = ${me.privateKey}` }),
        `raw wg output: ${me.privateKey}\t${peer.publicKey}\t${PSK}\t[${PUBLIC_V6}]:51820`,
        `{"presharedKey":"${STRAY}","note":"user ${USER} home ${HOME}/.config C:\\\\Users\\\\${USER}\\\\AppData"}`,
      ].join('\n') + '\n',
    );
    write(`${logs}/longhaul.log`, `seen ${PUBLIC_V4[0]} and ${PUBLIC_V4[1]} from ${HOME}; ${USER} again; ${PUBLIC_V6}\n`);
    await run('chown', ['-R', `${USER}:`, HOME]);
  });

  afterAll(async () => {
    await run('userdel', ['--remove', USER]).catch(() => undefined);
    removeCliBundle();
  });

  for (const mode of ['normal', 'strict'] as const) {
    it(`${mode} mode`, async () => {
      const out = path.join(HOME, `out-${mode}`);
      const args = ['report', '--profile', path.join(HOME, 'farm.conf'), '--out', out, '--json', ...(mode === 'strict' ? ['--strict'] : [])];
      const { stdout } = await asUser(args);
      const doc = JSON.parse(stdout) as { schemaVersion: number; path: string; supportId: string; verdict: string; uploaded: boolean };
      expect(doc).toMatchObject({ schemaVersion: 1, uploaded: false });
      expect(doc.supportId).toMatch(/^LH-\d{8}-[0-9a-f]{8}$/);
      expect(path.dirname(doc.path)).toBe(out);
      const st = fs.statSync(doc.path);
      expect(st.mode & 0o777).toBe(0o600);
      expect(st.uid).toBe(uid);

      const zipBytes = fs.readFileSync(doc.path);
      const entries = unzipSync(zipBytes);
      expect(Object.keys(entries).sort()).toEqual(['README.txt', 'report.html', 'report.json', 'summary.txt']);
      const forbidden = [me.privateKey, PSK, STRAY, USER, HOME, ...PUBLIC_V4, PUBLIC_V6];
      if (mode === 'strict') forbidden.push(peer.publicKey);
      const texts: Record<string, string> = {};
      for (const [name, bytes] of Object.entries(entries)) {
        const text = Buffer.from(bytes).toString('latin1');
        texts[name] = Buffer.from(bytes).toString('utf8');
        for (const f of forbidden) expect(text.toLowerCase().includes(f.toLowerCase()), `${name} contains ${f}`).toBe(false);
      }
      for (const f of [me.privateKey, PSK, STRAY, USER]) expect(zipBytes.includes(Buffer.from(f)), `zip bytes contain ${f}`).toBe(false);

      // The logs were really included, and the planted public IPs are mapped consistently across files.
      const report = JSON.parse(texts['report.json']!);
      const logText = (report.logs.data.files as { name: string; text: string }[]).map((f) => f.text).join('\n');
      expect(logText).toContain('[REDACTED-KEY]');
      const m = /"endpoint":"([\d.]+):51820"/.exec(logText) ?? /endpoint\\?":\\?"([\d.]+):51820/.exec(logText);
      const mapped = m![1]!;
      expect(isDocV4(mapped)).toBe(true);
      expect(logText).toContain(`seen ${mapped} and `);
      expect(texts['report.html']).toContain(`seen ${mapped} and `);
      const v6 = /\[(2001:db8:[0-9a-f:]+)\]:51820/.exec(logText)![1]!;
      expect(logText).toContain(`; ~ again; ${v6}`);
      expect(report.profile.data.profile.interface.privateKey).toBe('[REDACTED-KEY]');
      expect(report.redaction.mode).toBe(mode);
    });
  }
});
