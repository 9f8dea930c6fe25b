/**
 * The `longhaul` CLI as the deb ships it, for real as root in the lab (lab ids 86–89): the Node single executable
 * (scripts/build-helper-sea.mjs) built from the release CLI bundle into <app>/resources/bin/longhaul, put on PATH by
 * the package's own resources/linux/cli-link.sh with the real update-alternatives, over an old registration of the
 * Electron app (a STAND-IN file) as electron-builder's default after-install made it — and then `longhaul diagnose
 * --json` found on PATH, inside the artist's network namespace, with every `node` on that PATH hidden, against real
 * lab tunnels: healthy, healthy without a site (degraded), a large-packet blackhole, a resolver not listening on the
 * tunnel, the tunnel not connected, and a profile that cannot be read. The documents are the recordings in
 * test/fixtures/cli/ (README.md there): each run here must still match its recording's exit code, verdict, findings,
 * checks and fields, so the fleet recipes' tests (test/unit/fleet-recipes.test.ts) never run against a stale shape.
 * `LONGHAUL_RECORD_CLI_FIXTURES=1` writes the recordings instead. The fleet recipes (docs/fleet/) run against this real
 * CLI too: the Jamf extension attribute (with the STAND-IN osascript) and the Ansible tasks file (ansible-playbook on
 * localhost, inside the artist's namespace) on the healthy and the blackhole lab.
 *
 * Isolation: a private mount namespace (bound to a file in a temp directory) with overlays on /usr/bin,
 * /etc/alternatives, /var/lib/dpkg/alternatives and /var/log, so the link, the alternatives database and its log never
 * reach the host; node is hidden there by binding /dev/null over it. HOME is a temp directory (the CLI's data dir).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunner } from '../../src-main/core/platform/runner';
import { labDown, labUp, type Lab } from '../../scripts/lab';
import { cliBundle, removeCliBundle } from '../support/bundle';
import { ansibleFiles, jamfScript, osascriptWrapper } from '../support/fleet';
import { isRoot, warnSkippedUnlessRoot } from '../support/lab';

const ROOT = path.resolve(__dirname, '../..');
const SEA_SCRIPT = path.join(ROOT, 'scripts/build-helper-sea.mjs');
const CLI_LINK = path.join(ROOT, 'resources/linux/cli-link.sh');
const FIXTURES = path.join(ROOT, 'test/fixtures/cli');
const RECORD = process.env.LONGHAUL_RECORD_CLI_FIXTURES === '1';
/** What an IT script run as root (cron, Ansible, an MDM agent) has on PATH. */
const FIXED_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const OVERLAID = ['/usr/bin', '/etc/alternatives', '/var/lib/dpkg/alternatives', '/var/log'];
const ANSIBLE_PLAYBOOK = '/usr/bin/ansible-playbook';
const haveAnsible = fs.existsSync(ANSIBLE_PLAYBOOK);
if (isRoot && !haveAnsible) {
  const msg = '*** test/lab/cli-sea.test.ts: the Ansible recipe runs SKIPPED: ansible-playbook missing (Debian ansible-core; bash scripts/setup.sh --system) ***';
  if (process.env.CI === 'true') throw new Error(`${msg} — CI must have it`);
  console.warn(`\n${msg}\n`);
}

warnSkippedUnlessRoot('test/lab/cli-sea.test.ts needs root (namespaces, overlays, wireguard-go)');

interface Doc {
  schemaVersion: number;
  verdict?: string;
  pathMtu?: number | null;
  error?: { code: string; message: string };
  findings?: { code: string; severity: string }[];
  checks?: { id: string; status: string }[];
}
interface Manifest {
  [name: string]: { exitCode: number; command: string; lab: string; recorded: string };
}

const runner = createRunner();

/** The parts of a diagnose document that recipes act on and that do not vary between runs. */
function shape(doc: Doc) {
  return {
    keys: Object.keys(doc).sort(),
    schemaVersion: doc.schemaVersion,
    verdict: doc.verdict ?? null,
    pathMtu: doc.pathMtu ?? null,
    error: doc.error?.code ?? null,
    findings: (doc.findings ?? []).map((f) => `${f.code}/${f.severity}`),
    checks: (doc.checks ?? []).map((c) => `${c.id}/${c.status}`),
  };
}

describe.skipIf(!isRoot)('the longhaul CLI single executable, installed as the deb installs it, in the lab with no node', () => {
  let root = '';
  let appDir = '';
  let res = '';
  let home = '';
  let nsFile = '';
  let anchor = '';

  const inNs = (args: string[], opts: { okCodes?: 'any' } = {}) => runner.run('nsenter', [`--mount=${nsFile}`, ...args], { okCodes: opts.okCodes ?? 'any', timeoutMs: 90_000 });

  /** `longhaul ARGS` as an IT script runs it: found on PATH, root, clean environment, in the artist's namespace. */
  async function longhaul(lab: Lab, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const r = await inNs(['ip', 'netns', 'exec', lab.names.ns.artist, '/usr/bin/env', '-i', `PATH=${FIXED_PATH}`, `HOME=${home}`, 'longhaul', ...args]);
    return { code: r.code ?? -1, stdout: r.stdout, stderr: r.stderr };
  }

  /** The Jamf extension attribute against the installed CLI, as root in the artist's namespace. */
  async function jamf(lab: Lab): Promise<string> {
    const file = path.join(fs.mkdtempSync(path.join(root, 'jamf-')), 'ea.sh');
    fs.writeFileSync(file, jamfScript({ longhaul: '/usr/bin/longhaul', osascript: osascriptWrapper(root), profile: lab.profilePath, site: lab.extra.sitePath as string }));
    const r = await inNs(['ip', 'netns', 'exec', lab.names.ns.artist, '/usr/bin/env', '-i', `PATH=${FIXED_PATH}`, `HOME=${home}`, 'sh', file]);
    expect(r.code, r.stderr).toBe(0);
    return r.stdout;
  }

  /** The Ansible tasks file against the installed CLI (one local host), as root in the artist's namespace. */
  async function ansible(lab: Lab) {
    const a = ansibleFiles(fs.mkdtempSync(path.join(root, 'ansible-')), { lab: { cli: '/usr/bin/longhaul', profile: lab.profilePath, site: lab.extra.sitePath as string } }, { path: FIXED_PATH });
    const env = Object.entries(a.env).map(([k, v]) => `${k}=${v}`);
    const r = await inNs(['ip', 'netns', 'exec', lab.names.ns.artist, '/usr/bin/env', '-i', ...env, ANSIBLE_PLAYBOOK, ...a.args]);
    const fact = a.facts().lab;
    if (!fact?.health) throw new Error(`ansible-playbook (exit ${r.code}) recorded nothing: ${r.stdout.slice(-1500)} ${r.stderr.slice(-800)}`);
    return fact;
  }

  function matchRecording(name: string, lab: Lab, args: string[], run: { code: number; stdout: string; stderr: string }): Doc {
    let doc: Doc;
    try {
      doc = JSON.parse(run.stdout) as Doc;
    } catch {
      throw new Error(`${name}: no JSON from longhaul (exit ${run.code}): ${run.stdout.slice(0, 300)} ${run.stderr.slice(-1200)}`);
    }
    expect(run.stdout, 'no private key in the document').not.toContain(lab.keys.artist.privateKey);
    const manifestFile = path.join(FIXTURES, 'manifest.json');
    const manifest = (fs.existsSync(manifestFile) ? JSON.parse(fs.readFileSync(manifestFile, 'utf8')) : {}) as Manifest;
    if (RECORD) {
      fs.mkdirSync(FIXTURES, { recursive: true });
      fs.writeFileSync(path.join(FIXTURES, `${name}.json`), run.stdout);
      const shown = args.map((a) => a.replaceAll(lab.dir, '<lab dir>').replaceAll(root, '<tmp>'));
      manifest[name] = { exitCode: run.code, command: `longhaul ${shown.join(' ')}`, lab: `${lab.scenario} (lab id ${lab.id})`, recorded: new Date().toISOString().slice(0, 10) };
      const sorted = Object.fromEntries(Object.entries(manifest).sort(([a], [b]) => a.localeCompare(b)));
      fs.writeFileSync(manifestFile, JSON.stringify(sorted, null, 2) + '\n');
      return doc;
    }
    const recorded = JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as Doc;
    expect(manifest[name]?.exitCode, `${name}: exit code as recorded`).toBe(run.code);
    expect(shape(doc), `${name}: the CLI's document still has the recorded shape (re-record: LONGHAUL_RECORD_CLI_FIXTURES=1)`).toEqual(shape(recorded));
    return doc;
  }

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-cli-sea-lab-'));
    fs.chmodSync(root, 0o755);
    appDir = path.join(root, 'opt', 'Longhaul');
    res = path.join(appDir, 'resources');
    fs.mkdirSync(path.join(res, 'bin'), { recursive: true });
    home = path.join(root, 'home');
    fs.mkdirSync(home, { mode: 0o700 });
    // The package's files: the CLI single executable (from the release bundle; the bundle is not shipped), the link
    // script as extraResources copies it, and a STAND-IN for the Electron app at the path the .desktop file starts.
    const r = await runner.run(process.execPath, [SEA_SCRIPT, await cliBundle(), path.join(res, 'bin', 'longhaul')], { timeoutMs: 120_000 });
    expect(r.code).toBe(0);
    fs.copyFileSync(CLI_LINK, path.join(res, 'bin', 'cli-link.sh'));
    fs.writeFileSync(path.join(appDir, 'longhaul'), '#!/bin/sh\n# STAND-IN for the Electron app (/opt/Longhaul/longhaul)\necho electron-app\n', { mode: 0o755 });

    // The private mount namespace and its overlays.
    anchor = path.join(root, 'mnt');
    fs.mkdirSync(anchor);
    nsFile = path.join(anchor, 'mntns');
    fs.writeFileSync(nsFile, '');
    await runner.run('mount', ['--bind', anchor, anchor]);
    await runner.run('mount', ['--make-private', anchor]);
    // slave: the lab's network-namespace files (/run/netns, created later) still reach it; nothing mounted inside goes back.
    await runner.run('unshare', [`--mount=${nsFile}`, '--propagation', 'slave', 'true']);
    for (const [i, dir] of OVERLAID.entries()) {
      const up = path.join(root, 'ovl', String(i), 'upper');
      const work = path.join(root, 'ovl', String(i), 'work');
      fs.mkdirSync(up, { recursive: true });
      fs.mkdirSync(work, { recursive: true });
      const m = await inNs(['mount', '-t', 'overlay', 'overlay', '-o', `lowerdir=${dir},upperdir=${up},workdir=${work}`, dir]);
      expect(m.code, `overlay on ${dir}: ${m.stderr}`).toBe(0);
    }
    for (const d of FIXED_PATH.split(':')) {
      if (fs.existsSync(path.join(d, 'node'))) expect((await inNs(['mount', '--bind', '/dev/null', path.join(d, 'node')])).code).toBe(0);
    }
    // Before the CLI shipped, electron-builder's default after-install registered the app itself as /usr/bin/longhaul.
    const old = await inNs(['update-alternatives', '--install', '/usr/bin/longhaul', 'longhaul', path.join(appDir, 'longhaul'), '100']);
    expect(old.code, old.stderr).toBe(0);
  }, 180_000);

  afterAll(async () => {
    if (nsFile) {
      await runner.run('umount', [nsFile], { okCodes: 'any' });
      await runner.run('umount', [anchor], { okCodes: 'any' });
    }
    removeCliBundle();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('cli-link.sh install: /usr/bin/longhaul is the CLI through update-alternatives, the app\'s old entry is gone, the host untouched', async () => {
    const r = await inNs(['/usr/bin/env', '-i', `PATH=${FIXED_PATH}`, 'sh', path.join(res, 'bin', 'cli-link.sh'), 'install', res, path.join(appDir, 'longhaul')]);
    expect(r.code, r.stderr).toBe(0);
    expect((await inNs(['readlink', '-f', '/usr/bin/longhaul'])).stdout.trim()).toBe(path.join(res, 'bin', 'longhaul'));
    expect((await inNs(['readlink', '/usr/bin/longhaul'])).stdout.trim()).toBe('/etc/alternatives/longhaul');
    const q = await inNs(['update-alternatives', '--query', 'longhaul']);
    expect(q.stdout).toContain(`Value: ${path.join(res, 'bin', 'longhaul')}`);
    expect(q.stdout).not.toContain(path.join(appDir, 'longhaul\n'));
    // Installing again (an upgrade's postinst) changes nothing.
    expect((await inNs(['sh', path.join(res, 'bin', 'cli-link.sh'), 'install', res, path.join(appDir, 'longhaul')])).code).toBe(0);
    expect((await inNs(['readlink', '-f', '/usr/bin/longhaul'])).stdout.trim()).toBe(path.join(res, 'bin', 'longhaul'));
    expect(fs.existsSync('/usr/bin/longhaul') && fs.realpathSync('/usr/bin/longhaul').startsWith(root), 'the host\'s /usr/bin is untouched').toBe(false);
    // A package without the CLI (a release that forgot build:helper-bin): said so, nothing linked, not fatal.
    const empty = path.join(root, 'empty-res');
    fs.mkdirSync(path.join(empty, 'bin'), { recursive: true });
    const missing = await inNs(['sh', CLI_LINK, 'install', empty]);
    expect(missing.code).toBe(0);
    expect(missing.stderr).toContain(`the CLI is missing from the package (${empty}/bin/longhaul)`);
    expect((await inNs(['sh', CLI_LINK, 'bogus', res])).code).toBe(2);
  });

  it('no node is reachable on the PATH where IT scripts run', async () => {
    const r = await inNs(['/usr/bin/env', '-i', `PATH=${FIXED_PATH}`, 'sh', '-c', 'node --version']);
    expect(r.code).not.toBe(0);
    const v = await inNs(['/usr/bin/env', '-i', `PATH=${FIXED_PATH}`, 'longhaul', '--version']);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toMatch(/^longhaul \d+\.\d+\.\d+\n$/);
  });

  describe('lab 86: farm-healthy', () => {
    let lab: Lab;
    beforeAll(async () => {
      lab = await labUp({ id: 86, scenario: 'farm-healthy' });
    });
    afterAll(async () => {
      if (lab) await labDown(lab);
    });
    it('diagnose --json with the site: healthy, every check passes, exit 0', async () => {
      const args = ['diagnose', '--json', '--profile', lab.profilePath, '--site', lab.extra.sitePath as string];
      const run = await longhaul(lab, args);
      const doc = matchRecording('diagnose-healthy', lab, args, run);
      expect(run.code, run.stderr).toBe(0);
      expect(doc).toMatchObject({ schemaVersion: 1, verdict: 'healthy', findings: [], pathMtu: 1420 });
      expect(doc.checks!.every((c) => c.status === 'pass')).toBe(true);
    });
    it('the fleet recipes against the real CLI: Jamf <result>healthy</result>, Ansible state healthy (host not failed)', async () => {
      expect(await jamf(lab)).toBe('<result>healthy</result>\n');
      if (!haveAnsible) return;
      expect(await ansible(lab)).toMatchObject({ health: { state: 'healthy', exit_code: 0, errors: [], warnings: [] }, failure: null });
    }, 120_000);
    it('diagnose --json without a site: degraded by checks.no-target warnings only, exit 1', async () => {
      const args = ['diagnose', '--json', '--profile', lab.profilePath];
      const run = await longhaul(lab, args);
      const doc = matchRecording('diagnose-degraded-no-site', lab, args, run);
      expect(run.code).toBe(1);
      expect(doc.verdict).toBe('degraded');
      expect([...new Set(doc.findings!.map((f) => `${f.code}/${f.severity}`))]).toEqual(['checks.no-target/warning']);
    });
  });

  describe('lab 87: farm-blackhole (cap 1400)', () => {
    let lab: Lab;
    beforeAll(async () => {
      lab = await labUp({ id: 87, scenario: 'farm-blackhole' });
    });
    afterAll(async () => {
      if (lab) await labDown(lab);
    });
    it('diagnose --json: broken, mtu.blackhole with the path MTU, exit 1', async () => {
      const args = ['diagnose', '--json', '--profile', lab.profilePath, '--site', lab.extra.sitePath as string];
      const run = await longhaul(lab, args);
      const doc = matchRecording('diagnose-mtu-blackhole', lab, args, run);
      expect(run.code).toBe(1);
      expect(doc.verdict).toBe('broken');
      expect(doc.findings!.filter((f) => f.severity === 'error').map((f) => f.code)).toEqual(['mtu.blackhole']);
      expect(doc.pathMtu).toBe(1328);
    });
    it('the fleet recipes against the real CLI: Jamf "broken: mtu.blackhole", Ansible fails the host with the code and the fix', async () => {
      expect(await jamf(lab)).toBe('<result>broken: mtu.blackhole</result>\n');
      if (!haveAnsible) return;
      const f = await ansible(lab);
      expect(f.health, JSON.stringify(f)).toMatchObject({ state: 'broken', exit_code: 1, errors: ['mtu.blackhole'] });
      expect(f.failure).toMatch(/^Longhaul broken: mtu\.blackhole — Set the tunnel MTU to 1328/);
    }, 120_000);
  });

  describe('lab 88: farm-no-interface (the artist is not connected)', () => {
    let lab: Lab;
    beforeAll(async () => {
      lab = await labUp({ id: 88, scenario: 'farm-no-interface' });
    });
    afterAll(async () => {
      if (lab) await labDown(lab);
    });
    it('diagnose --json: broken by tunnel.down alone (its dependents suppressed), exit 1', async () => {
      const args = ['diagnose', '--json', '--profile', lab.profilePath, '--site', lab.extra.sitePath as string];
      const run = await longhaul(lab, args);
      const doc = matchRecording('diagnose-tunnel-down', lab, args, run);
      expect(run.code).toBe(1);
      expect(doc.findings!.filter((f) => f.severity === 'error').map((f) => f.code)).toEqual(['tunnel.down']);
    });
    it('diagnose --json with a profile that cannot be read: an error document, exit 2', async () => {
      const args = ['diagnose', '--json', '--profile', path.join(lab.dir, 'absent.conf')];
      const run = await longhaul(lab, args);
      const doc = matchRecording('diagnose-could-not-run', lab, args, run);
      expect(run.code).toBe(2);
      expect(doc).toEqual({ schemaVersion: 1, error: { code: 'cli-error', message: `cannot read profile ${path.join(lab.dir, 'absent.conf')}: ENOENT` } });
    });
  });

  describe('lab 89: dns-not-listening', () => {
    let lab: Lab;
    beforeAll(async () => {
      lab = await labUp({ id: 89, scenario: 'dns-not-listening' });
    });
    afterAll(async () => {
      if (lab) await labDown(lab);
    });
    it('diagnose --json: broken, dns.resolver-unreachable (a fix for the farm\'s IT), exit 1', async () => {
      const args = ['diagnose', '--json', '--profile', lab.profilePath, '--site', lab.extra.sitePath as string];
      const run = await longhaul(lab, args);
      const doc = matchRecording('diagnose-dns-resolver-unreachable', lab, args, run);
      expect(run.code).toBe(1);
      expect(doc.findings!.filter((f) => f.severity === 'error').map((f) => f.code)).toEqual(['dns.resolver-unreachable']);
    });
  });

  it('cli-link.sh remove (the prerm): /usr/bin/longhaul and its alternative are gone; twice is fine', async () => {
    for (let i = 0; i < 2; i++) {
      const r = await inNs(['sh', path.join(res, 'bin', 'cli-link.sh'), 'remove', res]);
      expect(r.code, r.stderr).toBe(0);
    }
    expect((await inNs(['test', '-e', '/usr/bin/longhaul'])).code).not.toBe(0);
    expect((await inNs(['test', '-L', '/usr/bin/longhaul'])).code).not.toBe(0);
    expect((await inNs(['update-alternatives', '--query', 'longhaul'])).code).not.toBe(0);
  });
});
