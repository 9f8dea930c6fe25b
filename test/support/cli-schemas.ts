/**
 * docs/schemas/*.schema.json for tests: loaded once, compiled with ajv (draft 2020-12, strict mode), and a validator
 * that names the schema and ajv's errors when a real `--json` document does not match. Environment: plain Node.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';

export const SCHEMA_DIR = path.resolve(__dirname, '../../docs/schemas');

/** Strict mode; union types are allowed because zod writes `"type": ["number", "null"]` for nullable fields. */
export function strictAjv(): Ajv2020 {
  return new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
}

const ajv = strictAjv();
const compiled = new Map<string, ValidateFunction>();

export function schemaFile(name: string): string {
  return path.join(SCHEMA_DIR, `${name}.schema.json`);
}

export function loadSchema(name: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(schemaFile(name), 'utf8')) as Record<string, unknown>;
}

export function validator(name: string): ValidateFunction {
  let v = compiled.get(name);
  if (!v) compiled.set(name, (v = ajv.compile(loadSchema(name))));
  return v;
}

/** ajv's errors for `doc` against docs/schemas/<name>.schema.json; [] when it matches. */
export function schemaErrors(name: string, doc: unknown): string[] {
  const v = validator(name);
  return v(doc) ? [] : (v.errors ?? []).map((e) => `${name}: ${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

/** The schema a `--json` stdout must match: the error document when it has `error`, else the command's. */
export function expectedSchema(command: string, doc: Record<string, unknown>): string {
  return 'error' in doc ? 'error' : command;
}

/**
 * Variants of a real document that must NOT validate: each required top-level field removed, and every field renamed
 * (the schemas are closed). Returns a description of every variant the schema wrongly accepts.
 */
export function acceptedMutations(name: string, doc: Record<string, unknown>): string[] {
  const wrong: string[] = [];
  const required = new Set((loadSchema(name).required as string[] | undefined) ?? []);
  for (const key of Object.keys(doc)) {
    const { [key]: value, ...without } = doc;
    if (required.has(key) && schemaErrors(name, without).length === 0) wrong.push(`without "${key}"`);
    if (schemaErrors(name, { ...without, [`${key}X`]: value }).length === 0) wrong.push(`"${key}" renamed "${key}X"`);
  }
  return wrong;
}
