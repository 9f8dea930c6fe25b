// `npm start`: build if needed, then start Longhaul.
//  - With an Electron binary (ELECTRON_OVERRIDE_DIST_PATH, or an installed electron package binary): the desktop app.
//  - Without one (this development machine cannot download it): the browser harness — the same renderer and the same
//    core — and its URL to open in Chromium.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
if (!fs.existsSync(path.join(root, 'dist', 'renderer', 'index.html')) || !fs.existsSync(path.join(root, 'dist', 'main', 'main.cjs'))) {
  const r = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH;
const electronBin = dist ? path.join(dist, fs.existsSync(path.join(dist, 'path.txt')) ? fs.readFileSync(path.join(dist, 'path.txt'), 'utf8').trim() : 'electron') : null;
if (electronBin && fs.existsSync(electronBin)) {
  const child = spawn(electronBin, [path.join(root, 'dist', 'main', 'main.cjs')], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.error('No Electron binary here (set ELECTRON_OVERRIDE_DIST_PATH to use one); starting the browser harness instead.');
  const child = spawn(process.execPath, [path.join(root, 'dist', 'harness', 'host.cjs'), ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}
