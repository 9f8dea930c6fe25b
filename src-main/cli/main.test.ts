import { describe, expect, it } from 'vitest';
import type { CliIO } from './command';
import { runCli } from './main';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIO = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTTY: false, env: {}, cwd: '/' };
  return { cli, out: () => out.join(''), err: () => err.join('') };
}

describe('longhaul CLI house rules', () => {
  it('--version and version --json (one JSON document with schemaVersion 1)', async () => {
    const a = io();
    expect(await runCli(['--version'], a.cli)).toBe(0);
    expect(a.out()).toMatch(/^longhaul \d+\.\d+\.\d+\n$/);
    const b = io();
    expect(await runCli(['version', '--json'], b.cli)).toBe(0);
    const doc = JSON.parse(b.out()) as Record<string, unknown>;
    expect(doc).toMatchObject({ schemaVersion: 1, appId: 'studio.longhaul.client' });
    expect(b.err()).toBe('');
  });

  it('unknown command and bad options exit 2; with --json the error is still one JSON document', async () => {
    const a = io();
    expect(await runCli(['frobnicate'], a.cli)).toBe(2);
    expect(a.err()).toMatch(/unknown command "frobnicate"/);
    expect(a.out()).toBe('');
    const b = io();
    expect(await runCli(['version', '--bogus', '--json'], b.cli)).toBe(2);
    expect(JSON.parse(b.out())).toEqual({ schemaVersion: 1, error: { code: 'usage', message: expect.stringContaining("Unknown option '--bogus'"), fix: 'Usage: longhaul version [--json]' } });
    const c = io();
    expect(await runCli(['version', 'extra'], c.cli)).toBe(2);
    expect(c.err()).toMatch(/wrong number of arguments/);
  });

  it('help lists every command; no colour codes when not a terminal', async () => {
    const a = io();
    expect(await runCli(['--help'], a.cli)).toBe(0);
    expect(a.out()).toContain('longhaul version');
    expect(a.out()).not.toContain('\u001b[');
  });
});
