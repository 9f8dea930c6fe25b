import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hashMachineId, machineIdHash, newSupportId, SUPPORT_ID_PATTERN } from '../../../src-main/core/report/support-id';

describe('support id', () => {
  it('is LH-<UTC date>-<8 lowercase hex>', () => {
    const id = newSupportId(new Date('2026-11-27T23:59:59-05:00'));
    expect(id).toMatch(SUPPORT_ID_PATTERN);
    expect(id.startsWith('LH-20261128-')).toBe(true); // UTC, not local time
  });
  it('is random', () => {
    const ids = new Set(Array.from({ length: 50 }, () => newSupportId()));
    expect(ids.size).toBe(50);
  });
});

describe('machine id', () => {
  it('is a salted sha256, never the raw id', () => {
    const raw = fs.existsSync('/etc/machine-id') ? fs.readFileSync('/etc/machine-id', 'utf8').trim() : null;
    const h = machineIdHash();
    if (raw) {
      expect(h).toMatch(/^[0-9a-f]{64}$/);
      expect(h).not.toContain(raw);
      expect(h).toBe(hashMachineId(raw));
    }
    expect(hashMachineId('abc')).not.toBe(hashMachineId('abd'));
  });
  it('is null when the id cannot be read', () => {
    expect(
      machineIdHash(() => {
        throw new Error('no id');
      }),
    ).toBeNull();
  });
});
