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
// group, so only this process hears the terminal. Ctrl-C can still reach this process twice:
// the terminal signals the whole foreground group (npm and us), and npm, which runs this file
// with `exec` (package.json), forwards the SIGINT it got as well. A copy of the same signal
// within a second is dropped here (the server drops one too: shared/src/lifecycle/serve.ts),
// so the server drains once; a second Ctrl-C later still reaches it and means "exit now".
// SIGTERM sent to npm alone (a process manager, a script) reaches us the same way, through
// npm's forwarding: with a shell between npm and this file, the shell would die of it and
// leave the server running.
const start = JSON.parse(readFileSync(join(lessonDir, 'package.json'), 'utf8')).scripts.start;
const [cmd, ...args] = start.split(' ').filter((word, i) => !(i === 0 && word === 'exec'));
console.log(`\nStarting ${MAIN_LESSON}: ${start} (the first start seeds the database; Ctrl-C stops it)\n`);
const child = spawn(cmd === 'node' ? process.execPath : cmd, args, { cwd: lessonDir, stdio: 'inherit', env: courseEnv(), detached: true });
const lastSent = new Map();
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    const now = performance.now();
    if (now - (lastSent.get(signal) ?? -Infinity) < 1000) return; // the same signal, delivered twice
    lastSent.set(signal, now);
    child.kill(signal);
  });
}
// The server's own status: 0 after a clean drain (also after Ctrl-C), 1 if it had to cut.
child.on('exit', (status, signal) => process.exit(status ?? (signal ? 1 : 0)));
