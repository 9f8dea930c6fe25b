/**
 * The helper's data path: the canonical profile arrives on stdin for `up NAME` only (bounded in size and time),
 * is re-validated (hooks and SaveConfig refused whatever the origin), re-serialised into the root-only directory with
 * the invoking user recorded; `down` by another non-root user is refused. No refusal message carries key material.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseProfile, serializeProfile } from '../../../src-main/core/profiles';
import { ownerAllows, readOwner, removeDelivered, storeDelivered, validateDelivered } from '../../../src-main/helper/delivery';
import { invokingUid, runHelper, type HelperConfig } from '../../../src-main/helper/main';
import { MAX_STDIN_BYTES, readBoundedStdin } from '../../../src-main/helper/stdin';
import { isRoot, warnSkippedUnlessRoot } from '../../support/lab';
import { buildProfile } from '../../support/profile';

warnSkippedUnlessRoot('test/unit/tunnel/helper-stdin.test.ts: its root-only tests are skipped (run as root)');

function profile(extra = ''): { text: string; key: string } {
  return buildProfile({ address: '10.9.0.2/32', extra, endpoint: '192.0.2.1:51820', allowedIPs: '10.9.0.0/24' });
}

const from = (s: string | Buffer) => Readable.from([Buffer.from(s)]);

function dirs(): HelperConfig {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-helper-stdin-'));
  fs.chmodSync(root, 0o700);
  return { profilesDir: path.join(root, 'profiles'), runtimeDir: path.join(root, 'run'), logDir: null, ownerUid: 0 };
}

/** `up`/`down` through runHelper as root started by pkexec for `pkexecUid`, with the given stdin. */
function helper(cfg: HelperConfig, argv: string[], pkexecUid: string | undefined, stdin: Readable | null) {
  const env: Record<string, string | undefined> = pkexecUid !== undefined ? { PKEXEC_UID: pkexecUid } : {};
  return runHelper(argv, env, 0, { stdin, config: cfg, stdinTimeoutMs: 2000 });
}

describe('bounded stdin', () => {
  it('reads what was sent, and treats closed, absent or terminal stdin as nothing delivered', async () => {
    const r = await readBoundedStdin(from('hello'));
    expect(r.kind === 'bytes' && Buffer.from(r.bytes).toString()).toBe('hello');
    expect(await readBoundedStdin(Readable.from([]))).toEqual({ kind: 'empty' });
    expect(await readBoundedStdin(null)).toEqual({ kind: 'empty' });
    const tty = Object.assign(new PassThrough(), { isTTY: true });
    expect(await readBoundedStdin(tty)).toEqual({ kind: 'empty' });
    expect(tty.readableFlowing).toBeNull(); // a terminal is never read
  });

  it('refuses more than 64 KiB', async () => {
    const r = await readBoundedStdin(from(Buffer.alloc(MAX_STDIN_BYTES + 1, 0x41)));
    expect(r).toMatchObject({ kind: 'error', message: expect.stringMatching(/larger than 64 KiB/) });
    expect((await readBoundedStdin(from(Buffer.alloc(MAX_STDIN_BYTES, 0x41)))).kind).toBe('bytes');
  });

  it('gives up on a stdin that is never closed', async () => {
    const open = new PassThrough();
    open.write('[Interface]\n');
    const r = await readBoundedStdin(open, { timeoutMs: 50 });
    expect(r).toMatchObject({ kind: 'error', message: expect.stringMatching(/not closed within/) });
    expect(open.destroyed).toBe(true);
  });
});

describe('helper: who may send what', () => {
  it('refuses any argv but the three verbs before reading stdin', async () => {
    for (const argv of [['up', '/tmp/x.conf'], ['up', 'farm', '--stdin'], ['install', 'farm'], ['up', '-'], ['up']]) {
      const stdin = new PassThrough();
      stdin.end(profile().text);
      expect(await helper(dirs(), argv, '1000', stdin), JSON.stringify(argv)).toMatchObject({ code: 2, doc: { error: { code: 'invalid-arguments' } } });
      expect(stdin.readableFlowing, JSON.stringify(argv)).toBeNull();
    }
  });

  it('refuses a non-numeric PKEXEC_UID and reads the invoking user otherwise', async () => {
    expect(invokingUid({})).toBe(0);
    expect(invokingUid({ PKEXEC_UID: '1000' })).toBe(1000);
    expect(invokingUid({ PKEXEC_UID: '1000; id' })).toBeNull();
    expect(await helper(dirs(), ['up', 'farm'], 'root', from(profile().text))).toMatchObject({ code: 2, doc: { error: { code: 'invalid-arguments' } } });
  });

  it('refuses hooks and SaveConfig on stdin, naming the line, without writing anything', async () => {
    for (const extra of ['PostUp = touch /tmp/pwned', 'PreDown = id', 'SaveConfig = true']) {
      const cfg = dirs();
      const p = profile(extra);
      const out = await helper(cfg, ['up', 'farm'], '1000', from(p.text));
      expect(out.code, extra).toBe(1);
      const t = (out.doc.tunnels as { state: string; reason: string; message: string }[])[0]!;
      expect(t).toMatchObject({ state: 'error', reason: 'hooks-refused' });
      expect(t.message).toMatch(/farm\.conf \(stdin\):4/);
      expect(t.message).not.toContain(p.key);
      expect(fs.existsSync(cfg.profilesDir)).toBe(false);
    }
  });

  it('refuses an invalid or oversized profile with a clear message that never echoes a key', async () => {
    const p = profile();
    const bad = p.text.replace('AllowedIPs = 10.9.0.0/24', 'AllowedIPs = 10.9.0.0/99');
    const out = await helper(dirs(), ['up', 'farm'], '1000', from(bad));
    const t = (out.doc.tunnels as { reason: string; message: string }[])[0]!;
    expect(out.code).toBe(1);
    expect(t.reason).toBe('profile-invalid');
    expect(t.message).toMatch(/farm\.conf \(stdin\):8/);
    expect(t.message).not.toContain(p.key);

    const mangledKey = `${p.key.slice(0, 40)}!!!=`;
    const out2 = await helper(dirs(), ['up', 'farm'], '1000', from(p.text.replace(p.key, mangledKey)));
    const t2 = (out2.doc.tunnels as { reason: string; message: string }[])[0]!;
    expect(t2.reason).toBe('profile-invalid');
    expect(t2.message).toMatch(/farm\.conf \(stdin\):2/);
    expect(t2.message).not.toContain(mangledKey);
    expect(t2.message).not.toContain(p.key.slice(0, 40));

    const big = await helper(dirs(), ['up', 'farm'], '1000', from(p.text + '#'.repeat(MAX_STDIN_BYTES)));
    const t3 = (big.doc.tunnels as { reason: string; message: string }[])[0]!;
    expect(big.code).toBe(1);
    expect(t3).toMatchObject({ reason: 'profile-invalid', message: expect.stringMatching(/larger than 64 KiB/) });
    expect(JSON.stringify(big.doc)).not.toContain(p.key);
  });

  it('validates with the import parser and re-serialises (the received bytes are never stored)', () => {
    const p = profile();
    const sent = `# comment\n${p.text.replace('Address = ', 'address=').replace('[Peer]', '[peer]   ')}`;
    const canonical = validateDelivered('farm', Buffer.from(sent));
    expect(canonical).not.toBe(sent);
    expect(canonical).toBe(serializeProfile(parseProfile(p.text, { origin: 'user' }).profile!));
  });
});

describe.skipIf(!isRoot)('helper: delivered copies in the root-only directory (root)', () => {
  it('writes <NAME>.conf 0600 in a 0700 directory with the owner beside it, and removes both', () => {
    const cfg = dirs();
    const canonical = validateDelivered('farm', Buffer.from(profile().text));
    storeDelivered(cfg.profilesDir, 'farm', canonical, 1000, false, new Date('2026-01-01T00:00:00Z'));
    expect(fs.statSync(cfg.profilesDir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(cfg.profilesDir, 'farm.conf')).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(path.join(cfg.profilesDir, 'farm.conf'), 'utf8')).toBe(canonical);
    expect(readOwner(cfg.profilesDir, 'farm')).toEqual({ uid: 1000, deliveredAt: '2026-01-01T00:00:00.000Z' });
    expect(fs.readdirSync(cfg.profilesDir).sort()).toEqual(['farm.conf', 'farm.owner']);
    expect(ownerAllows(cfg.profilesDir, 'farm', 1000)).toEqual({ ok: true });
    expect(ownerAllows(cfg.profilesDir, 'farm', 0)).toEqual({ ok: true });
    expect(ownerAllows(cfg.profilesDir, 'farm', 1001)).toEqual({ ok: false, owner: 1000 });
    expect(removeDelivered(cfg.profilesDir, 'farm')).toBe(true);
    expect(fs.readdirSync(cfg.profilesDir)).toEqual([]);
  });

  it('never overwrites or removes a profile IT installed, nor another user\'s copy while it is up', () => {
    const cfg = dirs();
    const canonical = validateDelivered('farm', Buffer.from(profile().text));
    fs.mkdirSync(cfg.profilesDir, { mode: 0o700 });
    fs.writeFileSync(path.join(cfg.profilesDir, 'it.conf'), 'IT', { mode: 0o600 });
    expect(() => storeDelivered(cfg.profilesDir, 'it', canonical, 1000, false)).toThrow(/installed for all users by IT/);
    expect(removeDelivered(cfg.profilesDir, 'it')).toBe(false);
    expect(fs.readFileSync(path.join(cfg.profilesDir, 'it.conf'), 'utf8')).toBe('IT');
    storeDelivered(cfg.profilesDir, 'farm', canonical, 1000, false);
    expect(() => storeDelivered(cfg.profilesDir, 'farm', canonical, 1001, true)).toThrow(/up for another user \(uid 1000\)/);
    storeDelivered(cfg.profilesDir, 'farm', canonical, 1001, false); // a stale copy (tunnel down) is replaced
    expect(readOwner(cfg.profilesDir, 'farm')?.uid).toBe(1001);
  });

  it('refuses a profile directory that is a symlink or writable by others', () => {
    const cfg = dirs();
    fs.symlinkSync('/tmp', cfg.profilesDir);
    expect(() => storeDelivered(cfg.profilesDir, 'farm', 'x', 1000, false)).toThrow(/not a directory/);
  });

  it('refuses down by another non-root user, and up of their copy with nothing on stdin', async () => {
    const cfg = dirs();
    storeDelivered(cfg.profilesDir, 'farm', validateDelivered('farm', Buffer.from(profile().text)), 1000, false);
    const down = await helper(cfg, ['down', 'farm'], '1001', null);
    expect(down.code).toBe(2);
    expect(down.doc).toMatchObject({ tunnels: [{ state: 'error', reason: 'permission-denied', message: expect.stringMatching(/another user \(uid 1000\)/) }] });
    const up = await helper(cfg, ['up', 'farm'], '1001', Readable.from([]));
    expect(up.doc).toMatchObject({ tunnels: [{ state: 'error', reason: 'permission-denied' }] });
    expect(fs.existsSync(path.join(cfg.profilesDir, 'farm.conf'))).toBe(true);
    // The owner (and root) may: the interface is not up, so down just removes the delivered copy.
    const own = await helper(cfg, ['down', 'farm'], '1000', null);
    expect(own).toMatchObject({ code: 0, doc: { tunnels: [{ state: 'disconnected' }] } });
    expect(fs.readdirSync(cfg.profilesDir)).toEqual([]);
  });

  it('drops the delivered copy when the tunnel could not come up (name taken by another interface)', async () => {
    const cfg = dirs();
    const p = profile();
    const out = await helper(cfg, ['up', 'lo'], '1000', from(p.text));
    const t = (out.doc.tunnels as { state: string; reason: string; message: string }[])[0]!;
    expect(t.state).toBe('error');
    expect(['interface-exists', 'tools-missing', 'resolvconf-missing']).toContain(t.reason); // tools are checked first
    expect(JSON.stringify(out.doc)).not.toContain(p.key);
    expect(fs.readdirSync(cfg.profilesDir)).toEqual([]);
  });
});
