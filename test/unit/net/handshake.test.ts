/** Handshake freshness (one 180 s rule for status and the tunnel check) and the kick target. */
import { describe, expect, it } from 'vitest';
import { freshnessLimitSec, handshakeAgeSec, HANDSHAKE_FRESH_SEC, isHandshakeFresh, kickTarget } from '../../../src-main/core/net/handshake';

describe('handshake freshness', () => {
  it('is WireGuard\'s REJECT_AFTER_TIME (180 s), plus keepalive when set', () => {
    expect(HANDSHAKE_FRESH_SEC).toBe(180);
    expect(isHandshakeFresh(180)).toBe(true);
    expect(isHandshakeFresh(181)).toBe(false);
    expect(isHandshakeFresh(null)).toBe(false);
    expect(isHandshakeFresh(200, 25)).toBe(true);
    expect(isHandshakeFresh(206, 25)).toBe(false);
    expect(freshnessLimitSec(25)).toBe(205);
  });
  it('ages from unix seconds; 0 or null is never', () => {
    expect(handshakeAgeSec(1000, 1100)).toBe(100);
    expect(handshakeAgeSec(1200, 1100)).toBe(0);
    expect(handshakeAgeSec(0, 1100)).toBeNull();
    expect(handshakeAgeSec(null, 1100)).toBeNull();
  });
});

describe('the kick target', () => {
  it('is the first routed candidate (DNS, stream host), else the first host of the first routed IPv4 prefix', () => {
    expect(kickTarget({ allowedIps: ['10.9.0.0/24'], candidates: ['10.9.0.1'] })).toBe('10.9.0.1');
    expect(kickTarget({ allowedIps: ['10.9.0.0/24'], candidates: ['1.1.1.1', '10.9.0.10'] })).toBe('10.9.0.10');
    expect(kickTarget({ allowedIps: ['10.9.0.0/24'] })).toBe('10.9.0.1');
    expect(kickTarget({ allowedIps: ['10.9.0.7/32'] })).toBe('10.9.0.7');
    expect(kickTarget({ allowedIps: ['0.0.0.0/0'], candidates: ['10.9.0.1'] })).toBe('10.9.0.1');
    expect(kickTarget({ allowedIps: ['0.0.0.0/0', '::/0'] })).toBeNull();
    expect(kickTarget({ allowedIps: ['10.9.0.0/24'], candidates: ['farm.example'] })).toBe('10.9.0.1');
  });
});
