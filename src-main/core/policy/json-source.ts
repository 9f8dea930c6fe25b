/**
 * A JSON policy file (Linux `/etc/longhaul/policy.json`, and the test-only override path on any OS).
 * Root-owned and not group/world-writable or refused (see `file-trust.ts`); invalid JSON or any invalid value refuses
 * the whole file with a reason naming the file, the line and the fix. Environment: plain Node.
 */
import { readRootOwnedFile } from './file-trust';
import { validatePolicyDocument, type PolicySource, type PolicySourceResult } from './policy';

/** `line L column C` for a JSON.parse error (V8 says `at position N`, and since Node 20 often the line too). */
export function describeJsonError(text: string, err: Error): string {
  const msg = err.message;
  if (/line \d+ column \d+/.test(msg)) return msg;
  const pos = /position (\d+)/.exec(msg);
  if (!pos?.[1]) return msg;
  const before = text.slice(0, Number(pos[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${msg} (line ${line} column ${column})`;
}

export function parsePolicyJson(name: string, raw: Buffer | string): PolicySourceResult {
  const text = (typeof raw === 'string' ? raw : raw.toString('utf8')).replace(/^\uFEFF/, '');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return {
      status: 'refused',
      reason: `${name}: not valid JSON: ${describeJsonError(text, err as Error)}; fix the file (the whole file is ignored until then)`,
    };
  }
  const result = validatePolicyDocument(doc);
  return result.status === 'refused' ? { status: 'refused', reason: `${name}: ${result.reason}` } : result;
}

export function createJsonFileSource(file: string): PolicySource {
  return {
    name: file,
    async read() {
      const got = await readRootOwnedFile(file);
      if (got.status !== 'ok') return got;
      return parsePolicyJson(file, got.content);
    },
  };
}
