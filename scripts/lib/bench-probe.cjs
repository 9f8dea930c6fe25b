// Preloaded by scripts/bench.mjs (`node --require`) into the CLI it measures: counts the child processes the CLI
// starts (every child_process API goes through ChildProcess.prototype.spawn) and, at exit, appends one JSON line
// {spawns, maxRssKb} to $LONGHAUL_BENCH_STATS. Bench-only; never part of a build.
'use strict';
const cp = require('node:child_process');
const fs = require('node:fs');
const file = process.env.LONGHAUL_BENCH_STATS;
let spawns = 0;
const original = cp.ChildProcess.prototype.spawn;
cp.ChildProcess.prototype.spawn = function countedSpawn(...args) {
  spawns++;
  return original.apply(this, args);
};
if (file) {
  process.on('exit', () => {
    fs.appendFileSync(file, JSON.stringify({ spawns, maxRssKb: process.resourceUsage().maxRSS }) + '\n');
  });
}
