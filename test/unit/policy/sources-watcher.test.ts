import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRunner } from '../../../src-main/core/platform/runner';
import { createJsonFileSource } from '../../../src-main/core/policy/json-source';
import { createMemoryLogger } from '../../../src-main/core/log/logger';
import { createManagedPolicyReader } from '../../../src-main/core/policy/reader';
import { readPolicy, type EffectivePolicy } from '../../../src-main/core/policy/policy';
import { createOsPolicySources, LINUX_POLICY_PATH, MAC_POLICY_PATH, policyWatchPaths, testPolicyOverride } from '../../../src-main/core/policy/sources';
import { createPolicyWatcher } from '../../../src-main/core/policy/watcher';
import { isRoot, tempDir, writeFile } from './helpers';

const runner = createRunner();

describe('createOsPolicySources', () => {
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env.LONGHAUL_TEST_BUILD;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.LONGHAUL_TEST_BUILD;
    else process.env.LONGHAUL_TEST_BUILD = saved;
  });

  it('uses the fixed OS locations', () => {
    delete process.env.LONGHAUL_TEST_BUILD;
    expect(createOsPolicySources('linux', runner, { env: {} }).map((s) => s.name)).toEqual([LINUX_POLICY_PATH]);
    expect(createOsPolicySources('darwin', runner, { env: {} }).map((s) => s.name)).toEqual([MAC_POLICY_PATH]);
    expect(LINUX_POLICY_PATH).toBe('/etc/longhaul/policy.json');
  });

  it('ignores LONGHAUL_TEST_POLICY_PATH unless this is a test build', () => {
    const env = { LONGHAUL_TEST_POLICY_PATH: '/tmp/x/policy.json' };
    delete process.env.LONGHAUL_TEST_BUILD;
    expect(testPolicyOverride(env)).toBeNull();
    expect(createOsPolicySources('linux', runner, { env }).map((s) => s.name)).toEqual([LINUX_POLICY_PATH]);
    process.env.LONGHAUL_TEST_BUILD = 'true'; // only exactly "1" counts
    expect(testPolicyOverride(env)).toBeNull();
    process.env.LONGHAUL_TEST_BUILD = '1';
    expect(createOsPolicySources('win32', runner, { env }).map((s) => s.name)).toEqual(['/tmp/x/policy.json']);
    expect(policyWatchPaths('win32', env)).toEqual(['/tmp/x/policy.json']);
  });

  it.skipIf(!isRoot)('the managed reader logs a refusal once, however often it re-reads', async () => {
    process.env.LONGHAUL_TEST_BUILD = '1';
    const dir = tempDir();
    try {
      const file = writeFile(path.join(dir, 'policy.json'), JSON.stringify({ requireGate: true, extra: 1 }), 0o664);
      const logger = createMemoryLogger();
      const reader = createManagedPolicyReader('linux', runner, { env: { LONGHAUL_TEST_POLICY_PATH: file }, logger });
      expect(reader.sourceNames).toEqual([file]);
      expect(reader.watchPaths).toEqual([file]);
      await reader.read();
      await reader.read();
      expect(logger.lines.filter((l) => l.includes('policy: source refused'))).toHaveLength(1);
      fs.chmodSync(file, 0o644);
      await reader.read();
      await reader.read();
      expect(logger.lines.filter((l) => l.includes('policy: unknown key ignored'))).toHaveLength(1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!isRoot)('the override still requires root ownership', async () => {
    process.env.LONGHAUL_TEST_BUILD = '1';
    const dir = tempDir();
    try {
      const file = writeFile(path.join(dir, 'policy.json'), JSON.stringify({ requireGate: true }));
      fs.chownSync(file, 1000, 1000);
      const eff = await readPolicy(createOsPolicySources('linux', runner, { env: { LONGHAUL_TEST_POLICY_PATH: file } }));
      expect(eff.policy.requireGate).toBe(false);
      expect(eff.refused[0]?.reason).toMatch(/not root/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!isRoot)('policy watcher (real files, fs.watch)', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = tempDir();
    file = path.join(dir, 'policy.json');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function watcherFor(onChange: (n: EffectivePolicy, p: EffectivePolicy) => void, sites: string[][]) {
    return createPolicyWatcher({
      read: () => readPolicy([createJsonFileSource(file)]),
      watchPaths: [file],
      debounceMs: 20,
      onChange,
      onSites: (p) => sites.push(p),
    });
  }

  it('emits a change when the file is replaced by rename, and the new site list', async () => {
    writeFile(file, JSON.stringify({ sites: ['/srv/sites/a.zip'] }));
    const sites: string[][] = [];
    let resolveChange!: (v: [EffectivePolicy, EffectivePolicy]) => void;
    const changed = new Promise<[EffectivePolicy, EffectivePolicy]>((r) => (resolveChange = r));
    const w = watcherFor((n, p) => resolveChange([n, p]), sites);
    try {
      const first = await w.start();
      expect(first.policy.sites).toEqual(['/srv/sites/a.zip']);
      expect(sites).toEqual([['/srv/sites/a.zip']]);
      // Atomic replace, as config management does: temp file + rename.
      const tmp = writeFile(path.join(dir, '.policy.json.tmp'), JSON.stringify({ sites: ['/srv/sites/a.zip', '/srv/sites/b'], requireGate: true }));
      fs.renameSync(tmp, file);
      const [next, prev] = await changed;
      expect(prev.policy.requireGate).toBe(false);
      expect(next.policy.requireGate).toBe(true);
      expect(sites).toEqual([['/srv/sites/a.zip'], ['/srv/sites/a.zip', '/srv/sites/b']]);
    } finally {
      w.close();
    }
  });

  it('a poll tick (check) notices a change and stays quiet when nothing changed', async () => {
    writeFile(file, JSON.stringify({ autoConnect: true }));
    const changes: EffectivePolicy[] = [];
    const w = createPolicyWatcher({ read: () => readPolicy([createJsonFileSource(file)]), onChange: (n) => changes.push(n) });
    try {
      await w.start();
      await w.check();
      expect(changes).toHaveLength(0);
      fs.chmodSync(file, 0o666); // now refused: that is a change too (values fall back, a refusal appears)
      const eff = await w.check();
      expect(eff.refused).toHaveLength(1);
      expect(changes).toHaveLength(1);
      expect(w.current()).toBe(eff);
    } finally {
      w.close();
    }
  });
});
