/**
 * What heap diagnostics cost a running service, measured on a child process that holds
 * `--mb` MB of live objects and runs a 5 ms heartbeat timer (its longest gap is the pause):
 *
 *   1. `v8.writeHeapSnapshot()`: how long the main thread stops, how much the RSS peak
 *      rises while the snapshot is built and written, and the file's size;
 *   2. `--heapsnapshot-signal=SIGUSR2`: the same snapshot, asked for from outside with
 *      `kill -USR2 <pid>` (what you would do to a production process);
 *   3. `--heap-prof`: a sampling allocation profile, written when the process exits
 *      (cheap enough to leave on for a while; it shows where memory was allocated).
 *
 *   node --import tsx scripts/snapshot-cost.ts [--mb 100]
 *
 * Writes its snapshots and profile to tmp/lesson-08/snapshot-cost/ (git-ignored), deleted
 * at the end unless --keep.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '@course/shared';

const { values } = parseArgs({ options: { mb: { type: 'string', default: '100' }, keep: { type: 'boolean' } }, args: process.argv.slice(2).filter((a) => a !== '--') });
const mb = Number(values.mb);
if (!Number.isInteger(mb) || mb < 10 || mb > 1000) {
  console.error(`snapshot-cost: --mb must be a whole number from 10 to 1000, got "${values.mb}"`);
  process.exit(2);
}
const dir = join(repoRoot, 'tmp', 'lesson-08', 'snapshot-cost');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

/** The child: live objects, a heartbeat, and answers to 'snapshot' / 'stats' / 'exit'. */
const childSource = `
const v8 = require('node:v8');
const { readFileSync, writeFileSync } = require('node:fs');
const kept = [];
while (process.memoryUsage().heapUsed < ${mb} * 1e6) {
  for (let i = 0; i < 10000; i++) kept.push({ id: kept.length, name: 'item ' + kept.length, tags: [kept.length & 7, 1] });
}
const status = (key) => Number(new RegExp(key + ':\\\\s+(\\\\d+)').exec(readFileSync('/proc/self/status', 'utf8'))[1]) * 1024;
let last = performance.now();
let maxGap = 0;
setInterval(() => { const now = performance.now(); maxGap = Math.max(maxGap, now - last); last = now; }, 5);
const resetPeak = () => { try { writeFileSync('/proc/self/clear_refs', '5'); } catch {} };
process.on('message', (m) => {
  if (m === 'reset') { maxGap = 0; last = performance.now(); resetPeak(); process.send({ rss: status('VmRSS'), heapUsed: process.memoryUsage().heapUsed }); }
  if (m === 'snapshot') { const t = performance.now(); v8.writeHeapSnapshot(); process.send({ ms: performance.now() - t }); }
  if (m === 'stats') process.send({ maxGap, peak: status('VmHWM'), rss: status('VmRSS'), kept: kept.length });
  if (m === 'exit') process.exit(0);
});
process.send('ready');
`;

function start(flags: string[]): ChildProcess {
  return spawn(process.execPath, [...flags, '-e', childSource], { cwd: dir, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}
async function ask<T>(child: ChildProcess, message: string): Promise<T> {
  child.send(message);
  return (await once(child, 'message'))[0] as T;
}
const MB = (bytes: number): string => `${(bytes / 1e6).toFixed(0)} MB`;
const snapshots = (): string[] => readdirSync(dir).filter((f) => f.endsWith('.heapsnapshot'));

console.log(`lesson-08 · what heap diagnostics cost · ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · Node ${process.version}`);

type Stats = { maxGap: number; peak: number; rss: number };

/** One fresh child per way of asking, so each starts from the same RSS. */
async function snapshotCost(how: 'api' | 'signal'): Promise<void> {
  const child = start(['--heapsnapshot-signal=SIGUSR2']);
  await once(child, 'message');
  const before = await ask<{ rss: number; heapUsed: number }>(child, 'reset');
  if (how === 'api') {
    await ask<{ ms: number }>(child, 'snapshot');
  } else {
    child.kill('SIGUSR2');
    // The snapshot runs on the child's main thread: it answers no message until it is done.
    while (snapshots().length < 1) await ask<Stats>(child, 'stats');
  }
  const after = await ask<Stats>(child, 'stats');
  const file = snapshots()[0]!;
  const label = how === 'api' ? 'v8.writeHeapSnapshot()' : 'kill -USR2 (--heapsnapshot-signal)';
  console.log(`${label.padEnd(36)} pause ${`${after.maxGap.toFixed(0)} ms`.padStart(8)}   live heap ${MB(before.heapUsed)}, RSS ${MB(before.rss)} -> peak ${MB(after.peak)} (+${MB(after.peak - before.rss)}, ${(after.peak / before.heapUsed).toFixed(1)}x the heap)   file ${MB(statSync(join(dir, file)).size)}`);
  child.send('exit');
  await once(child, 'exit');
  rmSync(join(dir, file));
}
await snapshotCost('api');
await snapshotCost('signal');

// 3: a sampling heap profile, written at exit.
const profiled = start(['--heap-prof', `--heap-prof-dir=${dir}`]);
await once(profiled, 'message');
profiled.send('exit');
await once(profiled, 'exit');
const profile = readdirSync(dir).find((f) => f.endsWith('.heapprofile'));
console.log(`${'--heap-prof'.padEnd(36)} wrote ${profile ?? 'nothing'} (${profile ? `${(statSync(join(dir, profile)).size / 1e3).toFixed(0)} kB` : '-'}) at exit; open it in DevTools > Memory > Allocation sampling`);
if (!values.keep) rmSync(dir, { recursive: true, force: true });
else console.log(`kept in ${dir}`);
