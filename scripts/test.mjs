#!/usr/bin/env node
// `npm test` at the root: install if needed, then every package's tests, one package at a
// time (several lessons start servers, clusters and pm2 daemons; running them side by side
// on a 2-core machine would make them compete). Ends with one line: "N passed, M failed".
import { spawn } from 'node:child_process';
import { courseEnv } from './pnpm.mjs';
import { setUp } from './setup.mjs';

// Install only when nothing is installed yet (a test run should not touch the lockfile's
// resolution), but always check that better-sqlite3 loads under this Node.
const ready = setUp({ install: 'when-missing' });
if (ready !== 0) process.exit(ready);

const pnpm = process.env.npm_execpath?.includes('pnpm') ? ['pnpm'] : ['npx', '-y', 'pnpm@12.4.2'];
const child = spawn(pnpm[0], [...pnpm.slice(1), '-r', '--workspace-concurrency=1', '--no-bail', 'test', ...process.argv.slice(2)], {
  stdio: ['inherit', 'pipe', 'inherit'],
  env: { ...courseEnv(), FORCE_COLOR: process.env.FORCE_COLOR ?? (process.stdout.isTTY ? '1' : '0') },
});

let passed = 0;
let failed = 0;
let pending = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  pending += chunk.toString();
  const lines = pending.split('\n');
  pending = lines.pop() ?? '';
  for (const raw of lines) {
    // vitest's summary: "      Tests  12 passed | 1 failed (13)"; strip colours first.
    const line = raw.replace(/\x1b\[[0-9;]*m/g, '');
    if (!/^\s*Tests\s+\d/.test(line)) continue;
    passed += Number(/(\d+) passed/.exec(line)?.[1] ?? 0);
    failed += Number(/(\d+) failed/.exec(line)?.[1] ?? 0);
  }
});
child.on('exit', (status) => {
  console.log(`\n${passed} passed, ${failed} failed`);
  process.exit(status ?? 1);
});
