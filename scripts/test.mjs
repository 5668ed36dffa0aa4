#!/usr/bin/env node
// `npm test` at the root: install if needed, then every package's tests, one package at a
// time (several lessons start servers, clusters and pm2 daemons; running them side by side
// on a 2-core machine would make them compete). Ends with one line: "N passed, M failed".
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { courseEnv } from './pnpm.mjs';
import { setUp } from './setup.mjs';

// Install only when nothing is installed yet (a test run should not touch the lockfile's
// resolution), but always check that better-sqlite3 loads under this Node.
const ready = setUp({ install: 'when-missing' });
if (ready !== 0) process.exit(ready);

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const extra = process.argv.slice(2);
const pnpm = process.env.npm_execpath?.includes('pnpm') ? ['pnpm'] : ['npx', '-y', 'pnpm@12.4.2'];
const env = { ...courseEnv(), FORCE_COLOR: process.env.FORCE_COLOR ?? (process.stdout.isTTY ? '1' : '0') };

let passed = 0;
let failed = 0;
/** Package folders whose vitest run started ("RUN  v4.1.12 /path/to/package"). */
const ran = new Set();

/** Runs pnpm with `args`, echoing its output and counting vitest's summary lines. */
function pnpmTests(args) {
  const child = spawn(pnpm[0], [...pnpm.slice(1), ...args], { stdio: ['inherit', 'pipe', 'inherit'], env });
  let pending = '';
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const raw of lines) {
      // vitest's lines: " RUN  v4.1.12 /repo/lessons/03-cache" and
      // "      Tests  12 passed | 1 failed (13)"; strip colours first.
      const line = raw.replace(/\x1b\[[0-9;]*m/g, '');
      const start = /^\s*RUN\s+v\S+\s+(\S.*?)\s*$/.exec(line);
      if (start?.[1]) ran.add(resolve(start[1]));
      if (!/^\s*Tests\s+\d/.test(line)) continue;
      passed += Number(/(\d+) passed/.exec(line)?.[1] ?? 0);
      failed += Number(/(\d+) failed/.exec(line)?.[1] ?? 0);
    }
  });
  return new Promise((done) => child.on('exit', (status) => done(status ?? 1)));
}

/** Workspace packages that have a test script: { name, dir }. */
function testedPackages() {
  const dirs = [join(root, 'shared'), ...['lessons', 'tools'].filter((group) => existsSync(join(root, group))).flatMap((group) => readdirSync(join(root, group)).map((name) => join(root, group, name)))];
  return dirs
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
    .filter(({ pkg }) => pkg.scripts?.test)
    .map(({ dir, pkg }) => ({ name: pkg.name, dir: resolve(dir) }));
}

let status = await pnpmTests(['-r', '--workspace-concurrency=1', '--no-bail', 'test', ...extra]);
// pnpm -r skips the packages that depend on one whose tests failed (lesson 12 after lesson 08),
// which would leave their tests out of the count: run those on their own.
for (const { name } of testedPackages().filter(({ dir }) => !ran.has(dir))) {
  console.log(`\n${name}'s tests did not run in the recursive run (a package it depends on failed): running them now`);
  const code = await pnpmTests(['--filter', name, 'test', ...extra]);
  if (code !== 0) status = code;
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(status);
