// `npm test`: every check the project has, in order, with one summary line at the end.
//   lint → typecheck → build → unit (vitest) → lab (vitest, root only: real namespaces) → e2e (Playwright)
// Benchmarks are not part of this. Exit non-zero when anything failed.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lh-test-'));
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const totals = { passed: 0, failed: 0, skipped: 0 };
const failedSteps = [];

function run(name, cmd, args, { env } = {}) {
  process.stderr.write(`\n=== ${name}: ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) failedSteps.push(name);
  return r.status === 0;
}

function countVitest(file) {
  if (!fs.existsSync(file)) return;
  const j = JSON.parse(fs.readFileSync(file, 'utf8'));
  totals.passed += j.numPassedTests ?? 0;
  totals.failed += (j.numFailedTests ?? 0) + (j.numFailedTestSuites && !j.numFailedTests ? j.numFailedTestSuites : 0);
  totals.skipped += (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
}

function countPlaywright(file) {
  if (!fs.existsSync(file)) return;
  const j = JSON.parse(fs.readFileSync(file, 'utf8'));
  totals.passed += j.stats?.expected ?? 0;
  totals.failed += (j.stats?.unexpected ?? 0) + (j.stats?.flaky ?? 0);
  totals.skipped += j.stats?.skipped ?? 0;
}

const npx = (tool, args) => [path.join(root, 'node_modules', '.bin', tool), args];

run('lint', ...npx('eslint', ['.']));
run('typecheck', ...npx('tsc', ['-p', 'tsconfig.node.json']));
run('typecheck (renderer)', ...npx('tsc', ['-p', 'tsconfig.renderer.json']));
run('typecheck (e2e)', ...npx('tsc', ['-p', 'tsconfig.e2e.json']));
const built = run('build', 'npm', ['run', 'build']);

const unitJson = path.join(tmp, 'unit.json');
run('unit', ...npx('vitest', ['run', '--project', 'unit', '--reporter=default', '--reporter=json', `--outputFile.json=${unitJson}`]));
countVitest(unitJson);

if (isRoot) {
  const labJson = path.join(tmp, 'lab.json');
  run('lab', ...npx('vitest', ['run', '--project', 'lab', '--reporter=default', '--reporter=json', `--outputFile.json=${labJson}`, '--passWithNoTests']));
  countVitest(labJson);
} else {
  process.stderr.write('\n*** SKIPPED: lab tests need root (real network namespaces, wireguard-go, iptables). CI runs them as root. ***\n');
}

if (built) {
  const e2eJson = path.join(tmp, 'e2e.json');
  run('e2e', ...npx('playwright', ['test', '--reporter=list,json']), { env: { PLAYWRIGHT_JSON_OUTPUT_NAME: e2eJson } });
  countPlaywright(e2eJson);
} else {
  failedSteps.push('e2e (not run: build failed)');
}

process.stderr.write(`\nsteps failed: ${failedSteps.length ? failedSteps.join(', ') : 'none'}\n`);
console.log(`${totals.passed} passed, ${totals.failed + (failedSteps.length && !totals.failed ? 1 : 0)} failed, ${totals.skipped} skipped`);
process.exit(failedSteps.length ? 1 : 0);
