import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../log/logger';
import { Redactor } from '../log/redact';
import { createRunner, ProcessError } from './runner';

describe('process runner', () => {
  it('resolves programs to absolute paths and never uses relative PATH entries', () => {
    const r = createRunner({ searchPath: `relative/bin:/usr/bin:/bin` });
    expect(r.which('sh')).toMatch(/^\/(usr\/)?bin\/sh$/);
    expect(r.which('definitely-not-a-program-xyz')).toBeNull();
    expect(r.which('./sh')).toBeNull();
  });

  it('runs with argument arrays (no shell interpretation) and LC_ALL=C', async () => {
    const r = createRunner();
    const res = await r.run('printf', ['%s|', '$(id)', '; rm -rf /', '`x`']);
    expect(res.stdout).toBe('$(id)|; rm -rf /|`x`|');
    const env = await r.run('env', []);
    expect(env.stdout).toMatch(/^LC_ALL=C$/m);
  });

  it('passes secrets on stdin and keeps them out of the log', async () => {
    const redactor = new Redactor();
    const secret = 'yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=';
    redactor.addSecret(secret);
    const logger = createMemoryLogger('t', redactor);
    const r = createRunner({ logger, redactor });
    const res = await r.run('cat', [], { input: `PrivateKey = ${secret}\n` });
    expect(res.stdout).toContain(secret); // the child got it
    await r.run('echo', [secret]); // even if a caller slipped it into argv, the log stays clean
    expect(logger.lines.join('\n')).not.toContain(secret);
  });

  it('captures stderr into the error on a non-zero exit', async () => {
    const r = createRunner();
    const err = await r.run('ls', ['/nonexistent-longhaul-path']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProcessError);
    expect((err as ProcessError).kind).toBe('exit');
    expect((err as ProcessError).message).toMatch(/No such file or directory/);
    expect((err as ProcessError).result?.code).not.toBe(0);
  });

  it('returns non-zero exits when asked to', async () => {
    const r = createRunner();
    const res = await r.run('sh', ['-c', 'exit 3'], { okCodes: 'any' });
    expect(res.code).toBe(3);
  });

  it('kills on timeout and on abort', async () => {
    const r = createRunner();
    const t = await r.run('sleep', ['5'], { timeoutMs: 100 }).catch((e: unknown) => e);
    expect((t as ProcessError).kind).toBe('timeout');
    const ac = new AbortController();
    const p = r.run('sleep', ['5'], { signal: ac.signal }).catch((e: unknown) => e);
    ac.abort();
    expect(((await p) as ProcessError).kind).toBe('aborted');
  });

  it('reports a missing program as not-found', async () => {
    const r = createRunner();
    const err = await r.run('no-such-tool-longhaul', []).catch((e: unknown) => e);
    expect((err as ProcessError).kind).toBe('not-found');
  });
});
