/** The report's JSON Schema (draft 2020-12), generated from the zod model; docs/report.schema.json is its copy. */
import { z } from 'zod';
import { ReportSchema } from './model';

export function reportJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ReportSchema, { target: 'draft-2020-12', io: 'output', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    ...schema,
    $id: 'https://longhaul.studio/schemas/report-v1.json',
    title: 'Longhaul support report (report.json)',
    description: 'schemaVersion 1. Fields are only ever added; see docs/report.md.',
  };
}
