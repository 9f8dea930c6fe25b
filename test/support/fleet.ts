/**
 * Running the fleet recipes of docs/fleet/ in tests (test/unit/fleet-recipes.test.ts against recordings,
 * test/lab/cli-sea.test.ts against the real CLI): the Jamf script with its settings block pointed elsewhere (every
 * other line as shipped), the STAND-IN osascript behind a wrapper, and the files for an ansible-playbook run of the
 * Ansible tasks file on localhost. Environment: plain Node (tests only).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
export const JAMF_RECIPE = path.join(ROOT, 'docs/fleet/jamf-longhaul-health.sh');
export const ANSIBLE_RECIPE = path.join(ROOT, 'docs/fleet/ansible-longhaul-health.yml');
export const OSASCRIPT_STAND_IN = path.join(ROOT, 'test/fixtures/fleet/osascript-stand-in.mjs');

/** The Jamf script with these settings (the only lines changed); throws when a setting is not in the file. */
export function jamfScript(settings: { longhaul: string; osascript: string; profile?: string; site?: string }): string {
  const set = (text: string, name: string, value: string) => {
    const re = new RegExp(`^${name}='[^']*'$`, 'm');
    if (!re.test(text)) throw new Error(`${JAMF_RECIPE}: no ${name}='…' line in the settings`);
    if (value.includes("'")) throw new Error(`${name}: a value with a single quote cannot be set here`);
    return text.replace(re, `${name}='${value}'`);
  };
  let s = set(fs.readFileSync(JAMF_RECIPE, 'utf8'), 'LONGHAUL', settings.longhaul);
  s = set(s, 'OSASCRIPT', settings.osascript);
  if (settings.profile !== undefined) s = set(s, 'PROFILE', settings.profile);
  if (settings.site !== undefined) s = set(s, 'SITE', settings.site);
  return s;
}

/** `DIR/osascript`: the STAND-IN run with this Node by absolute path, so it works where no node is on PATH. */
export function osascriptWrapper(dir: string): string {
  const w = path.join(dir, 'osascript');
  if (!fs.existsSync(w)) fs.writeFileSync(w, `#!/bin/sh\nexec '${process.execPath}' '${OSASCRIPT_STAND_IN}' "$@"\n`, { mode: 0o755 });
  return w;
}

export interface AnsibleCase {
  /** longhaul_cli for this host. */
  cli: string;
  /** longhaul_profile (default the provisioned site folder's profile under /etc/longhaul/sites). */
  profile?: string;
  /** longhaul_site: undefined = the default site file, '' = none. */
  site?: string;
}

export interface AnsibleFact {
  health: { state: string; errors: string[]; warnings: string[]; message: string; exit_code: number | null } | null;
  failure: string | null;
}

/**
 * Inventory (one local host per case) and a wrapper play in `dir`. Unless `plain`, the play records each host's
 * longhaul_health and failure message (block/rescue/always) in DIR/out/HOST.json; `plain` includes the recipe as IT
 * would, so unhealthy hosts fail the run. Returns the ansible-playbook arguments, a clean environment, and a reader.
 */
export function ansibleFiles(dir: string, cases: Record<string, AnsibleCase>, opts: { plain?: boolean; path?: string } = {}) {
  const out = path.join(dir, 'out');
  fs.mkdirSync(out, { recursive: true });
  fs.chmodSync(dir, 0o700);
  const hostLine = ([h, c]: [string, AnsibleCase]) => [h, `longhaul_cli=${c.cli}`, `longhaul_profile=${c.profile ?? '/etc/longhaul/sites/london-farm/london-farm.conf'}`,
    ...(c.site === undefined ? ['longhaul_site=/etc/longhaul/sites/london-farm/site.json'] : c.site ? [`longhaul_site=${c.site}`] : [])].join(' ');
  fs.writeFileSync(path.join(dir, 'inventory'), ['[cases]', ...Object.entries(cases).map(hostLine), '', '[cases:vars]', 'ansible_connection=local',
    'ansible_python_interpreter=/usr/bin/python3', ''].join('\n'));
  const include = { 'ansible.builtin.include_tasks': ANSIBLE_RECIPE };
  const tasks = opts.plain ? [include] : [{
    block: [include],
    rescue: [{ 'ansible.builtin.set_fact': { longhaul_failure: '{{ ansible_failed_result.msg }}' } }],
    always: [{ 'ansible.builtin.copy': { content: '{{ {"health": longhaul_health | default(None), "failure": longhaul_failure | default(None)} | to_json }}', dest: `${out}/{{ inventory_hostname }}.json`, mode: '0600' } }],
  }];
  fs.writeFileSync(path.join(dir, 'play.yml'), JSON.stringify([{ hosts: 'cases', gather_facts: false, tasks }]));
  return {
    args: ['-i', path.join(dir, 'inventory'), path.join(dir, 'play.yml')],
    env: { PATH: opts.path ?? '/usr/bin:/bin', HOME: dir, ANSIBLE_HOME: path.join(dir, '.ansible'), ANSIBLE_LOCAL_TEMP: path.join(dir, 'tmp'), ANSIBLE_NOCOLOR: '1',
      ANSIBLE_FORCE_COLOR: '0', ANSIBLE_RETRY_FILES_ENABLED: '0', LC_ALL: 'C.UTF-8' },
    facts(): Record<string, AnsibleFact | null> {
      return Object.fromEntries(Object.keys(cases).map((h) => {
        const f = path.join(out, `${h}.json`);
        return [h, fs.existsSync(f) ? JSON.parse(fs.readFileSync(f, 'utf8')) as AnsibleFact : null];
      }));
    },
  };
}
