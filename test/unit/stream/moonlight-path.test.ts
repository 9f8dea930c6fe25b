/** The renderer may choose which Moonlight main runs, but only an absolute path to an existing Moonlight. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { moonlightPathProblem } from '../../../src-main/core/stream/handlers';
import { MOONLIGHT_STANDIN } from './standin';

describe('stream.chooseMoonlight: the picked file must be Moonlight', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-ml-'));
  fs.writeFileSync(path.join(dir, 'Moonlight-6.1.0-x86_64.AppImage'), '');
  it('accepts Moonlight programs', () => {
    expect(moonlightPathProblem(MOONLIGHT_STANDIN)).toBeNull();
    expect(moonlightPathProblem(path.join(dir, 'Moonlight-6.1.0-x86_64.AppImage'))).toBeNull();
  });
  it('refuses other programs, relative paths and missing files', () => {
    expect(moonlightPathProblem('/bin/sh')).toMatch(/not Moonlight/);
    expect(moonlightPathProblem('/usr/bin/python3')).toMatch(/not Moonlight/);
    expect(moonlightPathProblem('moonlight')).toMatch(/full path/);
    expect(moonlightPathProblem(path.join(dir, 'moonlight'))).toMatch(/does not exist/);
    expect(moonlightPathProblem(dir + '/moonlight-dir/')).toMatch(/does not exist/);
  });
});
