/**
 * Who asked the helper (src-main/helper/caller.ts): PKEXEC_UID when pkexec set it; root only when the process that
 * started the helper is root. A helper started by a non-root process without PKEXEC_UID (a wrapper that cleared it,
 * issue 13.1) refuses before it reads stdin, takes a lock or runs a program.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { callerOf, parentRealUid, realUidOf } from '../../../src-main/helper/caller';
import { runHelper, type HelperConfig } from '../../../src-main/helper/main';

function dirs(): HelperConfig {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-helper-caller-'));
  fs.chmodSync(root, 0o700);
  return { profilesDir: path.join(root, 'profiles'), runtimeDir: path.join(root, 'run'), logDir: null, ownerUid: 0 };
}

describe('callerOf', () => {
  it('takes PKEXEC_UID whoever the parent is', () => {
    expect(callerOf({ PKEXEC_UID: '1000' }, 1000)).toEqual({ ok: true, uid: 1000 });
    expect(callerOf({ PKEXEC_UID: '1000' }, 0)).toEqual({ ok: true, uid: 1000 });
    expect(callerOf({ PKEXEC_UID: '0' }, 0)).toEqual({ ok: true, uid: 0 });
  });

  it('refuses a PKEXEC_UID that is empty or not a number', () => {
    for (const v of ['', 'root', '1000; id', '-1', '99999999999']) expect(callerOf({ PKEXEC_UID: v }, 0), v).toMatchObject({ ok: false, code: 'invalid-arguments' });
  });

  it('without PKEXEC_UID: root when the parent is root or unknown, refused when the parent is another user', () => {
    expect(callerOf({}, 0)).toEqual({ ok: true, uid: 0 });
    expect(callerOf({}, null)).toEqual({ ok: true, uid: 0 });
    const r = callerOf({}, 1000);
    expect(r).toMatchObject({ ok: false, code: 'caller-unknown' });
    expect(!r.ok && r.message).toMatch(/started by uid 1000 without PKEXEC_UID.*nothing was changed/);
  });
});

describe('realUidOf / parentRealUid (Linux /proc/PID/status)', () => {
  it.runIf(process.platform === 'linux')('reads this process and its parent (both run as this user here)', () => {
    expect(realUidOf(process.pid)).toBe(process.getuid!());
    expect(parentRealUid('linux')).toBe(process.getuid!());
  });

  it('is null for a process that does not exist and on platforms without pkexec', () => {
    expect(realUidOf(2 ** 22 + 17)).toBeNull();
    expect(parentRealUid('darwin')).toBeNull();
    expect(parentRealUid('win32')).toBeNull();
  });
});

describe.runIf(process.getuid?.() === 0)('runHelper refuses a non-root parent without PKEXEC_UID', () => {
  it('before reading stdin or touching its directories', async () => {
    const cfg = dirs();
    const stdin = new PassThrough();
    stdin.end('[Interface]\n');
    for (const argv of [['status'], ['down', 'farm'], ['up', 'farm']]) {
      const out = await runHelper(argv, {}, 0, { stdin, config: cfg, parentUid: () => 1000 });
      expect(out, argv.join(' ')).toMatchObject({ code: 2, doc: { error: { code: 'caller-unknown' } } });
    }
    expect(stdin.readableFlowing).toBeNull();
    expect(fs.existsSync(cfg.profilesDir)).toBe(false);
  });

  it('and serves the same request for a root parent', async () => {
    const out = await runHelper(['status'], {}, 0, { config: dirs(), parentUid: () => 0 });
    expect(out.doc.error).toBeUndefined();
    expect(out).toMatchObject({ code: 0, doc: { tunnels: [] } });
  });
});
