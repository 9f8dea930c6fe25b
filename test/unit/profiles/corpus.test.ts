/**
 * The differential corpus (test/fixtures/profiles, built by make-corpus.mjs from the tools' rules): every case's
 * verdict and reason code. The valid cases also go through real wg-quick/wg in test/lab/profiles-wg.test.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseProfile, serializeProfile } from '../../../src-main/core/profiles';
import { CORPUS_DIR, loadCorpus } from './corpus-data';

const cases = loadCorpus();

describe('profile corpus', () => {
  it('has at least 150 cases, valid and invalid', () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
    expect(cases.filter((c) => c.verdict === 'valid').length).toBeGreaterThan(50);
  });

  it.each(cases.map((c) => [c.file, c] as const))('%s', (_name, c) => {
    const bytes = fs.readFileSync(path.join(CORPUS_DIR, 'corpus', c.file));
    const r = parseProfile(new Uint8Array(bytes), { fileName: c.file, origin: c.origin ?? 'user', allowScripts: c.allowScripts });
    const errorCodes = r.errors.map((e) => e.code);
    const warningCodes = r.warnings.map((w) => w.code);
    if (c.verdict === 'invalid') {
      expect({ errors: errorCodes, profile: r.profile }).toMatchObject({ profile: null });
      expect(errorCodes).toContain(c.code);
      for (const e of r.errors) expect(e.message.length).toBeGreaterThan(20);
    } else {
      expect(r.errors).toEqual([]);
      expect(r.profile).not.toBeNull();
      if (c.code === null) expect(r.warnings).toEqual([]);
      else expect(warningCodes).toContain(c.code);
      // parse → serialise → parse is stable, and the canonical file carries no new warnings of its own
      const text = serializeProfile(r.profile!);
      const again = parseProfile(text, { origin: c.origin ?? 'user', allowScripts: c.allowScripts });
      expect(again.errors).toEqual([]);
      expect(again.profile).toEqual(r.profile);
      expect(serializeProfile(again.profile!)).toBe(text);
    }
  });
});
