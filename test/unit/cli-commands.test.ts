/**
 * The lazy command table (src-main/cli/commands/index.ts): each listed name loads the command of that name, every
 * command module under commands/ is listed, and a command marked `usesCore: false` really never asks for the core.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS, loadAllCommands } from '../../src-main/cli/commands';

const DIR = path.resolve(__dirname, '../../src-main/cli/commands');

describe('CLI command table', () => {
  it('each entry loads the command carrying its name, in the listed order, no name twice', async () => {
    const loaded = await loadAllCommands();
    expect(loaded.map((c) => c.name)).toEqual(COMMANDS.map((e) => e.name));
    expect(new Set(COMMANDS.map((e) => e.name)).size).toBe(COMMANDS.length);
  });

  it('every command module in commands/ is listed', async () => {
    const listed = new Set(COMMANDS.map((e) => e.name));
    for (const f of fs.readdirSync(DIR).filter((x) => x.endsWith('.ts') && !x.endsWith('.test.ts') && x !== 'index.ts')) {
      const mod = (await import(path.join(DIR, f))) as Record<string, unknown>;
      for (const [key, value] of Object.entries(mod)) {
        if (!key.endsWith('Command') || typeof value !== 'object' || value === null) continue;
        expect(listed.has((value as { name: string }).name), `${f}: ${key}`).toBe(true);
      }
    }
  });

  it('a command marked usesCore: false runs without the core', async () => {
    for (const e of COMMANDS.filter((x) => x.usesCore === false)) {
      const c = await e.load();
      const out: string[] = [];
      const io = { stdout: (t: string) => out.push(t), stderr: () => {}, isTTY: false, env: {}, cwd: '/' };
      const core = () => {
        throw new Error('core asked for');
      };
      expect(await c.run({ io, json: true, args: { positionals: [], values: {} }, signal: new AbortController().signal, core })).toBe(0);
      expect(out.join('')).toContain('schemaVersion');
    }
  });
});
