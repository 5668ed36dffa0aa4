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
//   npm run clean               # remove
//   npm run clean -- --dry-run  # only list what would go
import { existsSync, lstatSync, readdirSync, rmSync } from 'node:fs';
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
