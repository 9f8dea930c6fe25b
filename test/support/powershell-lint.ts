/**
 * powershell-lint: a SYNTAX CHECK for the fleet recipes' PowerShell (docs/fleet/*.ps1) — NOT a PowerShell parser.
 * There is no PowerShell on the build machine (Debian has no `powershell` package) and no PowerShell grammar in the
 * project's dependencies (a real parser would be web-tree-sitter with tree-sitter-powershell's .wasm; see the report
 * of issue 16). What it does, on the constructs those scripts use:
 *   - tokenizes comments (#, <# #>), single- and double-quoted strings (doubled quotes, backtick escapes, $( )
 *     subexpressions, nested), here-strings, variables ($name, $env:X, ${...}, @splat), brackets, operators;
 *   - refuses: an unterminated string, comment or here-string; unbalanced or mismatched ( ) { } [ ] (with the line);
 *     a command that runs a shell or code from a string (Invoke-Expression/iex, Invoke-Command, Start-Process,
 *     cmd, powershell, pwsh, Add-Type, [scriptblock]::Create, -EncodedCommand, web downloads); the call operator &
 *     followed by anything but a variable (no command strings); `&&`/`||` (not in Windows PowerShell 5.1); assigning
 *     an automatic variable ($Profile, $args, $input, $Error, $Host, $PID, $Matches, $_ …); a variable that is used
 *     but never assigned (a typo); a Verb-Noun command that is neither one of the Windows PowerShell 5.1 cmdlets
 *     below nor a function the script defines; a parameter those cmdlets do not have in 5.1 (their documented
 *     parameter sets, learn.microsoft.com/powershell/module/…?view=powershell-5.1); an unknown -operator.
 * What it does NOT do: grammar (statement structure, expression precedence), types, PowerShell's parsing modes in
 * full, or running anything. A script it accepts can still fail under PowerShell: the recipes say UNVERIFIED.
 */

export interface LintProblem {
  line: number;
  message: string;
}

type Kind = 'word' | 'var' | 'splat' | 'str' | 'num' | 'op' | 'open' | 'close' | 'sep' | 'dash';
interface Token {
  kind: Kind;
  text: string;
  line: number;
  depth: number;
  /** A variable inside a double-quoted string (used, never an assignment target). */
  inString?: boolean;
}

/** Windows PowerShell 5.1 cmdlets the recipes may use, with their documented parameters (common ones excluded). */
export const CMDLETS: Record<string, readonly string[]> = {
  'Test-Path': ['Path', 'LiteralPath', 'PathType', 'IsValid', 'Filter', 'Include', 'Exclude', 'Credential', 'OlderThan', 'NewerThan'],
  'Join-Path': ['Path', 'ChildPath', 'Resolve', 'Credential'],
  'ConvertFrom-Json': ['InputObject'], // 5.1 has no -Depth, no -AsHashtable
  'Where-Object': ['FilterScript', 'Property', 'Value'],
  'ForEach-Object': ['Process', 'Begin', 'End', 'MemberName', 'ArgumentList', 'InputObject'],
  'Select-Object': ['Property', 'ExcludeProperty', 'ExpandProperty', 'Unique', 'Last', 'First', 'Skip', 'SkipLast', 'Index', 'Wait', 'InputObject'],
  'Out-String': ['Stream', 'Width', 'InputObject'],
  'Out-Null': ['InputObject'],
  'Write-Output': ['InputObject', 'NoEnumerate'],
  'New-Item': ['Path', 'Name', 'ItemType', 'Value', 'Force', 'Credential'],
};
const COMMON_PARAMETERS = ['Verbose', 'Debug', 'ErrorAction', 'WarningAction', 'InformationAction', 'ErrorVariable', 'WarningVariable', 'InformationVariable', 'OutVariable', 'OutBuffer', 'PipelineVariable'];

const FORBIDDEN_COMMANDS = ['invoke-expression', 'iex', 'invoke-command', 'icm', 'start-process', 'saps', 'start', 'add-type', 'invoke-webrequest', 'iwr',
  'invoke-restmethod', 'irm', 'cmd', 'cmd.exe', 'powershell', 'powershell.exe', 'pwsh', 'pwsh.exe', 'set-executionpolicy', 'start-job', 'new-pssession'];
const AUTOMATIC = ['_', 'psitem', 'args', 'input', 'error', 'host', 'pid', 'matches', 'profile', 'true', 'false', 'null', 'lastexitcode', 'pwd', 'home',
  'psscriptroot', 'pscommandpath', 'executioncontext', 'myinvocation', 'this', 'foreach', 'switch', 'event', 'sender', 'stacktrace', 'shellid', 'psversiontable',
  'pshome', 'psboundparameters', 'isglobal', 'iswindows'];
/** Automatic variables a script may read without assigning them. */
const READABLE = new Set(['_', 'psitem', 'true', 'false', 'null', 'lastexitcode', 'erroractionpreference', 'psscriptroot', 'psversiontable']);
const BASE_OPERATORS = ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'like', 'notlike', 'match', 'notmatch', 'contains', 'notcontains', 'in', 'notin', 'replace', 'split'];
const OPERATORS = new Set([...BASE_OPERATORS, ...BASE_OPERATORS.flatMap((o) => [`c${o}`, `i${o}`]), 'join', 'is', 'isnot', 'as', 'and', 'or', 'xor', 'not', 'band',
  'bor', 'bxor', 'bnot', 'shl', 'shr', 'f']);

export function lintPowerShell(src: string): LintProblem[] {
  const problems: LintProblem[] = [];
  const tokens: Token[] = [];
  let line = 1;
  const n = src.length;
  const problem = (l: number, message: string) => problems.push({ line: l, message });

  /** Variables referenced in a double-quoted string's text (not inside $( ), which is scanned as code). */
  function stringVars(text: string, l: number, depth: number) {
    for (const m of text.matchAll(/(?<!`)\$(\{[^}]+\}|env:\w+|[A-Za-z_]\w*)/g)) tokens.push({ kind: 'var', text: m[1]!.replace(/^\{|\}$/g, ''), line: l, depth, inString: true });
  }

  /** A double-quoted string from the opening quote at `i`; returns the index after the closing quote. */
  function scanDouble(start: number, depth: number): number {
    const l0 = line;
    let j = start + 1;
    let chunk = '';
    while (j < n) {
      const c = src[j]!;
      if (c === '`') { chunk += src.slice(j, j + 2); if (src[j + 1] === '\n') line++; j += 2; continue; }
      if (c === '"' && src[j + 1] === '"') { j += 2; continue; }
      if (c === '"') { stringVars(chunk, l0, depth); return j + 1; }
      if (c === '$' && src[j + 1] === '(') { stringVars(chunk, l0, depth); chunk = ''; j = scanCode(j + 2, depth + 1, ')'); continue; }
      if (c === '\n') line++;
      chunk += c;
      j++;
    }
    problem(l0, 'unterminated double-quoted string');
    return n;
  }

  /**
   * Code from `start` until the end, or (closer) until the `)` that closes a $( ) subexpression. Returns the index
   * after it. Brackets must match within each scan.
   */
  function scanCode(start: number, depth0: number, closer?: ')'): number {
    const stack: { c: string; line: number }[] = [];
    const depth = () => depth0 + stack.length;
    const push = (kind: Kind, text: string) => tokens.push({ kind, text, line, depth: depth() });
    let j = start;
    while (j < n) {
      const c = src[j]!;
      const rest = src.slice(j);
      if (c === '\n') { push('sep', '\n'); line++; j++; continue; }
      if (c === ' ' || c === '\t' || c === '\r') { j++; continue; }
      if (c === '`' && (src[j + 1] === '\n' || (src[j + 1] === '\r' && src[j + 2] === '\n'))) { j += src[j + 1] === '\r' ? 3 : 2; line++; continue; }
      if (rest.startsWith('<#')) {
        const end = src.indexOf('#>', j + 2);
        if (end < 0) { problem(line, 'unterminated <# block comment'); return n; }
        line += (src.slice(j, end).match(/\n/g) ?? []).length;
        j = end + 2;
        continue;
      }
      if (c === '#') { while (j < n && src[j] !== '\n') j++; continue; }
      const here = /^@(['"])\r?\n/.exec(rest);
      if (here) {
        const close = `\n${here[1]}@`;
        const end = src.indexOf(close, j);
        if (end < 0) { problem(line, 'unterminated here-string'); return n; }
        line += (src.slice(j, end + 1).match(/\n/g) ?? []).length;
        push('str', src.slice(j, end + close.length));
        j = end + close.length;
        continue;
      }
      if (c === "'") {
        const l0 = line;
        let k = j + 1;
        for (;;) {
          if (k >= n) { problem(l0, 'unterminated single-quoted string'); return n; }
          if (src[k] === "'" && src[k + 1] === "'") { k += 2; continue; }
          if (src[k] === "'") break;
          if (src[k] === '\n') line++;
          k++;
        }
        tokens.push({ kind: 'str', text: src.slice(j, k + 1), line: l0, depth: depth() });
        j = k + 1;
        continue;
      }
      if (c === '"') { push('str', '"…"'); j = scanDouble(j, depth()); continue; }
      if (c === '$') {
        if (src[j + 1] === '(') { stack.push({ c: '(', line }); push('open', '('); j += 2; continue; }
        const v = /^\$(\{[^}]*\}|env:\w+|[A-Za-z_]\w*|[_?$^])/.exec(rest);
        if (!v) { problem(line, `a lone $ (${rest.slice(0, 12)})`); j++; continue; }
        push('var', v[1]!.replace(/^\{|\}$/g, ''));
        j += v[0].length;
        continue;
      }
      if (c === '@' && (src[j + 1] === '(' || src[j + 1] === '{')) { stack.push({ c: src[j + 1]!, line }); push('open', src[j + 1]!); j += 2; continue; }
      if (c === '@') {
        const s = /^@([A-Za-z_]\w*)/.exec(rest);
        if (!s) { problem(line, 'a lone @'); j++; continue; }
        push('splat', s[1]!);
        j += s[0].length;
        continue;
      }
      if (c === '(' || c === '{' || c === '[') { stack.push({ c, line }); push('open', c); j++; continue; }
      if (c === ')' || c === '}' || c === ']') {
        if (c === ')' && closer && stack.length === 0) return j + 1;
        const want = { ')': '(', '}': '{', ']': '[' }[c];
        const top = stack.pop();
        if (!top) problem(line, `unbalanced ${c}`);
        else if (top.c !== want) problem(line, `${c} closes ${top.c} opened on line ${top.line}`);
        push('close', c);
        j++;
        continue;
      }
      const dash = /^-([A-Za-z][A-Za-z]*)/.exec(rest);
      if (dash) { push('dash', dash[1]!); j += dash[0].length; continue; }
      const word = /^[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z][A-Za-z0-9]*)*(?:\.exe)?/.exec(rest);
      if (word) { push('word', word[0]); j += word[0].length; continue; }
      const num = /^\d+/.exec(rest);
      if (num) { push('num', num[0]); j += num[0].length; continue; }
      if (rest.startsWith('&&') || rest.startsWith('||')) { problem(line, `${rest.slice(0, 2)} is not Windows PowerShell 5.1 syntax`); j += 2; continue; }
      if (c === '|' || c === ';') { push('sep', c); j++; continue; }
      const op = /^(\+=|-=|::|==|[=+*/%!,.&<>:])/.exec(rest);
      if (op) { push('op', op[0]); j += op[0].length; continue; }
      problem(line, `unexpected character ${JSON.stringify(c)}`);
      j++;
    }
    if (closer) problem(line, 'unterminated $( subexpression');
    for (const s of stack) problem(s.line, `${s.c} is never closed`);
    return n;
  }

  scanCode(0, 0);

  // Functions the script defines.
  const functions = new Set<string>();
  tokens.forEach((t, k) => {
    if (t.kind === 'word' && t.text.toLowerCase() === 'function' && tokens[k + 1]?.kind === 'word') functions.add(tokens[k + 1]!.text.toLowerCase());
  });
  const cmdletByLower = new Map(Object.keys(CMDLETS).map((c) => [c.toLowerCase(), c]));

  // Commands, parameters, operators, the call operator.
  const current = new Map<number, string | null>();
  tokens.forEach((t, k) => {
    const prev = tokens[k - 1];
    const next = tokens[k + 1];
    // A statement ends at a separator; a bracket starts a new one inside and ends any inside when it closes.
    if (t.kind === 'sep' || t.kind === 'open') current.set(t.depth, null);
    if (t.kind === 'close') current.set(t.depth + 1, null);
    if (t.kind === 'word') {
      const lower = t.text.toLowerCase();
      if (FORBIDDEN_COMMANDS.includes(lower) && !(prev?.kind === 'op' && prev.text === '.')) problem(t.line, `${t.text}: runs a shell or code from a string; not allowed in the recipes`);
      if (/^[A-Za-z]+-[A-Za-z]+$/.test(t.text) && !(prev?.kind === 'op' && prev.text === '.')) {
        if (cmdletByLower.has(lower)) current.set(t.depth, cmdletByLower.get(lower)!);
        else if (!functions.has(lower)) problem(t.line, `${t.text}: not a Windows PowerShell 5.1 cmdlet this check knows, nor a function of the script`);
      }
      if (lower === 'create' && prev?.text === '::' && tokens[k - 3]?.text.toLowerCase() === 'scriptblock') problem(t.line, '[scriptblock]::Create: code from a string');
    }
    if (t.kind === 'dash') {
      const cmd = current.get(t.depth) ?? null;
      if (/^encodedcommand$/i.test(t.text)) problem(t.line, '-EncodedCommand: code from a string');
      else if (cmd) {
        const ok = [...CMDLETS[cmd]!, ...COMMON_PARAMETERS].some((p) => p.toLowerCase() === t.text.toLowerCase());
        if (!ok) problem(t.line, `${cmd} has no parameter -${t.text} in Windows PowerShell 5.1`);
      } else if (!OPERATORS.has(t.text.toLowerCase())) problem(t.line, `-${t.text}: not a PowerShell operator`);
    }
    if (t.kind === 'op' && t.text === '&' && next?.kind !== 'var') problem(t.line, 'the call operator & must be followed by a variable holding the program path (no command strings)');
  });

  // Variables: automatic ones never assigned; every other one used must be assigned somewhere.
  const assigned = new Set<string>();
  tokens.forEach((t, k) => {
    const next = tokens[k + 1];
    if (t.kind === 'var' && !t.inString && next?.kind === 'op' && (next.text === '=' || next.text === '+=' || next.text === '-=')) {
      const lower = t.text.toLowerCase();
      if (AUTOMATIC.includes(lower)) problem(t.line, `$${t.text} is an automatic variable: assigning it breaks PowerShell (use another name)`);
      assigned.add(lower);
    }
  });
  const reported = new Set<string>();
  for (const t of tokens) {
    if (t.kind !== 'var' && t.kind !== 'splat') continue;
    const lower = t.text.toLowerCase();
    if (lower.startsWith('env:') || READABLE.has(lower) || assigned.has(lower) || reported.has(lower)) continue;
    reported.add(lower);
    problem(t.line, `$${t.text} is used but never assigned`);
  }
  return problems.sort((a, b) => a.line - b.line);
}
