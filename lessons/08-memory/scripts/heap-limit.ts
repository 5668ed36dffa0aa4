/**
 * What happens at the heap limit: a child started with --max-old-space-size=64 keeps every
 * 1 MB it allocates until V8 gives up. Bounded: the child cannot exceed ~64 MB of heap.
 *
 *   node --import tsx scripts/heap-limit.ts [--mb 64]
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { mb: { type: 'string', default: '64' } }, args: process.argv.slice(2).filter((a) => a !== '--') });
const limit = Number(values.mb);
if (!Number.isInteger(limit) || limit < 16 || limit > 512) {
  console.error(`heap-limit: --mb must be a whole number from 16 to 512, got "${values.mb}"`);
  process.exit(2);
}

// The child: report heap_size_limit, then retain arrays of numbers, printing progress.
const childSource = `
const v8 = require('node:v8');
console.log('heap_size_limit ' + (v8.getHeapStatistics().heap_size_limit / 1e6).toFixed(1) + ' MB');
const kept = [];
const started = Date.now();
for (let i = 1; ; i++) {
  kept.push(new Array(131072).fill(i + 0.5));  // ~1 MB of doubles, kept for good
  if (i % 16 === 0) console.log('retained ' + i + ' MB, heapUsed ' + (process.memoryUsage().heapUsed / 1e6).toFixed(1) + ' MB after ' + (Date.now() - started) + ' ms');
}`;
const started = Date.now();
const child = spawnSync(process.execPath, [`--max-old-space-size=${limit}`, '-e', childSource], { encoding: 'utf8', maxBuffer: 8 * 1024 * 1024 });
const elapsed = Date.now() - started;
console.log(`lesson-08 · heap limit · ${new Date().toISOString().slice(0, 10)} · Node ${process.version}`);
console.log(`child: node --max-old-space-size=${limit}`);
for (const line of child.stdout.trim().split('\n').slice(-4)) console.log(`  stdout: ${line}`);
const stderr = child.stderr.trim().split('\n').filter((l) => l.trim() !== '');
for (const line of stderr.filter((l) => /FATAL|heap limit|Mark-Compact|Scavenge/.test(l)).slice(-4)) console.log(`  stderr: ${line.trim()}`);
console.log(`exit: code ${child.status}, signal ${child.signal} after ${elapsed} ms (SIGABRT: V8 aborts the process; no catch, no 'exit' handler runs)`);
