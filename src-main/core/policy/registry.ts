/**
 * Reading `SOFTWARE\Policies\Longhaul` from the Windows registry behind an in-process interface, implemented by running
 * `reg query <KEY>` through the process runner and parsing its text output.
 *
 * Output format — UNVERIFIED (no Windows machine or recording here). Sources: Microsoft's `reg query` reference
 * (https://learn.microsoft.com/windows-server/administration/windows-commands/reg-query) and the registry value types
 * (https://learn.microsoft.com/windows/win32/sysinfo/registry-value-types); the same shape is produced by Wine's
 * re-implementation (`programs/reg/query.c`):
 *
 *     <blank line>
 *     HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Longhaul
 *         <name>    <REG_TYPE>    <data>          (four spaces before each field)
 *     HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Longhaul\<subkey>
 *
 * Data by type: REG_SZ / REG_EXPAND_SZ as text; REG_DWORD / REG_QWORD as `0x` + hex; REG_MULTI_SZ as the strings
 * joined by the two characters `\0`; REG_BINARY as hex digits. The default value is named `(Default)`. A missing key
 * makes reg.exe print `ERROR: …` on stderr (localised) and exit 1.
 * Known limit of the text format: a REG_MULTI_SZ string that itself contains `\0` (a folder named `0…`) is ambiguous;
 * the policy layer re-joins pieces that do not start like an absolute Windows path (`registry-source.ts`).
 * Environment: plain Node.
 */
import type { ProcessRunner } from '../platform/runner';

export type RegistryHive = 'HKLM' | 'HKCU';
export const POLICY_SUBKEY = 'SOFTWARE\\Policies\\Longhaul';

export type RegistryValue =
  | { name: string; type: 'REG_SZ' | 'REG_EXPAND_SZ'; data: string }
  | { name: string; type: 'REG_DWORD' | 'REG_QWORD'; data: number }
  | { name: string; type: 'REG_MULTI_SZ'; data: string[] }
  | { name: string; type: 'other'; rawType: string; data: string };

/** The in-process reader: the values directly under one key, or null when the key does not exist. */
export interface RegistryReader {
  readValues(hive: RegistryHive, subkey: string): Promise<RegistryValue[] | null>;
}

/** The argv for one key. reg.exe is taken from `%SystemRoot%\System32` when known, never from a relative PATH entry. */
export function regQueryCommand(hive: RegistryHive, subkey: string, systemRoot?: string): { program: string; args: string[] } {
  const program = systemRoot ? `${systemRoot.replace(/[\\/]+$/, '')}\\System32\\reg.exe` : 'reg';
  return { program, args: ['query', `${hive}\\${subkey}`] };
}

const VALUE_LINE = /^ {4}(.*?) {4}(REG_[A-Z_]+)(?: {4}(.*))?$/;

/** Parse `reg query KEY` output: the values of the first key block (subkeys and their lines are ignored). */
export function parseRegQueryOutput(text: string): RegistryValue[] {
  const values: RegistryValue[] = [];
  let blocks = 0;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/\r$/, '');
    if (line.trim() === '') continue;
    if (!line.startsWith(' ')) {
      blocks++; // a key header line: HKEY_…\…
      if (blocks > 1) break;
      continue;
    }
    const m = VALUE_LINE.exec(line);
    if (!m) continue;
    const name = m[1] ?? '';
    const type = m[2] ?? '';
    const data = (m[3] ?? '').trimEnd(); // not /\s+$/ (quadratic over a whitespace run)
    values.push(convertValue(name, type, data));
  }
  return values;
}

function convertValue(name: string, type: string, data: string): RegistryValue {
  switch (type) {
    case 'REG_DWORD':
    case 'REG_QWORD': {
      const n = /^0x[0-9a-f]+$/i.test(data) ? Number.parseInt(data.slice(2), 16) : Number.NaN;
      return Number.isSafeInteger(n) ? { name, type, data: n } : { name, type: 'other', rawType: type, data };
    }
    case 'REG_MULTI_SZ':
      return { name, type, data: data === '' ? [] : data.split('\\0').filter((s, i, all) => !(s === '' && i === all.length - 1)) };
    case 'REG_SZ':
    case 'REG_EXPAND_SZ':
      return { name, type, data };
    default:
      return { name, type: 'other', rawType: type, data };
  }
}

/** Output read from one `reg query` (a policy key holds a handful of values); more is an error, not parsed. */
export const REG_QUERY_MAX_OUTPUT_BYTES = 1024 * 1024;

export function createRegQueryReader(runner: ProcessRunner, env: Record<string, string | undefined> = process.env): RegistryReader {
  return {
    async readValues(hive, subkey) {
      const cmd = regQueryCommand(hive, subkey, env.SystemRoot ?? env.SYSTEMROOT);
      const res = await runner.run(cmd.program, cmd.args, { okCodes: [0, 1], timeoutMs: 10_000, maxOutputBytes: REG_QUERY_MAX_OUTPUT_BYTES });
      // Exit 1 with nothing on stdout: the key does not exist (the message on stderr is localised, so not parsed).
      if (res.code === 1) {
        if (res.stdout.trim() === '') return null;
        throw new Error(`reg query ${hive}\\${subkey} failed: ${res.stderr.trim() || 'exit 1'}`);
      }
      return parseRegQueryOutput(res.stdout);
    },
  };
}
