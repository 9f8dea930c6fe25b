/**
 * Crash safety: a child process writing to the store in a loop is killed with SIGKILL at several points; afterwards
 * the store lists cleanly, every listed profile is complete (metadata + keys → a valid canonical file) and the
 * profile that existed before the crash is intact.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileSecretStore, createProfileStore, parseProfile } from '../../../src-main/core/profiles';
import { conf, OWN_PUB, PRIV, PUB } from './keys';

let dir: string;
let writer: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-crash-'));
  writer = path.join(dir, 'writer.cjs');
  await build({ entryPoints: [path.join(__dirname, 'crash-writer.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: writer, logLevel: 'silent' });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Run the writer until it has completed `ops` loop iterations (plus whatever it is in the middle of), then SIGKILL. */
function runAndKill(storeDir: string, ops: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writer, storeDir, PRIV, PUB], { stdio: ['ignore', 'pipe', 'inherit'] });
    let seen = 0;
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      seen += lines.length;
      if (seen >= ops && !child.killed) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve(seen) : reject(new Error(`writer exited ${code}`))));
  });
}

describe('store crash safety', () => {
  it('survives SIGKILL in the middle of writes', async () => {
    const storeDir = path.join(dir, 'profiles');
    const store = createProfileStore(storeDir, createFileSecretStore(path.join(storeDir, 'secrets')));
    await store.import({ fileName: 'anchor.conf', bytes: conf() });
    for (const ops of [1, 7, 23, 60, 150]) {
      const done = await runAndKill(storeDir, ops);
      expect(done).toBeGreaterThanOrEqual(ops);
      const list = await store.list();
      const names = list.map((p) => p.name);
      expect(names).toContain('anchor');
      for (const file of fs.readdirSync(storeDir).filter((f) => f.endsWith('.json') && !f.startsWith('.'))) {
        expect(() => JSON.parse(fs.readFileSync(path.join(storeDir, file), 'utf8'))).not.toThrow();
      }
      for (const name of names) {
        const r = parseProfile(await store.canonicalText(name), { origin: 'user' });
        expect(r.errors).toEqual([]);
        expect(r.profile?.interface.privateKey).toBe(PRIV);
      }
      const anchor = await store.get('anchor');
      expect(anchor?.publicKey).toBe(OWN_PUB);
      expect(anchor?.mtuOverride === null || (anchor!.mtuOverride >= 1280 && anchor!.mtuOverride < 1380)).toBe(true);
    }
  });
});
