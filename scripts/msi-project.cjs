'use strict';
/**
 * electron-builder `msiProjectCreated` hook (electron-builder.yml): the MSI counterpart of
 * resources/windows/installer.nsh, which electron-builder's MSI target cannot include. electron-builder renders
 * app-builder-lib/templates/msi/template.xml to <stage>/project.wxs, calls this hook with that path, then runs
 * candle/light (its vendored wix-4.0.0.5512.2: WiX v4 namespace, WiX 3-style inner-text conditions, as the template's
 * own runAfterFinish action shows). This rewrites the .wxs in place (atomic) to add, in installer.nsh's order:
 *   install   (condition NOT REMOVE: first install, repair and upgrade; both steps are idempotent)
 *     - %ProgramData%\Longhaul\{Sites,service,access}: Permanent CreateFolder components (kept on uninstall, like
 *       the NSIS uninstaller keeps them), then `icacls /inheritance:r /grant:r` with the SIDs of installer.nsh
 *       (Return="check", unlike NSIS: a folder left with ProgramData's inherited ACL must fail the install);
 *     - "[APPLICATIONFOLDER]resources\helper\longhaul-service.exe" install (Return="check": a failure fails the
 *       install), with a rollback twin (`uninstall`) so a failed first install leaves no service behind;
 *   the CLI  resources\bin (longhaul.exe, a console program) appended to the system PATH by an Environment element
 *             (its own component, in the product's feature), removed again on uninstall by Windows Installer itself;
 *   uninstall (--down-all: REMOVE="ALL" AND NOT UPGRADINGPRODUCTCODE, never while a newer version replaces this one;
 *             the service's own uninstall: REMOVE="ALL", so an upgrade stops the old service before its files go)
 *     - longhaul-helperd.exe --down-all, then longhaul-service.exe uninstall (Return="ignore"), before RemoveFiles.
 * All custom actions are deferred and not impersonated (they run as LocalSystem inside the install transaction).
 * APPLICATIONFOLDER is the template's install-directory Id. Paths passed to icacls never end in a backslash (a
 * trailing `\"` would escape the closing quote), so the folders are spelled [CommonAppDataFolder]Longhaul\<name>.
 * The hook fails loudly when the project does not have the shape it expects (template changed) or the package lacks
 * the helper executables or the CLI, instead of producing an MSI that installs without the tunnel service or the CLI.
 * Verified: test/unit/msi-project.test.ts (renders electron-builder's real template; commands parsed from
 * installer.nsh). UNVERIFIED: candle/light and msiexec (no Windows here).
 */
const fs = require('node:fs');
const { XMLValidator } = require('fast-xml-parser');
const { writeFileAtomic } = require('./lib/commit-file.cjs');

const INSTALL_DIR = 'APPLICATIONFOLDER';
const HELPER = `[${INSTALL_DIR}]resources\\helper\\`;
const ICACLS = '"[System64Folder]icacls.exe"';
const ADMIN_ONLY = '*S-1-5-18:(OI)(CI)F *S-1-5-32-544:(OI)(CI)F'; // SYSTEM, Administrators
// The component GUIDs must never change (MSI component rules); they were generated once for these folders.
const FOLDERS = [
  { name: 'Sites', id: 'LonghaulSitesDir', guid: 'EC998981-B5E7-4157-AB2B-887DF310AB5B', grants: ADMIN_ONLY },
  { name: 'service', id: 'LonghaulServiceDir', guid: 'D60B638D-EC97-4509-8E78-E540E12CA311', grants: ADMIN_ONLY },
  { name: 'access', id: 'LonghaulAccessDir', guid: '9FD2B974-100A-4F59-85B5-A897D61F87B3', grants: `${ADMIN_ONLY} *S-1-5-4:(OI)(CI)RX` },
];
const INSTALL_CONDITION = 'NOT REMOVE';
const UNINSTALL_CONDITION = 'REMOVE="ALL" AND NOT UPGRADINGPRODUCTCODE';

/** Custom actions in run order: INSTALL chains After InstallFiles, UNINSTALL (reversed) Before RemoveFiles. */
const INSTALL = [
  ...FOLDERS.map((f) => ({
    id: `LonghaulAcl${f.name[0].toUpperCase()}${f.name.slice(1)}`,
    cmd: `${ICACLS} "[CommonAppDataFolder]Longhaul\\${f.name}" /inheritance:r /grant:r ${f.grants}`,
    ret: 'check', // a folder that keeps ProgramData's inherited ACL (Users may create files) must fail the install
  })),
  { id: 'LonghaulServiceInstallRollback', cmd: `"${HELPER}longhaul-service.exe" uninstall`, ret: 'ignore', execute: 'rollback',
    condition: 'NOT Installed AND NOT REMOVE AND NOT WIX_UPGRADE_DETECTED' },
  { id: 'LonghaulServiceInstall', cmd: `"${HELPER}longhaul-service.exe" install`, ret: 'check' },
];
const UNINSTALL = [
  { id: 'LonghaulDownAll', cmd: `"${HELPER}longhaul-helperd.exe" --down-all`, ret: 'ignore' },
  // Also when a newer version replaces this one: MajorUpgrade's default schedule (afterInstallValidate) removes the old
  // product before the new files land, so the running service is stopped (no files in use) and the new product's
  // `install` registers it again. Tunnels stay up across an upgrade (LonghaulDownAll keeps the stricter condition).
  { id: 'LonghaulServiceUninstall', cmd: `"${HELPER}longhaul-service.exe" uninstall`, ret: 'ignore', condition: 'REMOVE="ALL"' },
];
// The CLI's folder on the machine PATH: WiX's Environment element (the MSI's Environment table), appended (Part last)
// to the system PATH on install and that part removed again on uninstall (Permanent no), by Windows Installer's own
// WriteEnvironmentStrings / RemoveEnvironmentStrings, which also broadcast the change. (NSIS has no such table:
// installer.nsh runs `longhaul-service.exe path-add`.) Docs: WiX Environment element (docs.firegiant.com/wix3/xsd/wix/
// environment), Windows Installer Environment table and RemoveEnvironmentStrings action (learn.microsoft.com).
const CLI_DIR = `[${INSTALL_DIR}]resources\\bin`;
const CLI_PATH = { group: 'LonghaulCli', component: 'LonghaulCliPath', env: 'LonghaulCliPathEnv', guid: '5B0C3E52-8C1D-4E43-9F6A-2D7B1A4C9E31' };
const REQUIRED_FILES = [['helper', 'longhaul-service.exe'], ['helper', 'longhaul-helperd.exe'], ['bin', 'longhaul.exe']];
const OUR_IDS = ['CommonAppDataFolder', 'LonghaulDataDir', 'LonghaulDataFolders', ...FOLDERS.map((f) => f.id),
  ...[...INSTALL, ...UNINSTALL].map((a) => a.id), CLI_PATH.group, CLI_PATH.component, CLI_PATH.env];

const text = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const attr = (s) => text(s).replace(/"/g, '&quot;');
const block = (part, indent, lines) =>
  [`\n${indent}<!-- longhaul:${part} begin (scripts/msi-project.cjs) -->`, ...lines.map((l) => `${indent}${l}`),
    `${indent}<!-- longhaul:${part} end -->`].join('\n');
const OUR_BLOCKS = /\n[ \t]*<!-- longhaul:([a-z-]+) begin [^>]*-->[\s\S]*?<!-- longhaul:\1 end -->/g;

function shapeError(file, what) {
  return new Error(
    `scripts/msi-project.cjs: ${file}: ${what}. electron-builder's MSI template (app-builder-lib/templates/msi/` +
      'template.xml) no longer has the shape this hook expects; update scripts/msi-project.cjs and ' +
      'test/unit/msi-project.test.ts for it rather than shipping an MSI without the Longhaul tunnel service.',
  );
}

/** The single match of `re` (global) in `xml`, or a clear error naming the file and what is missing/duplicated. */
function one(xml, re, what, file) {
  const all = [...xml.matchAll(re)];
  if (all.length !== 1) throw shapeError(file, `expected exactly one ${what}, found ${all.length}`);
  return all[0];
}

function lineOf(xml, index) {
  return xml.slice(0, index).split('\n').length;
}

/** Pure: the rewritten project text. Idempotent (our earlier blocks are removed first, then added again). */
function rewriteWxs(input, file = 'project.wxs') {
  const valid = XMLValidator.validate(input);
  if (valid !== true) throw shapeError(file, `not well-formed XML (line ${valid.err.line}: ${valid.err.msg})`);
  let xml = input.replace(OUR_BLOCKS, '');
  one(xml, /<Product\b[^>]*>/g, '<Product> element', file);
  one(xml, new RegExp(`<Directory Id="${INSTALL_DIR}"`, 'g'), `install directory <Directory Id="${INSTALL_DIR}">`, file);
  for (const id of OUR_IDS) {
    const foreign = xml.indexOf(`Id="${id}"`);
    if (foreign >= 0) throw shapeError(file, `line ${lineOf(xml, foreign)} already defines Id "${id}", which this hook adds`);
  }
  for (const [dir, exe] of REQUIRED_FILES) {
    if (!new RegExp(`Source="[^"]*[\\\\/]resources[\\\\/]${dir}[\\\\/]${exe.replace('.', '\\.')}"`).test(xml)) {
      throw new Error(
        `scripts/msi-project.cjs: ${file}: the package has no resources\\${dir}\\${exe}, so the MSI could not install ` +
          `${dir === 'bin' ? 'the longhaul CLI' : 'the tunnel service'}. Build the Windows binaries first on the release machine (npm run build:helper-bin and ` +
          'npm run build:service-host, see docs/deployment.md), then run electron-builder again.',
      );
    }
  }

  // 1. ProgramData folders, inside TARGETDIR.
  const target = one(xml, /<Directory Id="TARGETDIR"[^>]*[^/]>/g, '<Directory Id="TARGETDIR"> opening tag', file);
  const dirs = block('folders', '      ', [
    '<Directory Id="CommonAppDataFolder">',
    '  <Directory Id="LonghaulDataDir" Name="Longhaul">',
    ...FOLDERS.map((f) => `    <Directory Id="${f.id}" Name="${f.name}"/>`),
    '  </Directory>',
    '</Directory>',
  ]);
  let at = target.index + target[0].length;
  xml = xml.slice(0, at) + dirs + xml.slice(at);

  // 2. Their components, in the product's feature.
  const feature = one(xml, /<Feature Id="ProductFeature"[^>]*[^/]>/g, '<Feature Id="ProductFeature"> opening tag', file);
  at = feature.index + feature[0].length;
  xml = xml.slice(0, at) + block('feature', '      ', ['<ComponentGroupRef Id="LonghaulDataFolders"/>', `<ComponentGroupRef Id="${CLI_PATH.group}"/>`]) + xml.slice(at);

  // 3. Components and custom actions before </Product>; sequence entries into the existing sequence or a new one.
  const chain = (actions, rel, anchor, condition) =>
    actions.map((a, i) => `<Custom Action="${a.id}" ${rel}="${i === 0 ? anchor : actions[i - 1].id}">` +
      `${text(a.condition ?? condition)}</Custom>`);
  const custom = [
    ...chain(INSTALL, 'After', 'InstallFiles', INSTALL_CONDITION),
    ...chain(UNINSTALL.slice().reverse(), 'Before', 'RemoveFiles', UNINSTALL_CONDITION),
  ];
  const defs = [
    '<ComponentGroup Id="LonghaulDataFolders">',
    ...FOLDERS.map((f) => `  <Component Id="${f.id}" Directory="${f.id}" Guid="{${f.guid}}" Permanent="yes"><CreateFolder/></Component>`),
    '</ComponentGroup>',
    `<ComponentGroup Id="${CLI_PATH.group}">`,
    `  <Component Id="${CLI_PATH.component}" Directory="${INSTALL_DIR}" Guid="{${CLI_PATH.guid}}"><CreateFolder/>` +
      `<Environment Id="${CLI_PATH.env}" Name="PATH" Value="${attr(CLI_DIR)}" Action="set" Part="last" System="yes" Permanent="no"/></Component>`,
    '</ComponentGroup>',
    ...[...INSTALL, ...UNINSTALL].map((a) => `<CustomAction Id="${a.id}" Directory="${INSTALL_DIR}" ExeCommand="${attr(a.cmd)}" ` +
      `Execute="${a.execute ?? 'deferred'}" Impersonate="no" Return="${a.ret}"/>`),
  ];
  const sequences = [...xml.matchAll(/<InstallExecuteSequence\b[^>]*>/g)];
  if (sequences.length > 1 || (sequences.length === 1 && sequences[0][0] !== '<InstallExecuteSequence>')) {
    throw shapeError(file, `line ${lineOf(xml, sequences[0].index)}: expected at most one plain <InstallExecuteSequence>`);
  }
  if (sequences.length === 1) {
    at = sequences[0].index + sequences[0][0].length;
    xml = xml.slice(0, at) + block('sequence', '          ', custom) + xml.slice(at);
  } else {
    defs.push('<InstallExecuteSequence>', ...custom.map((c) => `  ${c}`), '</InstallExecuteSequence>');
  }
  const close = one(xml, /\n[ \t]*<\/Product>/g, '</Product> closing tag', file);
  xml = xml.slice(0, close.index) + block('actions', '    ', defs) + xml.slice(close.index);

  const check = XMLValidator.validate(xml);
  if (check !== true) throw shapeError(file, `the rewritten project is not well-formed (line ${check.err.line}: ${check.err.msg})`);
  return xml;
}

/** The hook electron-builder calls with the path of the generated project.wxs. */
async function msiProjectCreated(projectFile) {
  const input = fs.readFileSync(projectFile, 'utf8');
  writeFileAtomic(projectFile, rewriteWxs(input, projectFile));
}

module.exports = msiProjectCreated;
module.exports.rewriteWxs = rewriteWxs;
