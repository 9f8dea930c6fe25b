/** `tunnel.*` contract handlers: responses match the contract, unknown profiles are typed errors. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ContractFailure } from '../../../src-main/contract';
import { tunnelCalls } from '../../../src-main/contract/tunnel';
import { createCoreServices } from '../../../src-main/core/app/services';
import { createTunnelHandlers } from '../../../src-main/core/tunnel/handlers';

describe('tunnel handlers', () => {
  const core = createCoreServices({ face: 'test', dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'lh-tunnel-h-')) });
  const emitted: unknown[] = [];
  const h = createTunnelHandlers(core, { emit: (_n, p) => emitted.push(p) });

  it('status with no profiles is an empty list that matches the contract', async () => {
    const r = await h['tunnel.status']({}, { host: 'harness' });
    expect(tunnelCalls['tunnel.status'].response.parse(r)).toEqual({ tunnels: [] });
  });

  it('connect to an unknown profile is not-found', async () => {
    await expect(h['tunnel.connect']({ name: 'nosuch' }, { host: 'harness' })).rejects.toSatisfy((e: unknown) => e instanceof ContractFailure && e.code === 'not-found');
  });

  it('requests are strict and bounded', () => {
    expect(tunnelCalls['tunnel.connect'].request.safeParse({ name: 'farm', waitSec: 10 }).success).toBe(true);
    expect(tunnelCalls['tunnel.connect'].request.safeParse({ name: 'farm', file: '/etc/x' }).success).toBe(false);
    expect(tunnelCalls['tunnel.connect'].request.safeParse({ name: '../x' }).success).toBe(false);
    expect(tunnelCalls['tunnel.connect'].request.safeParse({ name: 'farm', waitSec: 1000 }).success).toBe(false);
  });
});
