#!/usr/bin/env node
// The `longhaul` CLI launcher: runs the bundled CLI built by `npm run build`.
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const bundle = path.join(__dirname, '..', 'dist', 'cli', 'longhaul.cjs');
if (!fs.existsSync(bundle)) {
  process.stderr.write('longhaul: the CLI is not built yet; run `npm run build` in ' + path.dirname(__dirname) + '\n');
  process.exit(2);
}
enableCompileCache();
require(bundle);

// V8's compile cache (node:module, Node ≥ 22.1): the 1.7 MB bundle is compiled once and reused by the next runs
// (issue 12: start-up). The cache is executable input, so it lives in the user's own cache directory, created 0700,
// never in a shared temp directory. Node checks each entry against the source's hash; a broken cache is recompiled.
// NODE_COMPILE_CACHE / NODE_DISABLE_COMPILE_CACHE (Node's own variables) still decide when set.
function enableCompileCache() {
  const mod = require('node:module');
  if (typeof mod.enableCompileCache !== 'function' || process.env.NODE_COMPILE_CACHE || process.env.NODE_DISABLE_COMPILE_CACHE) return;
  try {
    const dir = compileCacheDir();
    if (!dir) return;
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = fs.lstatSync(dir);
    if (!st.isDirectory() || (typeof process.getuid === 'function' && st.uid !== process.getuid())) return;
    mod.enableCompileCache(dir);
  } catch {
    // No cache: the CLI still runs, only its start-up is slower.
  }
}

function compileCacheDir() {
  const os = require('node:os');
  const env = process.env;
  if (process.platform === 'win32') return env.LOCALAPPDATA && path.isAbsolute(env.LOCALAPPDATA) ? path.join(env.LOCALAPPDATA, 'Longhaul', 'cache', 'node-compile') : null;
  const home = os.homedir();
  if (process.platform === 'darwin') return home ? path.join(home, 'Library', 'Caches', 'Longhaul', 'node-compile') : null;
  const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : home ? path.join(home, '.cache') : null;
  return base ? path.join(base, 'longhaul', 'node-compile') : null;
}
