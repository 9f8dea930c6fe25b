import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportJsonSchema } from '../../../src-main/core/report/schema';

const FILE = path.join(__dirname, '../../../docs/report.schema.json');

describe('docs/report.schema.json', () => {
  it('is the schema generated from the zod model (UPDATE_REPORT_SCHEMA=1 rewrites it)', () => {
    const text = JSON.stringify(reportJsonSchema(), null, 2) + '\n';
    if (process.env.UPDATE_REPORT_SCHEMA === '1') fs.writeFileSync(FILE, text);
    expect(fs.readFileSync(FILE, 'utf8')).toBe(text);
  });
});
