import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PeError, readPeVersion, readPeVersionFromBuffer } from '../../../src-main/core/stream/pe-version';

const FIX = path.resolve(__dirname, 'fixtures');

describe('Windows FileVersion from the PE resource (no process run)', () => {
  it('reads real PE32 and PE32+ executables', async () => {
    expect(await readPeVersion(path.join(FIX, 'w32.exe'))).toEqual({ fileVersion: '1.1.0.14', productVersion: '1.1.0.14' });
    expect(await readPeVersion(path.join(FIX, 'w64.exe'))).toEqual({ fileVersion: '1.1.0.14', productVersion: '1.1.0.14' });
  });

  it('names the file when it is not an executable', () => {
    expect(() => readPeVersionFromBuffer(Buffer.from('#!/bin/sh\necho hi\n'.padEnd(200, ' ')), 'moonlight.sh')).toThrow(PeError);
    expect(() => readPeVersionFromBuffer(Buffer.from('#!/bin/sh\n'.padEnd(200, ' ')), 'moonlight.sh')).toThrow(/moonlight\.sh: not a Windows executable/);
  });

  it('reports truncation instead of reading past the end', async () => {
    const { readFileSync } = await import('node:fs');
    const buf = readFileSync(path.join(FIX, 'w64.exe'));
    expect(() => readPeVersionFromBuffer(buf.subarray(0, 0x200), 'cut.exe')).toThrow(PeError);
  });
});
