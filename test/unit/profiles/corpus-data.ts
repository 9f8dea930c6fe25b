/** Loading the differential corpus (shared by the unit test and the lab test). */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface CorpusCase {
  file: string;
  verdict: 'valid' | 'invalid';
  /** Invalid: an error code that must be reported. Valid: a warning code that must be reported, or null = no warnings. */
  code: string | null;
  origin?: 'user' | 'policy';
  allowScripts?: boolean;
}

export const CORPUS_DIR = path.resolve(__dirname, '../../fixtures/profiles');

export function loadCorpus(): CorpusCase[] {
  return (JSON.parse(fs.readFileSync(path.join(CORPUS_DIR, 'corpus.json'), 'utf8')) as { cases: CorpusCase[] }).cases;
}
