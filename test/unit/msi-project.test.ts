/**
 * scripts/msi-project.cjs (the electron-builder `msiProjectCreated` hook) on electron-builder's REAL MSI project:
 * app-builder-lib's own MsiTarget.writeManifest renders templates/msi/template.xml (its ejs rendering, its file
 * walk over a staged app directory) with the msi/win options of electron-builder.yml; the packager around it is a
 * minimal stand-in (real AppInfo, no icon), since a real packager needs a Windows build. The hook is loaded the way
 * electron-builder loads it (resolveFunction with the yml's value). The commands it adds are compared with
 * resources/windows/installer.nsh, parsed here, so the two installers cannot drift.
 * UNVERIFIED: WiX candle/light and msiexec (no Windows, no WiX here).
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parse as parseYaml } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const req = createRequire(path.join(ROOT, 'package.json'));
type Hook = ((projectFile: string) => Promise<void>) & { rewriteWxs: (xml: string, file?: string) => string };
const hook = req('./scripts/msi-project.cjs') as Hook;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- free-form YAML, read field by field
const builderConfig: any = parseYaml(fs.readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8'));
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, string>;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'msi-project-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A staged win-unpacked directory, as electron-builder's MSI target walks it. */
function stageApp(withHelper: boolean, withCli = withHelper): string {
  const dir = fs.mkdtempSync(path.join(tmp, 'app-'));
  const files = ['longhaul.exe', 'LICENSE.electron.txt', 'resources/app.asar', 'locales/en-US.pak',
    'resources/policy-templates/windows/Longhaul.admx'];
  if (withHelper) files.push('resources/helper/longhaul-helperd.exe', 'resources/helper/longhaul-service.exe');
  if (withCli) files.push('resources/bin/longhaul.exe');
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), 'x');
  }
  return dir;
}

/** electron-builder's own rendering of its MSI template (MsiTarget.writeManifest). */
async function renderProject(msiOverrides: Record<string, unknown> = {}, withHelper = true, withCli = withHelper): Promise<string> {
  req('app-builder-lib'); // loads the package index first (its modules are circular)
  const MsiTarget = req('app-builder-lib/out/targets/MsiTarget').default;
  const { AppInfo } = req('app-builder-lib/out/appInfo');
  const { getEffectiveOptions } = req('app-builder-lib/out/options/CommonWindowsInstallerConfiguration');
  const { Arch } = req('builder-util');
  const config = { ...builderConfig, msi: { ...builderConfig.msi, ...msiOverrides } };
  const info = { metadata: { name: pkg.name, version: pkg.version, description: pkg.description, author: { name: pkg.author } },
    config, framework: { defaultAppIdPrefix: 'com.electron.' } };
  const appInfo = new AppInfo(info, null, config.win);
  const packager = { config, platformSpecificBuildOptions: config.win, appInfo, compression: 'normal',
    fileAssociations: [], getIconPath: async () => null, expandMacro: (s: string) => s };
  const target = new MsiTarget(packager, tmp);
  return target.writeManifest(stageApp(withHelper, withCli), Arch.x64, getEffectiveOptions(target.options, packager));
}

interface Action { Id: string; Directory: string; ExeCommand: string; Execute: string; Impersonate: string; Return: string }
interface Custom { Action: string; After?: string; Before?: string; '#text': string }
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false,
  isArray: (name, _path, _leaf, isAttribute) => !isAttribute && ['CustomAction', 'Custom', 'InstallExecuteSequence', 'Directory', 'Component', 'ComponentGroup',
    'ComponentGroupRef'].includes(name) });
function parseProject(xml: string) {
  const product = parser.parse(xml).Wix.Product;
  const actions = new Map<string, Action>((product.CustomAction ?? []).map((a: Action) => [a.Id, a]));
  const customs: Custom[] = (product.InstallExecuteSequence ?? []).flatMap((s: { Custom?: Custom[] }) => s.Custom ?? []);
  return { product, actions, customs };
}
/** Follows After= (or Before=) links from a standard action: the chain in the direction away from it. */
function chainFrom(customs: Custom[], anchor: string, rel: 'After' | 'Before'): string[] {
  const out: string[] = [];
  for (let at = anchor; ;) {
    const next = customs.filter((c) => c[rel] === at && c.Action.startsWith('Longhaul'));
    if (next.length === 0) return out;
    expect(next, `one action ${rel} ${at}`).toHaveLength(1);
    at = next[0].Action;
    out.push(at);
  }
}

/** installer.nsh, translated to MSI formatted text: folders and commands of each macro, in order. */
const nsh = fs.readFileSync(path.join(ROOT, 'resources/windows/installer.nsh'), 'utf8');
function macro(name: string): { folders: string[]; commands: string[]; path: string[] } {
  const body = new RegExp(`!macro ${name}\\n([\\s\\S]*?)!macroend`).exec(nsh)?.[1];
  if (!body) throw new Error(`installer.nsh: no macro ${name}`);
  const folders = [...body.matchAll(/CreateDirectory "\$COMMONAPPDATA\\Longhaul\\(\w+)"/g)].map((m) => m[1]);
  const commands = [...body.matchAll(/nsExec::ExecToLog '(.*)'/g)].map((m) => m[1]
    .replaceAll('$SYSDIR\\', '[System64Folder]')
    .replaceAll('$COMMONAPPDATA\\', '[CommonAppDataFolder]')
    .replaceAll('$INSTDIR\\', '[APPLICATIONFOLDER]'));
  for (const c of commands) expect(c, 'every NSIS variable translated').not.toContain('$');
  // The machine-PATH edit for the CLI: the MSI does it with its Environment table instead of a command.
  const isPath = (c: string) => / path-(add|remove)$/.test(c);
  return { folders, commands: commands.filter((c) => !isPath(c)), path: commands.filter(isPath) };
}
const nshInstall = macro('customInstall');
const nshUninstall = macro('customUnInstall');
const UNINSTALL_CONDITION = 'REMOVE="ALL" AND NOT UPGRADINGPRODUCTCODE';

const variants: Array<[string, Record<string, unknown>]> = [
  ['electron-builder.yml as is (no InstallExecuteSequence in the template)', {}],
  ['runAfterFinish (the template has its own InstallExecuteSequence)', { runAfterFinish: true }],
  ['assisted (oneClick false: UI, no sequence)', { oneClick: false, runAfterFinish: true }],
];

describe('msi-project hook on electron-builder’s rendered MSI template', () => {
  it('installer.nsh parses into the expected steps (the comparison below has teeth)', () => {
    expect(nshInstall.folders).toEqual(['Sites', 'service', 'access']);
    expect(nshInstall.commands).toHaveLength(4);
    expect(nshUninstall.commands).toHaveLength(2);
    expect(nshInstall.path).toEqual(['"[APPLICATIONFOLDER]resources\\helper\\longhaul-service.exe" path-add']);
    expect(nshUninstall.path).toEqual(['"[APPLICATIONFOLDER]resources\\helper\\longhaul-service.exe" path-remove']);
    // Both broadcast the change, after the edit.
    for (const m of ['customInstall', 'customUnInstall']) {
      const body = new RegExp(`!macro ${m}\\n([\\s\\S]*?)!macroend`).exec(nsh)![1]!;
      expect(body.indexOf('SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment"')).toBeGreaterThan(body.indexOf(' path-'));
    }
  });

  for (const [name, overrides] of variants) {
    it(`adds the folders, ACLs and service actions: ${name}`, async () => {
      const rendered = await renderProject(overrides);
      expect(rendered).toContain('<Directory Id="APPLICATIONFOLDER"'); // the install-directory Id the hook uses
      const xml = hook.rewriteWxs(rendered);
      expect(XMLValidator.validate(xml)).toBe(true);
      const { product, actions, customs } = parseProject(xml);

      // Folders: CommonAppDataFolder\Longhaul\<nsh folders>, as permanent CreateFolder components in the feature.
      const targetDir = product.Directory.find((d: { Id: string }) => d.Id === 'TARGETDIR');
      const common = targetDir.Directory.find((d: { Id: string }) => d.Id === 'CommonAppDataFolder');
      expect(common.Directory[0].Name).toBe('Longhaul');
      const dirs: Array<{ Id: string; Name: string }> = common.Directory[0].Directory;
      expect(dirs.map((d) => d.Name)).toEqual(nshInstall.folders);
      const group = product.ComponentGroup.find((g: { Id: string }) => g.Id === 'LonghaulDataFolders');
      expect(group.Component.map((c: { Directory: string }) => c.Directory)).toEqual(dirs.map((d) => d.Id));
      for (const c of group.Component) {
        expect(c).toMatchObject({ Permanent: 'yes', Guid: expect.stringMatching(/^\{[0-9A-F-]{36}\}$/), CreateFolder: '' });
      }
      expect(product.Feature.ComponentGroupRef.map((r: { Id: string }) => r.Id)).toContain('LonghaulDataFolders');

      // Install: after InstallFiles, the three ACLs then the service install (rollback twin just before it).
      const install = chainFrom(customs, 'InstallFiles', 'After');
      expect(install).toEqual(['LonghaulAclSites', 'LonghaulAclService', 'LonghaulAclAccess',
        'LonghaulServiceInstallRollback', 'LonghaulServiceInstall']);
      const forward = install.filter((id) => id !== 'LonghaulServiceInstallRollback');
      expect(forward.map((id) => actions.get(id)?.ExeCommand)).toEqual(nshInstall.commands);
      expect(forward.map((id) => actions.get(id)?.Return)).toEqual(['check', 'check', 'check', 'check']);
      const rollback = actions.get('LonghaulServiceInstallRollback');
      expect(rollback).toMatchObject({ Execute: 'rollback', Return: 'ignore', ExeCommand: nshUninstall.commands[1] });

      // Uninstall: --down-all, then the service's removal, right before RemoveFiles.
      const uninstall = chainFrom(customs, 'RemoveFiles', 'Before').reverse();
      expect(uninstall).toEqual(['LonghaulDownAll', 'LonghaulServiceUninstall']);
      expect(uninstall.map((id) => actions.get(id)?.ExeCommand)).toEqual(nshUninstall.commands);
      expect(uninstall.map((id) => actions.get(id)?.Return)).toEqual(['ignore', 'ignore']);
      expect(actions.get('LonghaulServiceInstall')?.ExeCommand).toBe(
        '"[APPLICATIONFOLDER]resources\\helper\\longhaul-service.exe" install');

      for (const id of [...forward, ...uninstall]) {
        expect(actions.get(id)).toMatchObject({ Execute: 'deferred', Impersonate: 'no', Directory: 'APPLICATIONFOLDER' });
      }
      const condition = (id: string) => customs.find((c) => c.Action === id)?.['#text'];
      for (const id of forward) expect(condition(id)).toBe('NOT REMOVE');
      // Tunnels stay up across an upgrade; the old service is stopped and removed (the new version registers it).
      expect(condition('LonghaulDownAll')).toBe(UNINSTALL_CONDITION);
      expect(condition('LonghaulServiceUninstall')).toBe('REMOVE="ALL"');
      expect(uninstall).toEqual(expect.arrayContaining(['LonghaulDownAll', 'LonghaulServiceUninstall']));
      expect(condition('LonghaulServiceInstallRollback')).toBe('NOT Installed AND NOT REMOVE AND NOT WIX_UPGRADE_DETECTED');
      // The template's own action survives where it had one.
      if (overrides.runAfterFinish && overrides.oneClick !== false) expect(condition('runAfterFinish')).toBeDefined();
      expect(product.InstallExecuteSequence ?? [], 'one sequence element').toHaveLength(1);

      // The CLI's folder on the system PATH: appended on install, that part removed on uninstall (Windows Installer's
      // Environment table), the folder where win.extraResources puts longhaul.exe and NSIS's path-add puts it
      // (..\bin from resources\helper).
      const cliTo = (builderConfig.win.extraResources as { from: string; to: string }[]).find((r) => r.from === 'dist/cli/longhaul.exe')?.to;
      expect(cliTo).toBe('bin/longhaul.exe');
      const cliGroup = product.ComponentGroup.find((g: { Id: string }) => g.Id === 'LonghaulCli');
      expect(cliGroup.Component).toHaveLength(1);
      expect(cliGroup.Component[0]).toMatchObject({ Id: 'LonghaulCliPath', Directory: 'APPLICATIONFOLDER', Guid: expect.stringMatching(/^\{[0-9A-F-]{36}\}$/), CreateFolder: '' });
      expect(cliGroup.Component[0].Permanent).toBeUndefined();
      expect(cliGroup.Component[0].Environment).toEqual({ Id: 'LonghaulCliPathEnv', Name: 'PATH', Value: `[APPLICATIONFOLDER]resources\\${path.posix.dirname(cliTo!)}`,
        Action: 'set', Part: 'last', System: 'yes', Permanent: 'no' });
      expect(product.Feature.ComponentGroupRef.map((r: { Id: string }) => r.Id)).toContain('LonghaulCli');

      // Idempotent: a second run changes nothing.
      expect(hook.rewriteWxs(xml)).toBe(xml);
    });
  }

  it('runs as electron-builder runs it: resolved from electron-builder.yml, rewrites project.wxs in place', async () => {
    expect(builderConfig.msiProjectCreated).toBe('scripts/msi-project.cjs');
    const { resolveFunction } = req('app-builder-lib/out/util/resolve');
    const cwd = process.cwd();
    process.chdir(ROOT); // electron-builder runs in the project directory
    let fn: (file: string) => Promise<void>;
    try {
      fn = await resolveFunction('msi', builderConfig.msiProjectCreated, 'msiProjectCreated', ROOT);
    } finally {
      process.chdir(cwd);
    }
    const dir = fs.mkdtempSync(path.join(tmp, 'stage-'));
    const file = path.join(dir, 'project.wxs');
    const rendered = await renderProject();
    fs.writeFileSync(file, rendered);
    await fn(file);
    await fn(file);
    const once = hook.rewriteWxs(rendered);
    expect(fs.readFileSync(file, 'utf8')).toBe(once);
    expect(fs.readdirSync(dir)).toEqual(['project.wxs']); // no temp file left behind
    expect(once.match(/<CustomAction Id="LonghaulServiceInstall"/g)).toHaveLength(1);
  });
});

describe('msi-project hook refuses what it does not understand', () => {
  const cases: Array<[string, (xml: string) => string, RegExp]> = [
    ['no <Product> (e.g. a WiX 4-final <Package> template)', (x) => x.replace(/<Product\b/, '<Package2').replace('</Product>', '</Package2>'),
      /expected exactly one <Product> element, found 0/],
    ['no TARGETDIR', (x) => x.replace('Id="TARGETDIR"', 'Id="ROOTDIR"'), /<Directory Id="TARGETDIR"> opening tag, found 0/],
    ['another install-directory Id', (x) => x.replaceAll('APPLICATIONFOLDER', 'INSTALLDIR'), /install directory <Directory Id="APPLICATIONFOLDER">/],
    ['no product feature', (x) => x.replace('Id="ProductFeature"', 'Id="Main"'), /<Feature Id="ProductFeature">/],
    ['an InstallExecuteSequence it cannot extend', (x) => x.replace('</Product>', '<InstallExecuteSequence/></Product>'),
      /expected at most one plain <InstallExecuteSequence>/],
    ['malformed XML', (x) => x.replace('</Product>', ''), /not well-formed XML/],
  ];
  for (const [name, mutate, message] of cases) {
    it(`fails loudly: ${name}`, async () => {
      const bad = mutate(await renderProject());
      expect(() => hook.rewriteWxs(bad, 'C:\\stage\\project.wxs')).toThrow(message);
      expect(() => hook.rewriteWxs(bad, 'C:\\stage\\project.wxs')).toThrow(/C:\\stage\\project\.wxs: .*update scripts\/msi-project\.cjs/s);
    });
  }

  it('fails loudly when the package has no helper executables, and leaves the project file untouched', async () => {
    const rendered = await renderProject({}, false);
    const file = path.join(fs.mkdtempSync(path.join(tmp, 'stage-')), 'project.wxs');
    fs.writeFileSync(file, rendered);
    await expect(hook(file)).rejects.toThrow(/has no resources\\helper\\longhaul-service\.exe.*npm run build:helper-bin/s);
    expect(fs.readFileSync(file, 'utf8')).toBe(rendered);
  });

  it('fails loudly when the package has no CLI (resources\\bin\\longhaul.exe)', async () => {
    const rendered = await renderProject({}, true, false);
    expect(() => hook.rewriteWxs(rendered)).toThrow(/has no resources\\bin\\longhaul\.exe, so the MSI could not install the longhaul CLI/);
  });
});
