/**
 * The fleet recipes of docs/deployment.md ("Fleet recipes", files in docs/fleet/), each checked as far as this
 * machine allows, against the REAL recorded `longhaul diagnose --json` documents of test/fixtures/cli/ (recorded in
 * the lab with the shipped single executable; test/lab/cli-sea.test.ts keeps them current and also runs the shell
 * and Ansible recipes against the real CLI):
 *  - Jamf extension attribute (sh): `sh -n` and `bash -n`, then run for real by dash against a STAND-IN `longhaul`
 *    that prints a recording with its recorded exit code (and records the argv it got), with a STAND-IN osascript
 *    (test/fixtures/fleet/osascript-stand-in.mjs: runs the JavaScript-for-Automation program with the language's
 *    built-ins only, as osascript does);
 *  - Ansible tasks file: parsed as YAML; every task uses ansible.builtin modules and only options those modules
 *    document (cross-checked with ansible-doc where Ansible is installed); then run for real by ansible-playbook
 *    (Debian's ansible-core; scripts/setup.sh --system installs it) against localhost with the same stand-ins —
 *    without ansible-playbook that part skips LOUDLY, and fails under CI=true;
 *  - Intune detection/remediation (PowerShell): there is no PowerShell here, so test/support/powershell-lint.ts — a
 *    syntax check of the constructs used, NOT a parser — plus: the classification block is the same in both files.
 * All three must classify every recording the same way (one table below).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FINDING_DEFINITIONS } from '../../src-main/core/findings/definitions';
import { ANSIBLE_RECIPE, ansibleFiles, JAMF_RECIPE, jamfScript, OSASCRIPT_STAND_IN, osascriptWrapper, type AnsibleCase } from '../support/fleet';
import { lintPowerShell } from '../support/powershell-lint';

const ROOT = path.resolve(__dirname, '../..');
const FLEET = path.join(ROOT, 'docs/fleet');
const FIXTURES = path.join(ROOT, 'test/fixtures/cli');
const JAMF = JAMF_RECIPE;
const ANSIBLE = ANSIBLE_RECIPE;
const DETECT = path.join(FLEET, 'intune-longhaul-detect.ps1');
const REMEDIATE = path.join(FLEET, 'intune-longhaul-remediate.ps1');
const CI = process.env.CI === 'true';
const manifest = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'manifest.json'), 'utf8')) as Record<string, { exitCode: number }>;

/** What each recipe must make of each recording: [state, codes or message]. */
const EXPECTED: Record<string, { state: string; detail: string }> = {
  'diagnose-healthy': { state: 'healthy', detail: '' },
  'diagnose-degraded-no-site': { state: 'degraded', detail: 'checks.no-target' },
  'diagnose-mtu-blackhole': { state: 'broken', detail: 'mtu.blackhole' },
  'diagnose-dns-resolver-unreachable': { state: 'broken', detail: 'dns.resolver-unreachable' },
  'diagnose-tunnel-down': { state: 'not-connected', detail: '' },
  'diagnose-could-not-run': { state: 'could-not-run', detail: 'cannot read profile /run/longhaul-lab/88/absent.conf: ENOENT' },
};
/** The Jamf value for a state (what IT sees in inventory). */
const jamfValue = (e: { state: string; detail: string }) => (e.detail ? `${e.state}: ${e.detail}` : e.state);

let tmp = '';
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-fleet-'));
  fs.chmodSync(tmp, 0o755);
});
afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/**
 * A STAND-IN `longhaul` in its own directory: records its argv (one per line) and, for `diagnose --json …`, prints the
 * recording and exits with the recorded code; anything else gets the CLI's error document and exit 2.
 */
function standIn(name: string, body?: { stdout: string; code: number }): { exe: string; argv: () => string[] } {
  const dir = fs.mkdtempSync(path.join(tmp, `${name}-`));
  const exe = path.join(dir, 'longhaul');
  const out = body ?? { stdout: fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8'), code: manifest[name]!.exitCode };
  fs.writeFileSync(path.join(dir, 'stdout'), out.stdout);
  fs.writeFileSync(exe, [
    '#!/bin/sh',
    '# STAND-IN for the longhaul CLI: prints a recorded `longhaul diagnose --json` document (test/fixtures/cli/) with its exit code.',
    `printf '%s\\n' "$@" > '${dir}/argv'`,
    'if [ "$1" != diagnose ] || [ "$2" != --json ]; then',
    `  echo '{"schemaVersion": 1, "error": {"code": "cli-error", "message": "stand-in: only diagnose --json"}}'; exit 2`,
    'fi',
    `cat '${dir}/stdout'`,
    `exit ${out.code}`,
    '',
  ].join('\n'), { mode: 0o755 });
  return { exe, argv: () => fs.readFileSync(path.join(dir, 'argv'), 'utf8').split('\n').slice(0, -1) };
}

const osascript = () => osascriptWrapper(tmp);

describe('docs/deployment.md describes these recipes', () => {
  it('links every file in docs/fleet/ and lists every state in its table', () => {
    const doc = fs.readFileSync(path.join(ROOT, 'docs/deployment.md'), 'utf8');
    for (const f of fs.readdirSync(FLEET)) expect(doc, f).toContain(`](fleet/${f})`);
    for (const state of ['healthy', 'not-connected', 'degraded: CODES', 'broken: CODES', 'could-not-run: MESSAGE', 'not-installed']) expect(doc).toContain(`| \`${state}\` |`);
  });
});

describe('finding codes: the recipes classify by severity, so every code is covered', () => {
  it('every finding has severity error, warning or info, and tunnel.down (the recipes\' "not-connected") is an error', () => {
    for (const [code, d] of Object.entries(FINDING_DEFINITIONS)) expect(['error', 'warning', 'info'], code).toContain(d.severity);
    expect(FINDING_DEFINITIONS['tunnel.down'].severity).toBe('error');
  });
  it('the recordings cover every state but not-installed, with the exit codes the README documents (0 / 1 / 2)', () => {
    expect(Object.keys(manifest).sort()).toEqual(Object.keys(EXPECTED).sort());
    expect(new Set(Object.values(manifest).map((m) => m.exitCode))).toEqual(new Set([0, 1, 2]));
  });
});

// ------------------------------------------------------------------------------------------------ Jamf (sh + JXA)

function runJamf(script: string): { status: number | null; stdout: string; stderr: string } {
  const file = path.join(fs.mkdtempSync(path.join(tmp, 'jamf-')), 'ea.sh');
  fs.writeFileSync(file, script);
  const r = spawnSync('sh', [file], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' }, timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('Jamf extension attribute (docs/fleet/jamf-longhaul-health.sh)', () => {
  const src = fs.readFileSync(JAMF, 'utf8');

  it('parses under sh -n (dash) and bash -n; settings are plain assignments; no eval; calls the CLI inside the app', () => {
    expect(spawnSync('sh', ['-n', JAMF]).status).toBe(0);
    expect(spawnSync('bash', ['-n', JAMF]).status).toBe(0);
    const settings = /# --- settings ---\n([\s\S]*?)# --- end settings ---/.exec(src)?.[1];
    for (const l of settings!.trim().split('\n')) expect(l).toMatch(/^[A-Z_]+='[^'$`\\]*'$/);
    expect(src.split('\n').filter((l) => !l.trimStart().startsWith('#') && /\beval\b/.test(l))).toEqual([]);
    expect(src).toContain("LONGHAUL='/Applications/Longhaul.app/Contents/Resources/bin/longhaul'");
    // The JavaScript is a shell single-quoted string: it must not contain a single quote.
    const program = /^CLASSIFY='([^']*)'$/m.exec(src)?.[1];
    expect(program, 'CLASSIFY is one single-quoted string').toBeDefined();
  });

  for (const [name, expected] of Object.entries(EXPECTED)) {
    it(`${name} (exit ${manifest[name]!.exitCode}) → <result>${jamfValue(expected)}</result>`, () => {
      const cli = standIn(name);
      const r = runJamf(jamfScript({ longhaul: cli.exe, osascript: osascript() }));
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(`<result>${jamfValue(expected)}</result>\n`);
      expect(cli.argv()).toEqual(['diagnose', '--json', '--profile', '/Library/Application Support/Longhaul/Sites/london-farm/london-farm.conf',
        '--site', '/Library/Application Support/Longhaul/Sites/london-farm/site.json']);
    });
  }

  it('without a site setting no --site is passed; a missing CLI is not-installed', () => {
    const cli = standIn('diagnose-degraded-no-site');
    expect(runJamf(jamfScript({ longhaul: cli.exe, osascript: osascript(), site: '' })).stdout).toBe('<result>degraded: checks.no-target</result>\n');
    expect(cli.argv()).toEqual(['diagnose', '--json', '--profile', '/Library/Application Support/Longhaul/Sites/london-farm/london-farm.conf']);
    expect(runJamf(jamfScript({ longhaul: path.join(tmp, 'absent'), osascript: osascript() })).stdout).toBe('<result>not-installed</result>\n');
  });

  it('an answer that is not the CLI\'s document, a failing osascript, and markup in a message are all contained', () => {
    // Constructed inputs (not recordings): what the recipe must survive.
    const crashed = standIn('crashed', { stdout: 'Segmentation fault\n', code: 139 });
    expect(runJamf(jamfScript({ longhaul: crashed.exe, osascript: osascript() })).stdout).toBe('<result>could-not-run: unexpected output (exit 139)</result>\n');
    const cli = standIn('diagnose-healthy');
    expect(runJamf(jamfScript({ longhaul: cli.exe, osascript: '/bin/false' })).stdout).toBe('<result>could-not-run: the result could not be read (osascript)</result>\n');
    const tagged = standIn('tagged', { stdout: JSON.stringify({ schemaVersion: 1, error: { code: 'cli-error', message: 'bad </result><x>\nline' } }), code: 2 });
    expect(runJamf(jamfScript({ longhaul: tagged.exe, osascript: osascript() })).stdout).toBe('<result>could-not-run: bad  /result  x  line</result>\n');
  });

  it('the osascript stand-in enforces osascript\'s rules (only -l JavaScript -e; errors exit 1 on stderr)', () => {
    const run = (args: string[]) => spawnSync(process.execPath, [OSASCRIPT_STAND_IN, ...args], { encoding: 'utf8' });
    expect(run(['-e', 'x']).status).toBe(1);
    const thrown = run(['-l', 'JavaScript', '-e', 'function run(a) { throw new Error("no " + a[0]); }', 'way']);
    expect(thrown).toMatchObject({ status: 1, stdout: '', stderr: 'execution error: Error: no way (-2700)\n' });
    expect(run(['-l', 'JavaScript', '-e', 'function run() { return typeof require + typeof process; }']).stdout).toBe('undefinedundefined\n');
  });
});

// ------------------------------------------------------------------------------------------------ Ansible

const ANSIBLE_PLAYBOOK = ['/usr/bin/ansible-playbook', '/usr/local/bin/ansible-playbook'].find((p) => fs.existsSync(p));
if (!ANSIBLE_PLAYBOOK) {
  const msg = '*** test/unit/fleet-recipes.test.ts: the Ansible runs SKIPPED: ansible-playbook missing (Debian ansible-core; bash scripts/setup.sh --system) ***';
  if (CI) throw new Error(`${msg} — CI must have it`);
  console.warn(`\n${msg}\n`);
}

/**
 * Options of the ansible.builtin modules the recipe uses, as documented for ansible-core 2.14
 * (docs.ansible.com/ansible/latest/collections/ansible/builtin/<module>_module.html; set_fact takes free key=value
 * pairs plus `cacheable`). Task keywords: docs.ansible.com/ansible/latest/reference_appendices/playbooks_keywords.html.
 */
const MODULE_OPTIONS: Record<string, string[] | 'free'> = {
  'ansible.builtin.stat': ['path', 'follow', 'get_checksum', 'checksum_algorithm', 'get_mime', 'get_attributes'],
  'ansible.builtin.command': ['argv', 'chdir', 'cmd', 'creates', 'free_form', 'removes', 'stdin', 'stdin_add_newline', 'strip_empty_ends'],
  'ansible.builtin.set_fact': 'free',
  'ansible.builtin.debug': ['msg', 'var', 'verbosity'],
  'ansible.builtin.fail': ['msg'],
};
const TASK_KEYWORDS = ['name', 'register', 'when', 'changed_when', 'failed_when', 'check_mode', 'become', 'tags', 'ignore_errors', 'no_log'];

/** Run the tasks file for real on localhost, once per case (one inventory host each), and collect each host's fact. */
function runAnsible(cases: Record<string, AnsibleCase>, opts: { plain?: boolean } = {}) {
  const a = ansibleFiles(fs.mkdtempSync(path.join(tmp, 'ansible-')), cases, opts);
  const r = spawnSync(ANSIBLE_PLAYBOOK!, a.args, { encoding: 'utf8', timeout: 180_000, env: a.env });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, facts: a.facts() };
}

describe('Ansible tasks file (docs/fleet/ansible-longhaul-health.yml)', () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form YAML, checked task by task
  const tasks = parseYaml(fs.readFileSync(ANSIBLE, 'utf8')) as any[];

  it('is a YAML list of tasks using ansible.builtin modules with documented options only; the CLI runs from an argv list', () => {
    expect(Array.isArray(tasks)).toBe(true);
    for (const t of tasks) {
      const modules = Object.keys(t).filter((k) => !TASK_KEYWORDS.includes(k));
      expect(modules, t.name).toHaveLength(1);
      const mod = modules[0]!;
      expect(Object.keys(MODULE_OPTIONS), `${t.name}: ${mod}`).toContain(mod);
      const allowed = MODULE_OPTIONS[mod]!;
      if (allowed !== 'free') for (const opt of Object.keys(t[mod])) expect(allowed, `${t.name}: ${mod} option ${opt}`).toContain(opt);
      expect(t.name).toMatch(/^Longhaul \| /);
    }
    const cmd = tasks.find((t) => t['ansible.builtin.command']);
    expect(Object.keys(cmd['ansible.builtin.command'])).toEqual(['argv']); // no shell string
    expect(cmd).toMatchObject({ changed_when: false, failed_when: false, check_mode: false });
    expect(tasks.some((t) => t['ansible.builtin.shell'] || t['ansible.builtin.raw'])).toBe(false);
  });

  it.skipIf(!fs.existsSync('/usr/bin/ansible-doc'))('the option lists above are what this ansible-core documents (ansible-doc -j)', () => {
    for (const [mod, opts] of Object.entries(MODULE_OPTIONS)) {
      if (opts === 'free') continue;
      const r = spawnSync('/usr/bin/ansible-doc', ['-j', mod], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', HOME: tmp, ANSIBLE_HOME: path.join(tmp, '.ansible') }, timeout: 60_000 });
      expect(r.status, r.stderr).toBe(0);
      const doc = JSON.parse(r.stdout) as Record<string, { doc: { options: Record<string, unknown> } }>;
      expect(Object.keys(doc[mod]!.doc.options).sort(), mod).toEqual(expect.arrayContaining(opts));
    }
  });

  describe.skipIf(!ANSIBLE_PLAYBOOK)('run by ansible-playbook on localhost against the recordings', () => {
    let run: ReturnType<typeof runAnsible>;
    const stands: Record<string, ReturnType<typeof standIn>> = {};
    beforeAll(() => {
      const cases: Record<string, AnsibleCase> = {};
      for (const name of Object.keys(EXPECTED)) cases[name] = { cli: (stands[name] = standIn(name)).exe };
      cases['no-site'] = { cli: (stands['no-site'] = standIn('diagnose-degraded-no-site')).exe, site: '' };
      cases['not-installed'] = { cli: path.join(tmp, 'absent', 'longhaul') };
      cases['crashed'] = { cli: (stands.crashed = standIn('crashed', { stdout: 'Segmentation fault\n', code: 139 })).exe };
      run = runAnsible(cases);
    }, 200_000);

    for (const [name, expected] of Object.entries(EXPECTED)) {
      it(`${name} → state ${expected.state}${expected.detail ? ` (${expected.detail})` : ''}`, () => {
        const f = run.facts[name];
        expect(f?.health, `${run.stdout.slice(-2000)}\n${run.stderr.slice(-1000)}`).toBeTruthy();
        const health = f!.health!;
        expect(health.state).toBe(expected.state);
        expect(health.exit_code).toBe(manifest[name]!.exitCode);
        if (expected.state === 'broken') expect(health.errors).toEqual([expected.detail]);
        if (expected.state === 'degraded') expect(health.warnings).toEqual([expected.detail]);
        if (expected.state === 'could-not-run') expect(health.message).toBe(expected.detail);
        // Only broken and could-not-run hosts fail (the default longhaul_fail_on), with the codes and the CLI's fix.
        const fails = ['broken', 'could-not-run'].includes(expected.state);
        expect(f!.failure === null, `failure: ${f!.failure}`).toBe(!fails);
        if (expected.state === 'broken') expect(f!.failure).toMatch(new RegExp(`^Longhaul broken: ${expected.detail.replace('.', '\\.')} — \\S`));
        expect(stands[name]!.argv()).toEqual(['diagnose', '--json', '--profile', '/etc/longhaul/sites/london-farm/london-farm.conf', '--site', '/etc/longhaul/sites/london-farm/site.json']);
      });
    }

    it('no site → no --site; no CLI → not-installed (fails the host); a non-document answer → could-not-run', () => {
      expect(run.facts['no-site']?.health?.state).toBe('degraded');
      expect(stands['no-site']!.argv()).toEqual(['diagnose', '--json', '--profile', '/etc/longhaul/sites/london-farm/london-farm.conf']);
      expect(run.facts['not-installed']).toMatchObject({ health: { state: 'not-installed', exit_code: null }, failure: `Longhaul not-installed: ${path.join(tmp, 'absent', 'longhaul')} is not installed` });
      expect(run.facts.crashed).toMatchObject({ health: { state: 'could-not-run', exit_code: 139, message: 'unexpected output (exit 139)' } });
    });

    it('included as IT includes it: the broken host fails the run, the healthy one does not; nothing reported changed', () => {
      const r = runAnsible({ healthy: { cli: standIn('diagnose-healthy').exe }, broken: { cli: standIn('diagnose-mtu-blackhole').exe } }, { plain: true });
      expect(r.status, r.stdout.slice(-1500)).toBe(2);
      expect(r.stdout).toMatch(/broken\s+: ok=\d+\s+changed=0\s+unreachable=0\s+failed=1/);
      expect(r.stdout).toMatch(/healthy\s+: ok=\d+\s+changed=0\s+unreachable=0\s+failed=0/);
      expect(r.stdout).toContain('"msg": "Longhaul healthy"');
    }, 200_000);
  });
});

// ------------------------------------------------------------------------------------------------ PowerShell

describe('Intune detection and remediation (docs/fleet/intune-longhaul-*.ps1): syntax check only, no PowerShell here', () => {
  const detect = fs.readFileSync(DETECT, 'utf8');
  const remediate = fs.readFileSync(REMEDIATE, 'utf8');
  const block = (s: string) => /# --- classification[^\n]*\n([\s\S]*?)# --- end classification ---/.exec(s)?.[1];

  for (const [file, text] of [[DETECT, detect], [REMEDIATE, remediate]] as const) {
    it(`${path.basename(file)}: passes powershell-lint (balanced, no shells or command strings, 5.1 cmdlets and parameters, no unassigned or automatic variables)`, () => {
      expect(lintPowerShell(text)).toEqual([]);
    });
  }

  it('both carry the same classification, and the settings name the installed CLI, the profile and the site', () => {
    expect(block(detect)).toBeDefined();
    expect(block(remediate)).toBe(block(detect));
    for (const s of [detect, remediate]) {
      expect(s).toContain("$LonghaulCli = Join-Path $env:ProgramW6432 'Longhaul\\resources\\bin\\longhaul.exe'");
      expect(s).toMatch(/^\$LonghaulProfile = '/m);
      expect(s).toMatch(/^\$LonghaulSite = '/m);
    }
    // The states and the exit codes the detection maps them to: issue (1) for broken, could-not-run, not-installed.
    const issues = [...block(detect)!.matchAll(/State = '([a-z-]+)'; Issue = \$(true|false)/g)].map((m) => `${m[1]}=${m[2]}`).sort();
    expect(issues).toEqual(['broken=true', 'could-not-run=true', 'could-not-run=true', 'could-not-run=true', 'degraded=false', 'healthy=false', 'not-connected=false', 'not-installed=true']);
  });

  it('the lint has teeth: each mistake it claims to find is found, with its line', () => {
    const cases: Array<[string, RegExp]> = [
      ["$a = 'x'\nif ($a) { Write-Output $a\n", /\{ is never closed/],
      ["$a = @(1, 2]\n", /\] closes \( opened on line 1/],
      ["$a = 'open\n", /unterminated single-quoted string/],
      ['$a = "x $($b"\n', /unterminated|never closed/],
      ["$c = 'dir'\nInvoke-Expression $c\n", /Invoke-Expression: runs a shell/],
      ["$x = 'C:\\x.exe'\n& \"$x /c\"\n", /call operator & must be followed by a variable/],
      ["$Profile = 'C:\\p.conf'\n", /\$Profile is an automatic variable/],
      ["$LonghaulCli = 'x'\nTest-Path -LiteralPath $LonghualCli\n", /\$LonghualCli is used but never assigned/],
      ["$j = '{}' | ConvertFrom-Json -AsHashtable\n", /ConvertFrom-Json has no parameter -AsHashtable in Windows PowerShell 5.1/],
      ["$a = 1\nif ($a -equals 1) { exit 1 }\n", /-equals: not a PowerShell operator/],
      ["$a = 1\nGet-ChildItem $a\n", /Get-ChildItem: not a Windows PowerShell 5.1 cmdlet this check knows/],
      ["$a = 1\n$a && exit 1\n", /&& is not Windows PowerShell 5.1 syntax/],
      ["<# open comment\n$a = 1\n", /unterminated <# block comment/],
    ];
    for (const [src, want] of cases) {
      const found = lintPowerShell(src);
      expect(found.map((p) => `${p.line}: ${p.message}`).join('\n'), src).toMatch(want);
    }
    expect(lintPowerShell("$x = \"it''s `\"ok`\" $($y = 1; $y)\"\n# & 'comment'\n<# Invoke-Expression #>\n")).toEqual([]);
  });
});
