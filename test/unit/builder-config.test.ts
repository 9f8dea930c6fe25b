/**
 * electron-builder.yml is checked against electron-builder's own configuration schema (shipped in app-builder-lib),
 * since packaging cannot run here, plus the deployment decisions IT relies on.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import { parse as parsePlist } from 'plist';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { APP_ID, PRODUCT_NAME } from '../../src-main/core/app/identity';

const root = path.resolve(__dirname, '../..');
const text = fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8');
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a free-form YAML document, asserted field by field
const config: any = parse(text);

describe('electron-builder.yml', () => {
  it('validates against app-builder-lib/scheme.json', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8'));
    const ajv = new Ajv({ strict: false, allErrors: true, allowUnionTypes: true });
    const validate = ajv.compile(schema);
    const ok = validate(config);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(ok).toBe(true);
  });

  it('rejects a planted mistake (the schema check has teeth)', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8'));
    const validate = new Ajv({ strict: false, allowUnionTypes: true }).compile(schema);
    expect(validate({ ...config, nsis: { ...config.nsis, perMachnie: true } })).toBe(false);
    expect(validate({ ...config, electronFuses: { ...config.electronFuses, runAsNode: 'no' } })).toBe(false);
  });

  it('has the fixed identity', () => {
    expect(config.appId).toBe(APP_ID);
    expect(config.productName).toBe(PRODUCT_NAME);
    expect(config.publish).toBeNull();
    expect(config.asar).toBe(true);
  });

  it('sets every fuse to the hardened value', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('packages only the app: never the harness, scripts, e2e or tests', () => {
    expect(config.files).toEqual(expect.arrayContaining(['package.json', 'dist/main/**/*', 'dist/renderer/**/*']));
    for (const never of ['dist/harness', 'scripts', 'e2e', 'test']) {
      expect(config.files).toContain(`!${never}{,/**/*}`);
    }
    expect(config.files.some((f: string) => !f.startsWith('!') && /harness|scripts|e2e|test/.test(f))).toBe(false);
  });

  it('builds every format with the fleet settings', () => {
    const targets = (p: string) => config[p].target.map((t: { target: string }) => t.target);
    expect(targets('win')).toEqual(['nsis', 'msi']);
    expect(targets('mac')).toEqual(['dmg', 'pkg']);
    expect(targets('linux')).toEqual(['deb', 'AppImage']);
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: true, allowElevation: true });
    expect(config.msi.perMachine).toBe(true);
    expect(config.msi.upgradeCode).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
    expect(config.pkg).toMatchObject({ isRelocatable: false, installLocation: '/Applications' });
    expect(config.mac).toMatchObject({ hardenedRuntime: true, entitlements: 'resources/mac/entitlements.mac.plist' });
  });

  it('ships the tunnel helper per OS and the polkit action, and every referenced local file of ours exists', () => {
    const froms = (list: { from: string }[] | undefined) => (list ?? []).map((r) => r.from);
    expect(froms(config.extraResources)).toEqual(['resources/policy']);
    expect(froms(config.linux.extraResources)).toEqual(['dist/helper/longhaul-helper', 'resources/linux/longhaul-helper-wrapper.sh', 'resources/linux/helper-install.sh', 'resources/linux/studio.longhaul.client.helper.policy', 'dist/cli/longhaul', 'resources/linux/cli-link.sh']);
    expect(config.deb.depends.some((d: string) => /^nodejs\b/.test(d)), 'the helper carries its own runtime').toBe(false);
    expect(froms(config.mac.extraResources)).toEqual(expect.arrayContaining(['dist/helper/mac-${arch}/longhaul-helper', 'dist/helper/mac-${arch}/longhaul-helperd', 'resources/mac/helper/studio.longhaul.client.helper.plist']));
    expect(froms(config.win.extraResources)).toEqual(['dist/helper/longhaul-helperd.exe', 'dist/helper/longhaul-service.exe', 'dist/cli/longhaul.exe']);
    // installer.nsh registers the service host from where win.extraResources puts it.
    const nsh = fs.readFileSync(path.join(root, 'resources', config.nsis.include), 'utf8');
    for (const r of config.win.extraResources.filter((x: { to: string }) => x.to.endsWith('longhaul-service.exe'))) expect(nsh).toContain(`$INSTDIR\\resources\\${r.to.replace(/\//g, '\\')}`);
    for (const p of [config.mac.entitlements, config.mac.entitlementsInherit, config.deb.afterInstall, config.deb.afterRemove, 'resources/policy']) {
      expect(fs.existsSync(path.join(root, p)), p).toBe(true);
    }
    expect(fs.existsSync(path.join(root, 'resources', config.nsis.include))).toBe(true);
    // The deb's prerm comes through fpm's own option (electron-builder has no beforeRemove): the file exists and is
    // the one the lab test runs.
    const beforeRemove = (config.deb.fpm as string[]).map((a) => /^--before-remove=(.+)$/.exec(a)?.[1]).filter(Boolean);
    expect(beforeRemove).toEqual(['resources/linux/deb-prerm.sh']);
    expect(fs.existsSync(path.join(root, beforeRemove[0]!))).toBe(true);
    for (const script of ['preinstall', 'postinstall']) expect(fs.statSync(path.join(root, 'resources', config.pkg.scripts, script)).mode & 0o111).not.toBe(0);
  });

  // What each platform's extraResources take from the tree: checked-in files must exist; built files (dist/) must be
  // outputs of the build scripts — scripts/build-node.mjs (bundles) or scripts/build-helper-sea.mjs for THAT platform.
  const buildNodeOutputs = [...fs.readFileSync(path.join(root, 'scripts/build-node.mjs'), 'utf8').matchAll(/out: '([^']+)'/g)].map((m) => m[1]);
  // The Windows SCM host (mingw-w64): scripts/build-service-host.mjs's OUTPUT = path.join(ROOT, '…').
  const hostScript = path.join(root, 'scripts/build-service-host.mjs');
  const serviceHostOutputs = fs.existsSync(hostScript) ? [...fs.readFileSync(hostScript, 'utf8').matchAll(/export const OUTPUT = path\.join\(ROOT, '([^']+)'\)/g)].map((m) => m[1]) : [];
  const seaTargets = (platform: string) =>
    JSON.parse(execFileSync(process.execPath, [path.join(root, 'scripts/build-helper-sea.mjs'), '--print-targets', platform], { encoding: 'utf8' })) as { bundle: string; output: string }[];
  for (const [key, platform] of [['(all)', null], ['mac', 'darwin'], ['win', 'win32'], ['linux', 'linux']] as const) {
    it(`extraResources of ${key}: checked-in sources exist, built ones come from the build scripts`, () => {
      const list: { from: string; to: string }[] = (platform === null ? config.extraResources : config[key].extraResources) ?? [];
      const built = new Set([...buildNodeOutputs, ...(platform ? seaTargets(platform).map((t) => t.output) : []), ...(platform === 'win32' ? serviceHostOutputs : [])]);
      for (const r of list) {
        expect(r.to, r.from).not.toMatch(/^\/|\.\./);
        if (r.from.startsWith('dist/')) expect(built.has(r.from), `${r.from} is built by scripts/build-node.mjs, build-helper-sea.mjs or build-service-host.mjs (${platform})`).toBe(true);
        else expect(fs.existsSync(path.join(root, r.from)), r.from).toBe(true);
      }
    });
  }

  it('every OS ships the CLI single executable as resources/bin/longhaul, built from the release CLI bundle', () => {
    const cliBundle = buildNodeOutputs.find((o) => o === 'dist/cli/longhaul.cjs');
    expect(cliBundle, 'scripts/build-node.mjs bundles the CLI').toBeDefined();
    for (const [key, platform, to] of [['mac', 'darwin', 'bin/longhaul'], ['win', 'win32', 'bin/longhaul.exe'], ['linux', 'linux', 'bin/longhaul']] as const) {
      const cli = seaTargets(platform).filter((t) => (t as { kind?: string }).kind === 'cli');
      expect(cli.map((t) => t.bundle), platform).toEqual([cliBundle]);
      const shipped = (config[key].extraResources as { from: string; to: string }[]).filter((r) => r.from === cli[0]!.output);
      expect(shipped.map((r) => r.to), `${key}: ${cli[0]!.output}`).toEqual([to]);
    }
    // Windows: the console-subsystem check runs for the CLI (a GUI-subsystem binary gives IT no output, no exit code).
    expect(seaTargets('win32').find((t) => (t as { kind?: string }).kind === 'cli')).toMatchObject({ console: true });
  });

  it('every helper SEA is made from a bundle scripts/build-node.mjs builds', () => {
    for (const platform of ['darwin', 'win32', 'linux']) {
      for (const t of seaTargets(platform)) {
        expect(buildNodeOutputs, `${platform}: ${t.bundle}`).toContain(t.bundle);
      }
    }
  });

  it('the helper binaries get the JIT entitlements on macOS; the app itself only allow-jit', () => {
    const ents = (p: string) => parsePlist(fs.readFileSync(path.join(root, p), 'utf8')) as unknown as Record<string, boolean>;
    expect(ents(config.mac.entitlementsInherit)).toEqual({ 'com.apple.security.cs.allow-jit': true, 'com.apple.security.cs.allow-unsigned-executable-memory': true });
    expect(ents(config.mac.entitlements)).toEqual({ 'com.apple.security.cs.allow-jit': true });
    expect(config.mac.hardenedRuntime).toBe(true);
    // Universal pkg: each per-arch pack takes its own thin binaries (${arch}); @electron/universal lipo's them. The
    // same file in both packs would be refused unless x64ArchFiles covered it (and it would then be single-arch).
    for (const r of config.mac.extraResources.filter((x: { from: string }) => x.from.startsWith('dist/'))) expect(r.from).toContain('${arch}');
    expect(config.mac.x64ArchFiles).toBeUndefined();
  });

  it('carries no signing secret inline', () => {
    const secretish = /(password|secret|cscLink|cscKeyPassword|cscInstallerLink|certificateFile|certificateSha1|apiKey|appleId|teamId|identity)\s*:/i;
    const offending = text.split('\n').filter((l) => !l.trimStart().startsWith('#') && secretish.test(l));
    expect(offending).toEqual([]);
    expect(text).not.toMatch(/-----BEGIN|MII[A-Za-z0-9+/]{20}/);
  });
});

describe('deb maintainer scripts', () => {
  it('deb-prerm.sh takes no templates (fpm copies it as is) and is valid shell', () => {
    const src = fs.readFileSync(path.join(root, 'resources/linux/deb-prerm.sh'), 'utf8');
    expect(src).not.toMatch(/\$\{[a-zA-Z]+\}/);
    expect(src).not.toMatch(/\beval\b/);
    execFileSync('bash', ['-n', path.join(root, 'resources/linux/deb-prerm.sh')]);
  });

  it('the helper wrapper and its install script (extraResources, copied verbatim) are valid sh; postinst runs the script from where they land', () => {
    for (const f of ['longhaul-helper-wrapper.sh', 'helper-install.sh']) {
      execFileSync('sh', ['-n', path.join(root, 'resources/linux', f)]);
      expect(fs.statSync(path.join(root, 'resources/linux', f)).mode & 0o111).not.toBe(0);
    }
    const tos = Object.fromEntries(config.linux.extraResources.map((r: { from: string; to: string }) => [r.from, r.to]));
    expect(tos['resources/linux/longhaul-helper-wrapper.sh']).toBe('helper/longhaul-helper-wrapper.sh');
    expect(tos['resources/linux/helper-install.sh']).toBe('helper/helper-install.sh');
    const postinst = fs.readFileSync(path.join(root, 'resources/linux/deb-postinst.sh'), 'utf8');
    expect(postinst).toContain('sh "$RES/helper/helper-install.sh" "$RES"');
    // The CLI: /usr/bin/longhaul through cli-link.sh (lab-tested with the real update-alternatives: cli-sea.test.ts),
    // replacing electron-builder's default link of the app itself; the prerm takes it off from the same place.
    execFileSync('sh', ['-n', path.join(root, 'resources/linux/cli-link.sh')]);
    expect(fs.statSync(path.join(root, 'resources/linux/cli-link.sh')).mode & 0o111).not.toBe(0);
    expect(tos['resources/linux/cli-link.sh']).toBe('bin/cli-link.sh');
    expect(tos['dist/cli/longhaul']).toBe('bin/longhaul');
    expect(postinst).toContain('sh "$RES/bin/cli-link.sh" install "$RES" "$APP_DIR/$EXE"');
    expect(postinst, 'no second /usr/bin link of the app').not.toMatch(/update-alternatives --install|ln -sf/);
    const rendered = postinst.replace(/\$\{sanitizedProductName\}/g, 'Longhaul');
    const appDir = /^APP_DIR='([^']+)'$/m.exec(rendered)?.[1];
    expect(appDir).toBe(`/opt/${config.productName}`);
    const prerm = fs.readFileSync(path.join(root, 'resources/linux/deb-prerm.sh'), 'utf8');
    expect(prerm).toContain(`APP_RES=${appDir}/resources\n`);
    expect(prerm).toContain('sh "$APP_RES/bin/cli-link.sh" remove "$APP_RES"');
    const postrmCode = fs.readFileSync(path.join(root, 'resources/linux/deb-postrm.sh'), 'utf8').split('\n').filter((l) => !l.trimStart().startsWith('#')).join('\n');
    expect(postrmCode, 'postrm leaves /usr/bin/longhaul to the prerm').not.toMatch(/update-alternatives|\/usr\/bin\/(longhaul|\$EXE)/);
    const install = fs.readFileSync(path.join(root, 'resources/linux/helper-install.sh'), 'utf8');
    expect(install).toContain('"$RES/helper/longhaul-helper-wrapper.sh" "$HELPER_DIR/longhaul-helper.new"');
    // The wrapper keeps pkexec's PKEXEC_UID (issue 13.1; lab-tested under the real pkexec: polkit-wrapper.test.ts).
    expect(fs.readFileSync(path.join(root, 'resources/linux/longhaul-helper-wrapper.sh'), 'utf8')).toContain('"PKEXEC_UID=$PKEXEC_UID"');
  });

  const allowed = new Set(['executable', 'sanitizedProductName', 'productFilename']);
  for (const name of ['deb-postinst.sh', 'deb-postrm.sh']) {
    it(`${name} uses only electron-builder's template macros and is valid shell once rendered`, () => {
      const src = fs.readFileSync(path.join(root, 'resources/linux', name), 'utf8');
      const macros = [...src.matchAll(/\$\{([a-zA-Z]+)\}/g)].map((m) => m[1]);
      expect(macros.filter((m) => !allowed.has(m as string))).toEqual([]);
      // Render the way app-builder-lib's FpmTarget does, then let bash parse it.
      const rendered = src.replace(/\$\{([a-zA-Z]+)\}/g, (_m, k: string) => (k === 'executable' ? 'longhaul' : 'Longhaul'));
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'longhaul-deb-'));
      try {
        const file = path.join(dir, name);
        fs.writeFileSync(file, rendered);
        execFileSync('bash', ['-n', file]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
