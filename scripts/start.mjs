#!/usr/bin/env node
// `npm start` at the root: install everything (native builds included), then start the
// course's main service. Needs only Node >= 20.19 and npm; pnpm is fetched by npx.
import { spawn } from 'node:child_process';
import { isInstalled, runPnpm, courseEnv } from './pnpm.mjs';

/** The lesson whose server is the course's main service. */
export const MAIN_LESSON = 'lesson-11';

const code = runPnpm(['install', '--frozen-lockfile']);
if (code !== 0 || !isInstalled()) {
  console.error('\nInstall failed: see the messages above. Native modules need python3, make and a C++ compiler.');
  process.exit(code || 1);
}

console.log(`\nStarting ${MAIN_LESSON} (the first start seeds the database; Ctrl-C stops it)\n`);
// Run the lesson's start script directly through pnpm, forwarding signals so Ctrl-C and
// SIGTERM reach the server and it shuts down gracefully.
const pnpmArgs = ['--filter', MAIN_LESSON, 'start'];
const local = spawn('pnpm', ['--version'], { stdio: 'ignore' });
local.on('error', () => launch(['npx', '-y', 'pnpm@12.4.2', ...pnpmArgs]));
local.on('exit', (status) => launch(status === 0 ? ['pnpm', ...pnpmArgs] : ['npx', '-y', 'pnpm@12.4.2', ...pnpmArgs]));

let launched = false;
function launch([cmd, ...args]) {
  if (launched) return;
  launched = true;
  const child = spawn(cmd, args, { stdio: 'inherit', env: courseEnv() });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (status, signal) => process.exit(status ?? (signal ? 0 : 1)));
}
