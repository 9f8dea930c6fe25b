// Builds the Windows service host resources/windows/service/longhaul-service.c (the SCM service "LonghaulTunnel"
// that runs longhaul-helperd.exe; see the C file's header) with Debian's mingw-w64 cross compiler, on Linux CI.
//
//   node scripts/build-service-host.mjs                       → dist/helper/longhaul-service.exe
//   node scripts/build-service-host.mjs OUTPUT.exe            → OUTPUT.exe
//   node scripts/build-service-host.mjs --source FILE.c OUTPUT.exe   another one-file C program with the same compiler
//                                                             and flags (the test's child stand-in)
// Compiler: x86_64-w64-mingw32-gcc (Debian package gcc-mingw-w64-x86-64-win32; `bash scripts/setup.sh --system`
// installs it), flags -O2 -municode -Wall -Wextra -Werror -static, linked with advapi32. ~0.5 s. The output is
// written to a temp file beside it, fsynced and renamed (atomic). Exit 0 built, 1 failed (compiler missing, compile
// error: the compiler's output follows), 2 usage. No shell: spawnSync with argument arrays.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import commit from './lib/commit-file.cjs';

const { commitFile } = commit;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const COMPILER = 'x86_64-w64-mingw32-gcc';
export const COMPILER_PACKAGE = 'gcc-mingw-w64-x86-64-win32';
export const SOURCE = path.join(ROOT, 'resources/windows/service/longhaul-service.c');
export const OUTPUT = path.join(ROOT, 'dist/helper/longhaul-service.exe');
export const FLAGS = ['-O2', '-municode', '-Wall', '-Wextra', '-Werror', '-static'];
export const LIBS = ['-ladvapi32'];

class BuildError extends Error {}

function usage() {
  return 'usage: node scripts/build-service-host.mjs [--source FILE.c] [OUTPUT.exe]   (default: the service host → dist/helper/longhaul-service.exe)';
}

/** The compiler's version line, or a BuildError naming the Debian package when it is not installed. */
export function compilerVersion() {
  const r = spawnSync(COMPILER, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) {
    const missing = /** @type {NodeJS.ErrnoException} */ (r.error).code === 'ENOENT';
    throw new BuildError(missing
      ? `${COMPILER} not found on PATH: install Debian's ${COMPILER_PACKAGE} (apt-get install -y --no-install-recommends ${COMPILER_PACKAGE}, or bash scripts/setup.sh --system)`
      : `${COMPILER} --version could not run: ${r.error.message}`);
  }
  if (r.status !== 0) throw new BuildError(`${COMPILER} --version exited ${r.status}: ${r.stderr.trim()}`);
  return r.stdout.split('\n')[0];
}

/** Compile one C file to a Windows x86-64 console executable at `output` (atomic); returns the output path. */
export function buildExe(source = SOURCE, output = OUTPUT) {
  const src = path.resolve(source);
  const out = path.resolve(output);
  if (!fs.existsSync(src) || !fs.statSync(src).isFile()) throw new BuildError(`${source}: C source not found`);
  if (!out.toLowerCase().endsWith('.exe')) throw new BuildError(`${output}: the output must end in .exe (it is a Windows program)`);
  compilerVersion();
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const tmp = path.join(path.dirname(out), `.${path.basename(out, '.exe')}.tmp-${process.pid}.exe`);
  try {
    const r = spawnSync(COMPILER, [...FLAGS, '-o', tmp, src, ...LIBS], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    if (r.error || r.status !== 0) {
      const why = r.error ? r.error.message : `exit ${r.status}`;
      throw new BuildError(`compiling ${path.relative(ROOT, src) || src} failed (${COMPILER}: ${why})\n${(r.stdout ?? '') + (r.stderr ?? '')}`.trimEnd());
    }
    commitFile(tmp, out);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  return out;
}

function main(argv) {
  let source = SOURCE;
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--source' && i + 1 < argv.length) source = argv[++i];
    else if (argv[i] === '--help' || argv[i] === '-h') return void process.stdout.write(usage() + '\n');
    else if (argv[i].startsWith('-')) throw Object.assign(new BuildError(`unknown option ${argv[i]}\n${usage()}`), { exitCode: 2 });
    else rest.push(argv[i]);
  }
  if (rest.length > 1) throw Object.assign(new BuildError(usage()), { exitCode: 2 });
  const output = rest[0] ?? (source === SOURCE ? OUTPUT : undefined);
  if (!output) throw Object.assign(new BuildError(`--source needs an OUTPUT.exe\n${usage()}`), { exitCode: 2 });
  const out = buildExe(source, output);
  const shown = path.relative(process.cwd(), out);
  process.stderr.write(`build-service-host: ${shown.startsWith('..') ? out : shown} (${fs.statSync(out).size} bytes)\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof BuildError)) throw e;
    process.stderr.write(`build-service-host: ${e.message}\n`);
    process.exitCode = /** @type {{ exitCode?: number }} */ (e).exitCode ?? 1;
  }
}
