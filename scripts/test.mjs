#!/usr/bin/env node
// `npm test` at the root: install if needed, then every package's tests, one package at a
// time (several lessons start servers, clusters and pm2 daemons; running them side by side
// on a 2-core machine would make them compete). Ends with the tests that were skipped and
// why, then one line: "N passed, M failed, K skipped".
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { courseEnv } from './pnpm.mjs';
import { setUp } from './setup.mjs';
import { countsOf, summaryLines } from './test-summary.mjs';

// Install only when nothing is installed yet (a test run should not touch the lockfile's
// resolution), but always check that better-sqlite3 loads under this Node.
const ready = setUp({ install: 'when-missing' });
if (ready !== 0) process.exit(ready);

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const extra = process.argv.slice(2);
const pnpm = process.env.npm_execpath?.includes('pnpm') ? ['pnpm'] : ['npx', '-y', 'pnpm@12.4.2'];
const reportDir = mkdtempSync(join(tmpdir(), 'course-tests-'));
const skipReport = join(reportDir, 'skipped.jsonl');
const env = {
  ...courseEnv(),
  FORCE_COLOR: process.env.FORCE_COLOR ?? (process.stdout.isTTY ? '1' : '0'),
  COURSE_SKIP_REPORT: skipReport,
};
// vitest's own reporter for the screen, and ours, which records each skipped test and why.
const reporters = ['--reporter=default', `--reporter=${join(root, 'scripts', 'skip-reporter.mjs')}`];

const totals = { passed: 0, failed: 0, skipped: 0 };

/** Runs pnpm with `args`, echoing its output and adding vitest's summary line to the totals. */
function pnpmTests(args) {
  const child = spawn(pnpm[0], [...pnpm.slice(1), ...args], { stdio: ['inherit', 'pipe', 'inherit'], env });
  let pending = '';
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const counts = countsOf(line);
      if (!counts) continue;
      totals.passed += counts.passed;
      totals.failed += counts.failed;
      totals.skipped += counts.skipped;
    }
  });
  return new Promise((done) => child.on('exit', (status) => done(status ?? 1)));
}

/** Workspace packages that have a test script, shared first, then lessons in order. */
function testedPackages() {
  const dirs = [join(root, 'shared'), ...['lessons', 'tools'].filter((group) => existsSync(join(root, group))).flatMap((group) => readdirSync(join(root, group)).sort().map((name) => join(root, group, name)))];
  return dirs
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
    .filter(({ pkg }) => pkg.scripts?.test)
    .map(({ dir, pkg }) => ({ name: pkg.name, dir: resolve(dir), script: pkg.scripts.test }));
}

// One package at a time, each through pnpm. Not `pnpm -r test -- --reporter=…`: pnpm 12 passes
// the `--` on to the script and vitest ignores everything after it. So a package whose test
// script is `vitest run …` runs that command through `pnpm exec` with the reporters added;
// any other script runs as it is (its skips are counted but not explained).
let status = 0;
for (const { name, script } of testedPackages()) {
  const vitest = /^vitest run(\s|$)/.test(script);
  const args = vitest
    ? ['--filter', name, 'exec', ...script.split(/\s+/), ...reporters, ...extra]
    : ['--filter', name, 'test', ...extra];
  const code = await pnpmTests(args);
  if (code !== 0) status = code;
}

const skips = existsSync(skipReport)
  ? readFileSync(skipReport, 'utf8').split('\n').filter(Boolean).map((line) => {
    const record = JSON.parse(line);
    return { ...record, package: relative(root, record.root) || '.' };
  })
  : [];
rmSync(reportDir, { recursive: true, force: true });
console.log('');
for (const line of summaryLines(totals, skips)) console.log(line);
process.exit(status);
