/**
 * Where the slow 16 MB copies lose their time (lesson 09, exercise 6; the numbers are in
 * NOTES.md). Sends one ArrayBuffer to a probed echo thread and back, one copy in flight at a
 * time, and splits every round trip into its four steps, each with the wall time, the minor page
 * faults and the CPU time of the thread that did it, plus the GC time of each thread and the CPU
 * of the process's other threads (V8's and libuv's helpers) during the trip. Then it compares the
 * slowest 1 % of trips with the middle 20 %.
 *   npm run copy-tail -- [--trips 1500] [--warmup 100] [--mb 16]
 * Linux only for the fault counts; the per-thread CPU columns come from process.threadCpuUsage()
 * (Node 23.9+) or, on Node 20, from /proc/thread-self/schedstat; with neither they print "–".
 */
import { once } from 'node:events';
import { PerformanceObserver, type PerformanceNodeEntry, constants, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { startTsWorker } from './src/pool/ts-worker.ts';
import { formatCell as fmt, sampleThread, threadCpuSource, type ThreadSample } from './src/transfer/thread-sample.ts';

const { values } = parseArgs({ args: process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--')), options: { trips: { type: 'string', default: '1500' }, warmup: { type: 'string', default: '100' }, mb: { type: 'string', default: '16' } } });
const trips = Number(values.trips);
const warmup = Number(values.warmup);
const bytes = Number(values.mb) * 1024 * 1024;
for (const [name, n] of [['trips', trips], ['warmup', warmup], ['mb', bytes]] as const) {
  if (!Number.isInteger(n) || n < 1) { console.error(`--${name} must be a whole number >= 1`); process.exit(2); }
}

interface Gc { startMs: number; ms: number; kind: number }
const mainGcs: Gc[] = [];
const observer = new PerformanceObserver((list) => {
  for (const e of list.getEntries() as PerformanceNodeEntry[]) mainGcs.push({ startMs: performance.timeOrigin + e.startTime, ms: e.duration, kind: (e.detail as { kind: number }).kind });
});
observer.observe({ entryTypes: ['gc'] });

const worker = startTsWorker(new URL('./src/transfer/probed-echo-worker.ts', import.meta.url));
await once(worker, 'online');
const buffer = new ArrayBuffer(bytes);
const cpuMs = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const main: { before: ThreadSample; posted: ThreadSample; back: ThreadSample; processCpu: [number, number] }[] = [];
for (let i = 0; i < warmup + trips; i++) {
  const p0 = cpuMs();
  const before = sampleThread();
  worker.postMessage({ payload: buffer });
  const posted = sampleThread();
  await once(worker, 'message');
  const back = sampleThread();
  main.push({ before, posted, back, processCpu: [p0, cpuMs()] });
}
worker.postMessage({ report: true });
const [echo] = (await once(worker, 'message')) as [{ trips: { received: ThreadSample; posted: ThreadSample }[]; gcs: Gc[] }];
await new Promise((resolve) => setTimeout(resolve, 100));
observer.disconnect();
await worker.terminate();

const overlap = (gcs: Gc[], from: number, to: number, major?: boolean): number => gcs
  .filter((g) => major === undefined || (g.kind === constants.NODE_PERFORMANCE_GC_MAJOR) === major)
  .reduce((sum, g) => sum + Math.max(0, Math.min(to, g.startMs + g.ms) - Math.max(from, g.startMs)), 0);

const columns = {
  'total ms': [] as number[],
  // 1. main thread serialises: copies the buffer into the message.
  'send ms': [] as number[], 'send flt': [] as number[],
  // 2. echo thread wakes and deserialises: a new 16 MB ArrayBuffer.
  'to echo ms': [] as number[], 'echo rx flt': [] as number[],
  // 3. echo thread serialises its answer.
  'echo send ms': [] as number[], 'echo send flt': [] as number[],
  // 4. main thread wakes and deserialises.
  'back ms': [] as number[], 'main rx flt': [] as number[],
  'faults': [] as number[],
  // Off-CPU: the trip's wall time that neither thread spent running (waiting to be scheduled, or blocked).
  'main cpu': [] as number[], 'echo cpu': [] as number[], 'off cpu': [] as number[], 'other cpu': [] as number[],
  'main GC': [] as number[], 'main major': [] as number[], 'echo GC': [] as number[], 'echo major': [] as number[],
};
for (let i = warmup; i < warmup + trips; i++) {
  const m = main[i]!;
  const e = echo.trips[i]!;
  const ePrev = echo.trips[i - 1]!;
  const add = (k: keyof typeof columns, v: number): void => { columns[k].push(v); };
  add('total ms', m.back.atMs - m.before.atMs);
  add('send ms', m.posted.atMs - m.before.atMs); add('send flt', m.posted.minorFaults - m.before.minorFaults);
  add('to echo ms', e.received.atMs - m.posted.atMs); add('echo rx flt', e.received.minorFaults - ePrev.posted.minorFaults);
  add('echo send ms', e.posted.atMs - e.received.atMs); add('echo send flt', e.posted.minorFaults - e.received.minorFaults);
  add('back ms', m.back.atMs - e.posted.atMs); add('main rx flt', m.back.minorFaults - m.posted.minorFaults);
  const mainCpu = m.back.cpuMs - m.before.cpuMs;
  const echoCpu = e.posted.cpuMs - ePrev.posted.cpuMs;
  add('faults', m.back.minorFaults - m.before.minorFaults + e.posted.minorFaults - ePrev.posted.minorFaults);
  add('main cpu', mainCpu); add('echo cpu', echoCpu); add('off cpu', m.back.atMs - m.before.atMs - mainCpu - echoCpu);
  add('other cpu', m.processCpu[1] - m.processCpu[0] - mainCpu - echoCpu);
  add('main GC', overlap(mainGcs, m.before.atMs, m.back.atMs)); add('main major', overlap(mainGcs, m.before.atMs, m.back.atMs, true));
  add('echo GC', overlap(echo.gcs, m.before.atMs, m.back.atMs)); add('echo major', overlap(echo.gcs, m.before.atMs, m.back.atMs, true));
}

const order = columns['total ms'].map((_, i) => i).sort((a, b) => columns['total ms'][a]! - columns['total ms'][b]!);
const groups: [string, number[]][] = [
  ['middle 20 % (p40–p60)', order.slice(Math.floor(trips * 0.4), Math.ceil(trips * 0.6))],
  ['p90–p99', order.slice(Math.floor(trips * 0.9), Math.floor(trips * 0.99))],
  ['slowest 1 % (≥ p99)', order.slice(Math.floor(trips * 0.99))],
];
const mean = (k: keyof typeof columns, idx: number[]): number => idx.reduce((s, i) => s + columns[k][i]!, 0) / idx.length;
const share = (k: keyof typeof columns, idx: number[]): number => (100 * idx.filter((i) => columns[k][i]! > 0).length) / idx.length;
const at = (p: number): number => columns['total ms'][order[Math.min(trips - 1, Math.ceil((trips * p) / 100) - 1)]!]!;

console.log(`copy-tail · ${values.mb} MB ArrayBuffer copied to an echo thread and back · ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · ${(await import('node:os')).availableParallelism()} cores · Node ${process.version}`);
console.log(`${trips} round trips after ${warmup} warm-up; p50 ${fmt(at(50))} ms, p90 ${fmt(at(90))} ms, p99 ${fmt(at(99))} ms, max ${fmt(at(100))} ms`);
if (threadCpuSource.note) console.log(threadCpuSource.note);
console.log('mean per trip in each group (ms = wall or CPU milliseconds, flt = minor page faults of the thread doing the step; GC = GC time inside the trip; other cpu = the process\'s other threads)');
const keys = Object.keys(columns) as (keyof typeof columns)[];
const width = 24;
console.log(''.padEnd(width) + keys.map((k) => k.padStart(14)).join(''));
for (const [name, idx] of groups) console.log(`${name} (${idx.length})`.padEnd(width) + keys.map((k) => fmt(mean(k, idx)).padStart(14)).join(''));
for (const [name, idx] of groups) console.log(`${name}: trips with a major GC of main ${share('main major', idx).toFixed(0)} %, of echo ${share('echo major', idx).toFixed(0)} %`);

// How much a page fault costs a trip, over all trips: least squares of total ms on faults.
const xs = columns.faults;
const ys = columns['total ms'];
const mx = xs.reduce((a, b) => a + b, 0) / trips;
const my = ys.reduce((a, b) => a + b, 0) / trips;
const sxy = xs.reduce((s, x, i) => s + (x - mx) * (ys[i]! - my), 0);
const sxx = xs.reduce((s, x) => s + (x - mx) ** 2, 0);
const syy = ys.reduce((s, y) => s + (y - my) ** 2, 0);
// Every trip faulting the same pages (MALLOC_MMAP_THRESHOLD_=131072) leaves nothing to fit.
if (sxx < trips) console.log(`total ms against faults: no fit, the faults per trip did not vary (${fmt(mx)})`);
else console.log(`total ms against faults over all ${trips} trips: ${fmt((1000 * sxy) / sxx)} ms per 1,000 faults, r = ${(sxy / Math.sqrt(sxx * syy)).toFixed(2)}`);
