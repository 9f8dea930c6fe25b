/**
 * docs/schemas/: one JSON Schema per `--json` document. The generated ones are exactly what src-main/cli/output-schemas.ts
 * produces from the contract's zod schemas (`UPDATE_CLI_SCHEMAS=1 npx vitest run --project unit
 * test/unit/cli/schemas.test.ts` rewrites them); all compile in ajv strict mode, are closed, and cover every command.
 */
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLI_ERROR_CODES } from '../../../src-main/cli/command';
import { COMMANDS } from '../../../src-main/cli/commands';
import { cliJsonSchema, OUTPUT_SCHEMAS, SCHEMA_ID_BASE } from '../../../src-main/cli/output-schemas';
import { loadSchema, SCHEMA_DIR, schemaErrors, schemaFile, strictAjv } from '../../support/cli-schemas';

describe('docs/schemas', () => {
  it.each(OUTPUT_SCHEMAS.filter((e) => e.zod).map((e) => [e.file, e] as const))('%s.schema.json is generated from the zod schema', (_f, entry) => {
    const text = JSON.stringify(cliJsonSchema(entry), null, 2) + '\n';
    if (process.env.UPDATE_CLI_SCHEMAS === '1') fs.writeFileSync(schemaFile(entry.file), text);
    expect(fs.readFileSync(schemaFile(entry.file), 'utf8'), 'regenerate: UPDATE_CLI_SCHEMAS=1').toBe(text);
  });

  it('holds exactly the listed schemas', () => {
    const files = fs.readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.schema.json')).sort();
    expect(files).toEqual(OUTPUT_SCHEMAS.map((e) => `${e.file}.schema.json`).sort());
  });

  it.each(OUTPUT_SCHEMAS.map((e) => [e.file] as const))('%s: compiles in ajv strict mode; draft 2020-12, $id, title, description, closed, schemaVersion 1', (file) => {
    const schema = loadSchema(file);
    expect(() => strictAjv().compile(schema)).not.toThrow();
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe(`${SCHEMA_ID_BASE}${file}-v1.json`);
    expect(typeof schema.title).toBe('string');
    expect(String(schema.description).length).toBeGreaterThan(20);
    expect(schema.type).toBe('object');
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toContain('schemaVersion');
    expect((schema.properties as Record<string, unknown>).schemaVersion).toMatchObject({ const: 1 });
    // every top-level field says what it is
    for (const [k, p] of Object.entries(schema.properties as Record<string, Record<string, unknown>>)) {
      expect(typeof p.description === 'string' || typeof p.$ref === 'string', `${file}: ${k} has a description`).toBe(true);
    }
  });

  it('every command that prints JSON has exactly one schema (capacity: to be wired at the merge with cap-int)', () => {
    const mapped = OUTPUT_SCHEMAS.flatMap((e) => e.commands);
    expect(new Set(mapped).size, 'a command is listed twice').toBe(mapped.length);
    const names = COMMANDS.map((c) => c.name);
    for (const n of names) expect(mapped, `${n} has no schema in OUTPUT_SCHEMAS`).toContain(n);
    const missing = mapped.filter((m) => !names.includes(m));
    if (missing.length > 0) console.warn(`\n*** docs/schemas: schemas for commands not on this branch yet (TO BE WIRED): ${missing.join(', ')} ***\n`);
    expect(missing.filter((m) => m !== 'capacity')).toEqual([]);
  });

  it('error.schema.json: the stable codes are CLI_ERROR_CODES; fix is optional; nothing else', () => {
    const doc = { schemaVersion: 1, error: { code: 'usage', message: 'wrong number of arguments', fix: 'Usage: longhaul version [--json]' } };
    expect(schemaErrors('error', doc)).toEqual([]);
    expect(schemaErrors('error', { schemaVersion: 1, error: { code: 'usage', message: 'x' } })).toEqual([]);
    const codes = ((loadSchema('error').properties as { error: { properties: { code: { enum: string[] } } } }).error.properties.code.enum).sort();
    expect(codes).toEqual(Object.values(CLI_ERROR_CODES).sort());
    expect(schemaErrors('error', { schemaVersion: 1, error: { code: 'oops', message: 'x' } })).not.toEqual([]);
    expect(schemaErrors('error', { schemaVersion: 1, error: { message: 'x' } })).not.toEqual([]);
    expect(schemaErrors('error', { schemaVersion: 1, error: { code: 'usage', message: 'x' }, verdict: 'healthy' })).not.toEqual([]);
    expect(schemaErrors('error', { schemaVersion: 2, error: { code: 'usage', message: 'x' } })).not.toEqual([]);
  });
});
