import { describe, expect, it } from 'vitest';
import { ContractFailure } from './define';
import { checkEvent, dispatch } from './dispatch';
import type { MainHandlers } from './index';

const ctx = { host: 'harness' as const };
const handlers: Partial<MainHandlers> = {
  'app.ping': (req) => ({ nonce: req.nonce, host: 'harness', receivedAt: new Date(0).toISOString() }),
  'log.write': () => null,
  'policy.get': () => {
    throw new ContractFailure('policy-locked', 'locked by IT', { key: 'requireGate' });
  },
  'app.info': () => ({ version: 1 }) as never, // breaks its own response schema
};

describe('contract dispatch', () => {
  it('routes a valid call and returns its value', async () => {
    const r = await dispatch(handlers, 'app.ping', { nonce: 'n1' }, ctx);
    expect(r).toEqual({ ok: true, value: { nonce: 'n1', host: 'harness', receivedAt: '1970-01-01T00:00:00.000Z' } });
  });

  it.each([
    ['missing field', {}],
    ['wrong type', { nonce: 42 }],
    ['empty string', { nonce: '' }],
    ['too long', { nonce: 'x'.repeat(129) }],
    ['extra field', { nonce: 'n', evil: true }],
    ['null payload', null],
    ['array payload', ['n']],
    ['string payload', 'n'],
  ])('rejects a malformed payload (%s) with a typed error, never a crash', async (_why, payload) => {
    const r = await dispatch(handlers, 'app.ping', payload, ctx);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('invalid-payload');
      expect(Array.isArray(r.error.details)).toBe(true);
    }
  });

  it('rejects unknown and non-string call names', async () => {
    for (const name of ['nope', '__proto__', 'constructor', 42, null]) {
      const r = await dispatch(handlers, name, {}, ctx);
      expect(r).toMatchObject({ ok: false, error: { code: 'unknown-call' } });
    }
  });

  it('validates log.write levels', async () => {
    expect(await dispatch(handlers, 'log.write', { level: 'info', msg: 'hi' }, ctx)).toEqual({ ok: true, value: null });
    expect(await dispatch(handlers, 'log.write', { level: 'shout', msg: 'hi' }, ctx)).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
  });

  it('carries typed handler errors across, and hides internal ones', async () => {
    expect(await dispatch(handlers, 'policy.get', {}, ctx)).toEqual({
      ok: false,
      error: { code: 'policy-locked', message: 'locked by IT', details: { key: 'requireGate' } },
    });
    const bad = await dispatch(handlers, 'app.info', {}, ctx);
    expect(bad).toMatchObject({ ok: false, error: { code: 'internal' } });
    const thrower = await dispatch({ 'app.ping': () => { throw new Error('secret internals'); } }, 'app.ping', { nonce: 'x' }, ctx);
    expect(thrower).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(thrower)).not.toContain('secret internals');
  });

  it('reports a handler missing from this build as unavailable', async () => {
    expect(await dispatch({}, 'app.ping', { nonce: 'x' }, ctx)).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });

  it('checks outgoing events against their schema', () => {
    expect(checkEvent('app.notice', { level: 'info', text: 'hello' }).ok).toBe(true);
    expect(checkEvent('app.notice', { level: 'loud', text: 'hello' }).ok).toBe(false);
  });
});
