#!/usr/bin/env node
// `npm run clean` at the root: removes everything the lessons write while you run them, and
// says how much that freed. All of it is git-ignored and regenerated on the next run:
//   data/       SQLite databases (course.db, per-lesson ones) and lesson 07's 200 MiB file
//   tmp/        bench databases, pm2 homes, heap snapshots, logs
//   results/    every bench run's JSON
//   profiles/   lesson 06's .cpuprofile / isolate logs / flame graphs
//   the same folders and profiler files inside a lesson folder (when a command ran there),
//   and node-gyp's intermediate objects in lessons/*/build (the built addon itself stays).
// Kept: node_modules/ (`npm run setup` rebuilds it) and Nodes fetched into .node/.
//
// Nothing is removed while a process still lives in these folders: a pm2 daemon (lesson 12, its
// PM2_HOME under tmp/) or lesson 13's PostgreSQL. Deleting their files under them leaves them
// running, holding their ports, with nothing left to find and stop them by (`npm run stop` then
// says "nothing to stop"). clean names each one and how to stop it, and exits 1.
//
//   npm run clean               # remove
//   npm run clean -- --dry-run  # only list what would go
import { existsSync, lstatSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// A leading `--` (as in `node scripts/clean.mjs -- --dry-run`) only separates npm's arguments.
const argv = process.argv.slice(2);
let values;
try {
  ({ values } = parseArgs({ args: argv[0] === '--' ? argv.slice(1) : argv, options: { 'dry-run': { type: 'boolean', default: false } } }));
} catch (error) {
  console.error(`clean: ${error.message}\nUsage: npm run clean [-- --dry-run]`);
  process.exit(2);
}

const OUTPUT_DIRS = ['data', 'tmp', 'results', 'profiles'];
/** Files profilers and report commands leave in the folder they ran in. */
const OUTPUT_FILE = /^(?:.*\.cpuprofile|.*\.heapprofile|.*\.heapsnapshot|isolate-.*\.log|result.*\.html|flamegraph\.html|\d+\.0x)$/;
/** node-gyp leftovers: everything in build/ except the built module itself. */
const BUILD_LEFTOVERS = [join('build', 'Release', 'obj.target'), join('build', 'Release', '.deps'), join('build', 'Release', 'obj')];

const lessonsDir = join(root, 'lessons');
const places = [root, ...readdirSync(lessonsDir).map((name) => join(lessonsDir, name)).filter((dir) => lstatSync(dir).isDirectory())];

const targets = [];
for (const place of places) {
  for (const name of OUTPUT_DIRS) targets.push(join(place, name));
  for (const name of readdirSync(place)) if (OUTPUT_FILE.test(name)) targets.push(join(place, name));
  if (place !== root) for (const leftover of BUILD_LEFTOVERS) targets.push(join(place, leftover));
}

const live = targets.filter((path) => existsSync(path)).flatMap((path) => liveProcessesUnder(path));
if (live.length > 0) {
  console.error(`clean: ${values['dry-run'] ? 'would remove' : 'removed'} nothing: ${live.length === 1 ? 'a process still runs' : 'processes still run'} from these folders:`);
  for (const { what, pid, dir, stop } of live) console.error(`  ${what} (pid ${pid}) in ${relative(root, dir)}: ${stop}`);
  console.error('Stop them, then run `npm run clean` again.');
  process.exit(1);
}

let freed = 0;
for (const target of targets.filter((path) => existsSync(path))) {
  const bytes = sizeOf(target);
  freed += bytes;
  console.log(`${values['dry-run'] ? 'would remove' : 'removed'} ${relative(root, target)} (${formatBytes(bytes)})`);
  if (!values['dry-run']) rmSync(target, { recursive: true, force: true });
}
const fetched = join(root, '.node');
const kept = existsSync(fetched) ? `; kept .node/ (${formatBytes(sizeOf(fetched))} of fetched Nodes: delete it by hand if you no longer need them)` : '';
console.log(`${values['dry-run'] ? 'Would free' : 'Freed'} ${formatBytes(freed)}${kept}.`);

/**
 * Processes whose pid file lies under `path` and that are still running: pm2 daemons
 * (`pm2.pid` in a PM2_HOME) and PostgreSQL servers (`postmaster.pid` in a data directory). A
 * pid file left by a process that is gone (or whose pid now belongs to another program, checked
 * by its command line where /proc exists) does not count.
 */
function liveProcessesUnder(path, depth = 0) {
  if (depth > 6 || !lstatSync(path).isDirectory()) return [];
  const found = [];
  for (const name of readdirSync(path)) {
    const full = join(path, name);
    if (name === 'pm2.pid' || name === 'postmaster.pid') {
      const pid = Number(readFileSync(full, 'utf8').split('\n')[0]);
      const pm2 = name === 'pm2.pid';
      if (isRunning(pid, pm2 ? /PM2|God Daemon/ : /postgres/)) {
        found.push(pm2
          ? { what: 'pm2 daemon', pid, dir: path, stop: `cd lessons/12-pm2 && PM2_HOME=${path} npm run stop` }
          : { what: 'PostgreSQL', pid, dir: path, stop: `stop lesson 13's npm start (Ctrl-C), or kill ${pid}` });
      }
    } else if (lstatSync(full).isDirectory()) {
      found.push(...liveProcessesUnder(full, depth + 1));
    }
  }
  return found;
}

function isRunning(pid, commandLine) {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if (error.code !== 'EPERM') return false;
  }
  try {
    return commandLine.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '));
  } catch {
    return true; // no /proc (macOS): a live pid is all we can check
  }
}

/** Bytes under `path` (files counted once, symlinks not followed). */
function sizeOf(path) {
  const stat = lstatSync(path);
  if (!stat.isDirectory()) return stat.size;
  let total = 0;
  for (const name of readdirSync(path)) total += sizeOf(join(path, name));
  return total;
}

function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}
