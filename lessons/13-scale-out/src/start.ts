/**
 * `npm start`: PostgreSQL + Redis + 3 hosts + HAProxy, then the URL. Ctrl+C stops everything;
 * `kill -HUP <pid>` (or `npm run deploy`) runs a rolling deploy of every host through HAProxy's
 * runtime API.
 */
import { parseArgs } from 'node:util';
import { MissingEnginesError } from './engines/binaries.ts';
import type { CacheMode } from './host-config.ts';
import { rollingDeploy } from './rolling-deploy.ts';
import { startStack } from './stack.ts';
import { writeStackPid } from './stack-pid.ts';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    hosts: { type: 'string', default: '3' },
    workers: { type: 'string', default: '2' },
    cache: { type: 'string', default: 'local' },
    retries: { type: 'string', default: 'on' },
  },
});

function count(name: string, raw: string, max: number): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    console.error(`--${name} must be a whole number from 1 to ${max}, got "${raw}"`);
    process.exit(2);
  }
  return value;
}
const caches: readonly string[] = ['local', 'shared', 'none'];
if (!caches.includes(values.cache) || !['on', 'off'].includes(values.retries)) {
  console.error(`--cache must be one of ${caches.join(', ')} and --retries on or off, got "${values.cache}" and "${values.retries}"`);
  process.exit(2);
}

let stack;
try {
  stack = await startStack({
    // 127.0.0.2 … 127.0.0.254: one loopback address per host.
    hosts: count('hosts', values.hosts, 253),
    workersPerHost: count('workers', values.workers, 64),
    cache: values.cache as CacheMode,
    retries: values.retries === 'off' ? 'off' : 'on',
  });
} catch (error) {
  console.error(error instanceof MissingEnginesError ? error.message : error);
  process.exit(1);
}

console.log(`\nlesson-13: ${stack.hosts.length} hosts × ${stack.workersPerHost} workers behind HAProxy on ${stack.url}`);
console.log(`  try: curl ${stack.url}/items/1    (X-Host says which host answered)`);
// Passwords are not printed: the hosts get them in their environment.
console.log(`  PostgreSQL on a unix socket in ${stack.postgres.socketDir} (role lesson13, max_connections ${stack.postgres.maxConnections}, pool ${stack.poolMax} per worker)`);
console.log(`  Redis ${stack.redis.url.replace(/:[^:@/]*@/, ':***@')}`);
console.log(`  rolling deploy: npm run deploy (or kill -HUP ${process.pid})    stop: Ctrl+C or kill ${process.pid}`);

// `npm run deploy` finds this process through it.
const removePidFile = writeStackPid();

let deploying: Promise<void> | undefined;
process.on('SIGHUP', () => {
  deploying ??= rollingDeploy(stack).catch((error: unknown) => console.error((error as Error).message)).finally(() => { deploying = undefined; });
});

let stopping = false;
const stop = (signal: string): void => {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping the hosts (they drain first), then HAProxy, Redis and PostgreSQL`);
  removePidFile();
  stack.stop().then(() => process.exit(0), (error: unknown) => { console.error(error); process.exit(1); });
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
// `npm start` runs this under npm (package.json's `exec` replaces the shell in between, so
// npm passes a SIGINT or SIGTERM sent to its pid alone on to this process; through a shell
// they were lost). If the parent dies anyway (killed with SIGKILL, or a shell that did not
// pass the signal on), this process would be left running the whole stack: its parent
// changing means that happened, so stop as for SIGTERM.
const parentPid = process.ppid;
setInterval(() => { if (process.ppid !== parentPid) stop('parent process gone'); }, 500).unref();
