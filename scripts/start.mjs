#!/usr/bin/env node
// `npm start` at the root: install everything (native builds included), then start the
// course's main service. Needs only Node >= 20.19 and npm; pnpm is fetched by npx.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { courseEnv } from './pnpm.mjs';
import { setUp } from './setup.mjs';

/** The lesson whose server is the course's main service, and its folder. */
export const MAIN_LESSON = 'lesson-11';
const lessonDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'lessons', '11-cluster');

const code = setUp();
if (code !== 0) process.exit(code);

// The lesson's own `start` script, run directly (not through pnpm) and in its own process
// group: Ctrl-C reaches only this process, which passes exactly one signal on. Two SIGINTs
// (one from the terminal, one forwarded) would tell the server to skip its graceful drain.
const start = JSON.parse(readFileSync(join(lessonDir, 'package.json'), 'utf8')).scripts.start;
const [cmd, ...args] = start.split(' ');
console.log(`\nStarting ${MAIN_LESSON}: ${start} (the first start seeds the database; Ctrl-C stops it)\n`);
const child = spawn(cmd === 'node' ? process.execPath : cmd, args, { cwd: lessonDir, stdio: 'inherit', env: courseEnv(), detached: true });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (status, signal) => process.exit(status ?? (signal ? 1 : 0)));
