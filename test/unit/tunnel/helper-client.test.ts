/**
 * The unprivileged client of the helper: argv is exactly `pkexec HELPER up NAME`, the canonical text goes on stdin
 * (only for `up`), route conflicts are decided before the helper runs (the helper has no --force), and `--wait` is
 * honoured by polling `status`. `pkexec` here is a stand-in program (pkexec itself needs a polkit agent and a
 * session) that records its argv and stdin and answers from a JSON file like the helper does.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TunnelStatus } from '../../../src-main/contract/tunnel';
import { createCoreServices } from '../../../src-main/core/app/services';
import { createRunner } from '../../../src-main/core/platform/runner';
import { generatePrivateKey, publicKeyOf } from '../../../src-main/core/profiles';
import { callHelper, HELPER_PATH } from '../../../src-main/core/tunnel/helper-client';
import { upThroughHelper } from '../../../src-main/core/tunnel/helper-up';
import { buildProfile } from '../../support/profile';

interface Call {
  argv: string[];
  stdin: string;
}

function standIn(answers: Record<string, TunnelStatus[] | number[]>): { dir: string; calls: () => Call[]; answer: (a: Record<string, TunnelStatus[] | number[]>) => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-pkexec-'));
  const script = `#!${process.execPath}
const fs = require('fs'), path = require('path');
const dir = ${JSON.stringify(dir)};
const stdin = fs.readFileSync(0, 'utf8');
const argv = process.argv.slice(2);
fs.appendFileSync(path.join(dir, 'calls.jsonl'), JSON.stringify({ argv, stdin }) + '\\n');
const answers = JSON.parse(fs.readFileSync(path.join(dir, 'answers.json'), 'utf8'));
if (answers.exit) process.exit(answers.exit[0]); // pkexec: 126 dismissed, 127 not authorised
process.stdout.write(JSON.stringify({ schemaVersion: 1, tunnels: answers[argv[1]] || [] }) + '\\n');
`;
  fs.writeFileSync(path.join(dir, 'pkexec'), script, { mode: 0o755 });
  const answer = (a: Record<string, TunnelStatus[] | number[]>) => fs.writeFileSync(path.join(dir, 'answers.json'), JSON.stringify(a));
  answer(answers);
  const calls = () => {
    try {
      return fs.readFileSync(path.join(dir, 'calls.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Call);
    } catch {
      return [];
    }
  };
  return { dir, calls, answer };
}

function status(name: string, state: TunnelStatus['state'], allowedIps: string[] = []): TunnelStatus {
  return {
    name,
    interface: name,
    state,
    reason: state === 'error' ? 'no-handshake' : null,
    message: null,
    endpoint: null,
    latestHandshakeAgeSec: null,
    rxBytes: 0,
    txBytes: 0,
    peers: allowedIps.length ? [{ publicKey: publicKeyOf(generatePrivateKey()), endpoint: null, allowedIps, latestHandshakeAgeSec: null, rxBytes: 0, txBytes: 0, persistentKeepalive: null }] : [],
  };
}

async function coreWith(pkexecDir: string, extra = '') {
  process.env.LONGHAUL_SECRET_STORE = 'file';
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-helper-client-'));
  const base = createCoreServices({ face: 'cli', dataDir, policySources: [] });
  const core = { ...base, runner: createRunner({ searchPath: pkexecDir }) };
  const { key, text } = buildProfile({ address: '10.77.0.2/32', extra, endpoint: '192.0.2.1:51820', allowedIPs: '10.77.0.0/24' });
  const batch = await core.profiles.import({ fileName: 'farm.conf', bytes: text, ...(extra ? { origin: 'policy', allowScripts: true } : {}) });
  expect(batch.entries[0]?.valid).toBe(true);
  return { core, key, canonical: await core.profiles.canonicalText('farm') };
}

describe('helper client', () => {
  it('sends the profile on stdin for up only; argv stays `HELPER VERB NAME`', async () => {
    const p = standIn({ up: [status('farm', 'connected')], status: [status('farm', 'connected')], down: [status('farm', 'disconnected')] });
    const runner = createRunner({ searchPath: p.dir });
    expect(await callHelper(runner, 'up', 'farm', { input: 'PROFILE TEXT' })).toMatchObject([{ state: 'connected' }]);
    await callHelper(runner, 'status', null, { input: 'ignored' });
    await callHelper(runner, 'down', 'farm', { input: 'ignored' });
    expect(p.calls()).toEqual([
      { argv: [HELPER_PATH, 'up', 'farm'], stdin: 'PROFILE TEXT' },
      { argv: [HELPER_PATH, 'status'], stdin: '' },
      { argv: [HELPER_PATH, 'down', 'farm'], stdin: '' },
    ]);
  });

  it('up through the helper: the canonical text on stdin, never in argv; polls status until its own --wait', async () => {
    const p = standIn({ status: [], up: [status('farm', 'error')] });
    const { core, key, canonical } = await coreWith(p.dir);
    let polls = 0;
    const s = await upThroughHelper(core, 'farm', canonical, {
      waitSec: 60,
      force: false,
      pollMs: 1,
      onProgress: () => {
        if (++polls === 3) p.answer({ status: [status('farm', 'connected')] });
      },
    });
    expect(s.state).toBe('connected');
    const calls = p.calls();
    const up = calls.find((c) => c.argv[1] === 'up')!;
    expect(up).toEqual({ argv: [HELPER_PATH, 'up', 'farm'], stdin: canonical });
    expect(up.stdin).toContain(key);
    expect(calls.every((c) => !c.argv.join(' ').includes(key))).toBe(true);
    expect(calls.filter((c) => c.argv[1] === 'status' && c.argv[2] === 'farm').length).toBeGreaterThanOrEqual(2);
  });

  it('decides route conflicts before calling the helper; --force proceeds (logged)', async () => {
    const p = standIn({ status: [status('other', 'connected', ['10.77.0.0/16'])], up: [status('farm', 'connected')] });
    const { core, canonical } = await coreWith(p.dir);
    const refused = await upThroughHelper(core, 'farm', canonical, { waitSec: 1, force: false });
    expect(refused).toMatchObject({ state: 'error', reason: 'route-conflict' });
    expect(p.calls().map((c) => c.argv[1])).toEqual(['status']);
    const forced = await upThroughHelper(core, 'farm', canonical, { waitSec: 1, force: true });
    expect(forced.state).toBe('connected');
    expect(p.calls().map((c) => c.argv[1])).toEqual(['status', 'status', 'up']);
  });

  it('a policy profile with approved hooks is not sent (the helper uses the copy IT installed)', async () => {
    const p = standIn({ status: [], up: [status('farm', 'connected')] });
    const { core, canonical } = await coreWith(p.dir, 'PostUp = /usr/local/bin/studio-routes');
    expect(canonical).toContain('PostUp');
    await upThroughHelper(core, 'farm', canonical, { waitSec: 1, force: false });
    expect(p.calls().find((c) => c.argv[1] === 'up')).toEqual({ argv: [HELPER_PATH, 'up', 'farm'], stdin: '' });
  });

  it('stops before `up` when the helper may not be asked at all (dialog dismissed)', async () => {
    const p = standIn({ exit: [126] });
    const { core, canonical } = await coreWith(p.dir);
    const s = await upThroughHelper(core, 'farm', canonical, { waitSec: 1, force: false });
    expect(s).toMatchObject({ name: 'farm', state: 'error', reason: 'permission-denied', message: expect.stringMatching(/dialog was dismissed/) });
    expect(p.calls().map((c) => c.argv[1])).toEqual(['status']);
  });
});
