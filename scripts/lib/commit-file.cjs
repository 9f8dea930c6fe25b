/**
 * Atomic file replacement for the build scripts (plain Node, CommonJS so both the ESM build scripts and the
 * CommonJS electron-builder hook can load it): a finished temp file beside the target is fsynced and renamed over it,
 * then the directory is fsynced; on failure the temp file is removed and the target is untouched. The app's own
 * writer is src-main/core/platform/atomic.ts (TypeScript, not loadable from these scripts).
 */
const fs = require('node:fs');
const path = require('node:path');

function fsyncPath(p, flags) {
  const fd = fs.openSync(p, flags);
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Move the finished `tmp` onto `target` (same directory), durably. */
function commitFile(tmp, target) {
  try {
    fsyncPath(tmp, 'r');
    fs.renameSync(tmp, target);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  try {
    fsyncPath(path.dirname(target), 'r');
  } catch {} // directories cannot be opened for fsync on every OS (Windows)
}

/** Write `data` to a temp file beside `target` and commit it. */
function writeFileAtomic(target, data, mode = 0o644) {
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, data, { mode });
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  commitFile(tmp, target);
}

module.exports = { commitFile, writeFileAtomic };
