import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ContractFailure } from '../../../src-main/contract';
import { calls } from '../../../src-main/contract';
import { createCoreServices } from '../../../src-main/core/app/services';
import { createChecksHandlers } from '../../../src-main/core/checks/handlers';

describe('checks.* handlers (typed errors) and contract schemas', () => {
  process.env.LONGHAUL_SECRET_STORE = 'file';
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'longhaul-chk-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const core = createCoreServices({ face: 'cli', dataDir });
  const h = createChecksHandlers(core, { emit: () => {} });
  const ctx = { host: 'harness' as const };
  it('refuses an unknown profile and an unknown run', async () => {
    await expect(h['checks.run']({ profile: 'nosuch' }, ctx)).rejects.toMatchObject({ code: 'not-found' });
    await expect(h['checks.applyFix']({ runId: 'chk-00000000', code: 'mtu.blackhole' }, ctx)).rejects.toBeInstanceOf(ContractFailure);
    expect(await h['checks.cancel']({ runId: 'chk-00000000' }, ctx)).toEqual({ cancelled: false });
    expect(await h['checks.last']({ profile: 'nosuch' }, ctx)).toBeNull();
  });
  it('declares strict, bounded requests', () => {
    expect(calls['checks.run'].request.safeParse({ profile: 'a', extra: 1 }).success).toBe(false);
    expect(calls['checks.run'].request.safeParse({ profile: 'x'.repeat(65) }).success).toBe(false);
    expect(calls['checks.applyFix'].request.safeParse({ runId: 'r', code: 'dns.name-unresolved' }).success).toBe(false);
  });
});
