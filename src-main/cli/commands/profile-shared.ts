/**
 * Helpers shared by the `profile *` commands: reading the FILE argument, printing issues. Never prints a key (the
 * parser's messages do not quote key values, and everything printed goes through the redactor as well).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ProfileIssueView } from '../../contract/profiles';
import { echo, echoPath, quote } from '../../core/log/quote';
import { globalRedactor } from '../../core/log/redact';
import { isPathLike } from '../../core/profiles/resolve-error';
import { CliError, paint, type CliIO } from '../command';

export function readProfileArgument(arg: string, io: CliIO): { fileName: string; bytes: Uint8Array } {
  if (!isPathLike(arg)) {
    throw new CliError(`${quote(arg)} is not a file path: give the path of a .conf or .zip file (e.g. ./${echo(arg)}.conf)`);
  }
  const file = path.resolve(io.cwd, arg);
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) throw new Error('not a regular file');
    if (st.size > 8 * 1024 * 1024) throw new Error(`${st.size} bytes is far too large for a profile`);
    return { fileName: path.basename(file), bytes: new Uint8Array(fs.readFileSync(file)) };
  } catch (e) {
    throw new CliError(`cannot read ${echoPath(arg)}: ${echoPath((e as Error).message.replace(/^[A-Z]+: /, ''), 300)}`);
  }
}

export function issueLines(io: CliIO, fileName: string, issues: readonly ProfileIssueView[], kind: 'error' | 'warning'): string {
  return issues
    .map((i) => {
      const where = i.line === null ? fileName : `${fileName}:${i.line}`;
      const label = kind === 'error' ? paint(io, 'red', 'error') : paint(io, 'yellow', 'warning');
      return `  ${where}: ${label}: ${globalRedactor.redact(i.message)} [${i.code}]\n`;
    })
    .join('');
}

/** A JSON-safe issue list (redacted defensively). */
export function jsonIssues(issues: readonly ProfileIssueView[]): ProfileIssueView[] {
  return issues.map((i) => ({ line: i.line, code: i.code, message: globalRedactor.redact(i.message) }));
}
