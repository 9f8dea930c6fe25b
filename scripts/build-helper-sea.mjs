// Builds the privileged tunnel helper bundles and the `longhaul` CLI into Node single-executable applications (SEA)
// for the CURRENT platform, so every installer ships programs that carry their own runtime (no OS has a suitable
// Node: macOS none, Windows none, Ubuntu 22.04 Node 12). Electron cannot run the bundles: its runAsNode fuse is off
// (electron-builder.yml), and a Windows GUI app has no console for the CLI.
//
//   node scripts/build-helper-sea.mjs                       every default target of this platform (TARGETS below)
//   node scripts/build-helper-sea.mjs BUNDLE.cjs OUTPUT     one bundle (".exe" is appended on Windows)
//   node scripts/build-helper-sea.mjs --print-targets [darwin|win32|linux]   the default targets as JSON (tests, docs)
//   option --node PATH: inject into that Node binary (same version as this Node) instead of the one running this
//   script — on macOS the other architecture's Node (e.g. node-v22.x-darwin-x64 under Rosetta on Apple silicon):
//   outputs for macOS go to dist/helper/mac-<arch of that node>/ and dist/cli/mac-<arch>/ (electron-builder.yml: mac-${arch}).
//
// Steps (Node 22 "Single executable applications": https://nodejs.org/docs/latest-v22.x/api/single-executable-applications.html):
// a sea-config.json (useSnapshot false, useCodeCache false, disableExperimentalSEAWarning) → `node
// --experimental-sea-config` writes the preparation blob → a copy of the node binary → (macOS: `codesign
// --remove-signature`) → postject injects NODE_SEA_BLOB (ELF note / PE resource / Mach-O section in segment NODE_SEA)
// and flips the sentinel fuse → (macOS: `codesign --sign -`, ad hoc; electron-builder re-signs it with the Developer
// ID and the hardened runtime) → atomic rename onto OUTPUT. Cost: ~3 s and ~125 MB per binary, so it is NOT part of
// `npm run build`; the release job runs `npm run build:helper-bin` before packaging.
// Windows console: the CLI must be a console-subsystem program (IT runs it from cmd, PowerShell and Intune scripts and
// reads its stdout and exit code). A SEA is a copy of node.exe plus a resource added by postject, and node.exe is
// linked as a console executable (nodejs/node common.gypi: executables get VCLinkerTool SubSystem 1, i.e.
// /SUBSYSTEM:CONSOLE), so the SEA is one too; targets marked `console` are checked after injection (PE optional
// header Subsystem = 3, IMAGE_SUBSYSTEM_WINDOWS_CUI) and the build fails otherwise.
// Environment: plain Node tool; no shell (spawnSync with argument arrays).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import commit from './lib/commit-file.cjs';

const { commitFile } = commit;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const POSTJECT = path.join(ROOT, 'node_modules/postject/dist/cli.js');

// What ships per OS (electron-builder.yml extraResources): macOS the argv helper (`longhaul-helper up|down|status`)
// and the launchd daemon; Windows the daemon the SCM host runs; Linux the argv helper behind its polkit wrapper. Every
// OS also gets the CLI (`kind: 'cli'`, from src-main/cli/entry.ts), which each installer puts on PATH
// (docs/deployment.md). The daemon bundle comes from src-main/helper/daemon-main.ts.
// macOS outputs carry electron-builder's `${arch}` macro, spelled as in electron-builder.yml: a universal pkg packs
// the app once per architecture, each with its own thin binaries, and @electron/universal lipo's them together.
const HELPER = { kind: 'helper', bundle: 'dist/helper/longhaul-helper.cjs', output: 'dist/helper/longhaul-helper' };
const DAEMON = { kind: 'helper', bundle: 'dist/helper/longhaul-helperd.cjs', output: 'dist/helper/longhaul-helperd' };
const CLI = { kind: 'cli', bundle: 'dist/cli/longhaul.cjs', output: 'dist/cli/longhaul' };
const MAC_DIR = 'dist/helper/mac-${arch}';
export const TARGETS = {
  darwin: [
    { ...HELPER, output: `${MAC_DIR}/longhaul-helper` },
    { ...DAEMON, output: `${MAC_DIR}/longhaul-helperd` },
    { ...CLI, output: 'dist/cli/mac-${arch}/longhaul' },
  ],
  win32: [{ ...DAEMON, output: `${DAEMON.output}.exe` }, { ...CLI, output: `${CLI.output}.exe`, console: true }],
  linux: [HELPER, CLI],
};

export const PE_SUBSYSTEM = { gui: 2, console: 3 };

/** The Subsystem field of a PE image's optional header (2 GUI, 3 console), or null when `bytes` is not a PE image. */
export function peSubsystem(bytes) {
  if (bytes.length < 0x40 || bytes.toString('latin1', 0, 2) !== 'MZ') return null;
  const pe = bytes.readUInt32LE(0x3c);
  if (pe + 24 + 70 > bytes.length || bytes.toString('latin1', pe, pe + 4) !== 'PE\0\0') return null;
  // 4-byte signature, 20-byte COFF header, then the optional header: Subsystem at offset 68 in PE32 and PE32+ alike.
  return bytes.readUInt16LE(pe + 24 + 68);
}

class BuildError extends Error {}

/** The architecture of the Node binary to inject into (this one, or --node PATH: same version required). */
function nodeArch(node) {
  if (!node) return process.arch;
  const [v, arch] = run(node, ['-p', 'process.version + " " + process.arch'], `checking --node ${node}`).trim().split(' ');
  if (v !== process.version) throw new BuildError(`--node ${node} is Node ${v}; the blob is made by Node ${process.version} and must match. Use a ${process.version} binary.`);
  return arch;
}

function usage() {
  return 'usage: node scripts/build-helper-sea.mjs [BUNDLE.cjs OUTPUT] [--node PATH] | --print-targets [darwin|win32|linux]';
}

function run(program, args, what) {
  const r = spawnSync(program, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error || r.status !== 0) {
    const why = r.error ? r.error.message : `exit ${r.status}`;
    throw new BuildError(`${what} failed (${program} ${args.join(' ')}: ${why})\n${(r.stdout ?? '') + (r.stderr ?? '')}`.trimEnd());
  }
  return r.stdout;
}

/** Throws unless `file` is a Windows console-subsystem program (`name`: how to call it; `from`: what it was made of). */
export function assertConsoleProgram(file, name = file, from = 'node.exe') {
  const sub = peSubsystem(fs.readFileSync(file));
  if (sub !== PE_SUBSYSTEM.console) {
    throw new BuildError(`${name}: not a Windows console program (PE Subsystem ${sub ?? 'unreadable'}, expected ${PE_SUBSYSTEM.console}), ` +
      `so IT could not read its output or exit code. Build it from the official node.exe (was: ${from}).`);
  }
}

/**
 * Build one SEA from `bundle` (CommonJS, self-contained) at `output`; returns the output path. `o.console`: the output
 * must be a Windows console program (checked on win32 only, where the PE image is made).
 */
export function buildSea(bundle, output, o = {}) {
  const platform = process.platform;
  const src = path.resolve(bundle);
  let out = path.resolve(output);
  if (platform === 'win32' && !out.toLowerCase().endsWith('.exe')) out += '.exe';
  if (!fs.existsSync(src) || !fs.statSync(src).isFile()) {
    throw new BuildError(`${bundle}: bundle not found. Build it first (npm run build:node; the daemon comes from src-main/helper/daemon-main.ts).`);
  }
  const node = fs.realpathSync(o.node ?? process.execPath);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-sea-'));
  const tmp = `${out}.tmp-${process.pid}`;
  try {
    const blob = path.join(work, 'sea-prep.blob');
    const config = path.join(work, 'sea-config.json');
    fs.writeFileSync(config, JSON.stringify({ main: src, output: blob, disableExperimentalSEAWarning: true, useSnapshot: false, useCodeCache: false }));
    run(process.execPath, ['--experimental-sea-config', config], 'generating the SEA blob');
    fs.copyFileSync(node, tmp);
    fs.chmodSync(tmp, 0o755);
    if (platform === 'darwin') run('codesign', ['--remove-signature', tmp], 'removing the node signature');
    const macho = platform === 'darwin' ? ['--macho-segment-name', 'NODE_SEA'] : [];
    run(process.execPath, [POSTJECT, tmp, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SEA_FUSE, ...macho], 'injecting the blob (postject)');
    if (platform === 'darwin') run('codesign', ['--sign', '-', tmp], 'ad-hoc signing');
    if (o.console && platform === 'win32') assertConsoleProgram(tmp, out, node);
    commitFile(tmp, out);
    return out;
  } finally {
    fs.rmSync(tmp, { force: true });
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function parseArgs(argv) {
  const rest = [];
  let node;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--node') {
      node = argv[++i];
      if (!node) throw new BuildError(`--node needs a path. ${usage()}`);
    } else if (argv[i].startsWith('-') && argv[i] !== '--print-targets') throw new BuildError(`unknown option ${argv[i]}. ${usage()}`);
    else rest.push(argv[i]);
  }
  return { rest, node };
}

function main(argv) {
  if (argv[0] === '--print-targets') {
    const p = argv[1] ?? process.platform;
    if (!Object.hasOwn(TARGETS, p)) throw new BuildError(`unknown platform ${p}. ${usage()}`);
    process.stdout.write(JSON.stringify(TARGETS[p]) + '\n');
    return;
  }
  const { rest, node } = parseArgs(argv);
  let jobs;
  if (rest.length === 2) {
    nodeArch(node);
    jobs = [{ bundle: rest[0], output: rest[1] }];
  }
  else if (rest.length === 0) {
    const arch = nodeArch(node);
    jobs = (TARGETS[process.platform] ?? []).map((t) => ({ bundle: path.join(ROOT, t.bundle), output: path.join(ROOT, t.output.replace('${arch}', arch)), console: t.console === true }));
    if (jobs.length === 0) throw new BuildError(`no helper binaries are built on ${process.platform}.`);
  } else throw new BuildError(usage());
  for (const j of jobs) {
    const out = buildSea(j.bundle, j.output, { node, console: j.console });
    console.error(`built ${path.relative(process.cwd(), out)} (${(fs.statSync(out).size / 1e6).toFixed(0)} MB, Node ${process.version} SEA)`);
  }
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof BuildError)) throw e;
    console.error(`build-helper-sea: ${e.message}`);
    process.exitCode = 1;
  }
}
