/**
 * Lesson 09 bench, in one run:
 *  1. the crunch endpoint four ways while a cheap endpoint is measured beside it
 *     (its p99, the server's event-loop delay, and crunch throughput);
 *  2. the cost of a new thread per task vs a pool;
 *  3. copying vs transferring a 16 MB ArrayBuffer;
 *  4. a shared counter with and without Atomics;
 *  5. pbkdf2 with UV_THREADPOOL_SIZE 1, 2, 4, 8 (a child process each).
 * `--only http,spawn,transfer,counter,libuv` runs a subset.
 */
import { fileURLToPath } from 'node:url';
import type { MetricsSnapshot } from '@course/shared';
import { benchHttp, benchOps, fmt, median, parseBenchArgs, rangeOf, report, runBench, spawnServer, UsageError, type BenchOptions, type HttpVariant, type Target, type VariantResult } from '@course/shared/bench';
import { Worker } from 'node:worker_threads';
import { boxBlur } from './src/crunch/crunch.ts';
import { cruncherNames, crunchTaskModule, type Cruncher, type CruncherName } from './src/crunch/cruncher.ts';
import { createPiscinaCruncher } from './src/crunch/piscina-pool.ts';
import { runPbkdf2Batch } from './src/libuv/pool-sizes.ts';
import { WorkerPool } from './src/pool/worker-pool.ts';
import { startTsWorker } from './src/pool/ts-worker.ts';
import { countWithThreads } from './src/shared-memory/shared-counter.ts';
import { startEchoThread, type EchoThread } from './src/transfer/echo-thread.ts';
import { tripsByGc } from './src/transfer/trips-by-gc.ts';
import { gcCounter } from './src/gc-counter.ts';

const lesson = 'lesson-09';
const sections = ['http', 'spawn', 'transfer', 'counter', 'libuv'] as const;
/** GET /items/1 per second beside the crunch load: well within what every variant answers. */
const lookupRate = 100;

/** Section 1: heavy load on POST /crunch, a fixed light load on GET /items/1 beside it, per variant. */
async function benchEndpoints(options: BenchOptions, heavyConnections: number): Promise<void> {
  const crunchBody = JSON.stringify({ size: 128, passes: 20, seed: 1, kernel: boxBlur });
  const heavy = { method: 'POST' as const, path: '/crunch', headers: { 'content-type': 'application/json' }, body: crunchBody };
  const server = (name: CruncherName) => async (): Promise<Target> => {
    const child = await spawnServer(fileURLToPath(new URL('./src/server.ts', import.meta.url)), {
      env: { CRUNCHER: name, DB_PATH: ':memory:', SEED_COUNT: '1000', CRUNCH_MAX_QUEUE: '1000', CRUNCH_TIMEOUT_MS: '60000' },
    });
    // Threads start after the server listens; the first crunch waits for one to be ready.
    try {
      await (await fetch(`${child.url}/crunch`, { method: 'POST', headers: heavy.headers, body: crunchBody })).arrayBuffer();
    } catch (error) {
      await child.close();
      throw error;
    }
    // A pool needs both cores: pinning the server to one CPU would measure something else.
    return { url: child.url, pid: child.pid, pin: false, close: () => child.close() };
  };
  const resetMetrics = async (t: Target): Promise<void> => { await (await fetch(`${t.url}/metrics/reset`, { method: 'POST' })).arrayBuffer(); };
  const readDelay = async (t: Target): Promise<Record<string, number>> => {
    const m = (await (await fetch(`${t.url}/metrics`)).json()) as MetricsSnapshot;
    return { 'loop p99 ms': m.eventLoopDelayMs.p99, 'loop max ms': m.eventLoopDelayMs.max };
  };
  // LESSON: the cheap endpoint is measured while the heavy one is loaded, in the same seconds,
  // at the same offered rate for every variant (so CPU per crunch compares like with like).
  const lookups = { label: 'items/1', request: { path: '/items/1' }, connections: 2, rate: lookupRate };
  console.log(`\nPOST /crunch (128×128, 20 passes) on ${heavyConnections} connections while GET /items/1 is sent at ${lookupRate} req/s on 2 more:`);
  console.log('req/s, p50/p99 ms and srv µs/req are POST /crunch\'s (srv: CPU of every thread of the server, lookups included); items/1: the lookups\'');
  console.log('ELU and GC are the server\'s main thread (the probe\'s); loop = its event-loop delay from /metrics');
  await benchHttp({
    lesson, title: 'crunch while serving', options,
    variants: cruncherNames.map((name): HttpVariant => ({
      name, target: server(name), request: heavy, connections: heavyConnections, alongside: lookups,
      baseline: name === 'main-thread' ? undefined : 'main-thread', beforeRound: resetMetrics, collect: readDelay,
    })),
  });
}

/** Section 2: a thread per task vs a pool, for a tiny task (so start-up is all there is). */
async function benchSpawn(options: BenchOptions): Promise<void> {
  const tiny = { size: 4, passes: 1, seed: 1, kernel: [...boxBlur] };
  let pool: WorkerPool | undefined;
  let piscina: Cruncher | undefined;
  const perTask = async (start: () => Worker): Promise<void> => {
    const worker = start();
    await new Promise((resolve, reject) => {
      worker.on('message', (m: { type: string }) => { if (m.type === 'result') resolve(m); });
      worker.once('error', reject);
      worker.postMessage({ type: 'task', id: 1, payload: tiny });
    });
    await worker.terminate();
  };
  const plainJs = `const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => parentPort.postMessage({ type: 'result', id: m.id, result: m.payload }));`;
  await benchOps({
    lesson, title: 'thread per task vs pool', unit: 'tasks/s', options,
    variants: [
      { name: 'pool (1 thread)', setup: async () => { pool = new WorkerPool({ taskModule: crunchTaskModule, size: 1 }); await pool.run(tiny); }, run: () => pool!.run(tiny), teardown: () => pool?.close() },
      // The dispatch cost alone, hand-written pool vs piscina: what a 2 ms crunch hides.
      { name: 'piscina (1 thread)', baseline: 'pool (1 thread)', setup: async () => { piscina = createPiscinaCruncher({ threads: 1 }); await piscina.run(tiny); }, run: () => piscina!.run(tiny), teardown: () => piscina?.close() },
      { name: 'new Worker (.ts via tsx)', baseline: 'pool (1 thread)', run: () => perTask(() => startTsWorker(new URL('./src/pool/pool-worker.ts', import.meta.url), { taskModule: crunchTaskModule.href })) },
      { name: 'new Worker (plain JS)', baseline: 'pool (1 thread)', run: () => perTask(() => new Worker(plainJs, { eval: true })) },
    ],
  });
}

/** Section 3: a 16 MB ArrayBuffer to a thread and back, copied vs transferred. */
async function benchTransfer(options: BenchOptions): Promise<void> {
  let echo: EchoThread | undefined;
  const bytes = 16 * 1024 * 1024;
  const copied = new ArrayBuffer(bytes);
  let moved = new ArrayBuffer(bytes);
  // GC in this (the sending) thread per round: every copy that comes back is a new 16 MB
  // ArrayBuffer, and external memory that size triggers full GCs.
  const gc = gcCounter();
  // And per copy: did a major GC of this thread run during it? (the evidence for the spread)
  const copies = tripsByGc();
  try {
    await benchOps({
      lesson, title: 'ArrayBuffer copy vs transfer', unit: 'round trips/s', options,
      variants: [
        { name: 'copy 16 MB', setup: async () => { echo = await startEchoThread(); }, run: () => copies.time(() => echo!.roundTrip(copied)), teardown: () => echo?.close(), collect: gc.read },
        { name: 'transfer 16 MB', run: async () => { moved = await echo!.roundTrip(moved, { transfer: true }); }, collect: gc.read },
      ],
    });
    const { withMajorGc: hit, without } = await copies.summary();
    const share = (100 * hit.count) / Math.max(1, hit.count + without.count);
    console.log(`copy 16 MB round trips (warm-up included) with a major GC of this thread inside: ${hit.count} (${share.toFixed(0)}%), p50 ${fmt(hit.p50Ms)} ms, p99 ${fmt(hit.p99Ms)} ms; without: ${without.count}, p50 ${fmt(without.p50Ms)} ms, p99 ${fmt(without.p99Ms)} ms`);
  } finally {
    gc.stop();
    copies.stop();
  }
}

/** Section 4: lost updates without Atomics. */
async function benchCounter(short: boolean): Promise<void> {
  const increments = short ? 2_000_000 : 10_000_000;
  const atomic = await countWithThreads({ threads: 4, increments, atomic: true });
  const plain = await countWithThreads({ threads: 4, increments, atomic: false });
  console.log(`\n${lesson} · shared counter, 4 threads × ${increments.toLocaleString('en-US')} increments`);
  console.log(`Atomics.add: ${atomic.actual.toLocaleString('en-US')} of ${atomic.expected.toLocaleString('en-US')} (lost ${atomic.lost})`);
  console.log(`counter[0]++: ${plain.actual.toLocaleString('en-US')} of ${plain.expected.toLocaleString('en-US')} (lost ${plain.lost.toLocaleString('en-US')}, ${((plain.lost / plain.expected) * 100).toFixed(1)}%)`);
}

/** Section 5: UV_THREADPOOL_SIZE 1, 2, 4, 8 on the same batch of pbkdf2 calls, and 1 again as the A/A row. */
async function benchLibuv(options: BenchOptions): Promise<void> {
  // The A/A row: pool size 1 again, in a child of its own, alternated with the others like them.
  const variants = [
    { name: 'UV_THREADPOOL_SIZE=1', size: 1 },
    { name: 'UV_THREADPOOL_SIZE=2', size: 2 },
    { name: 'UV_THREADPOOL_SIZE=4', size: 4 },
    { name: 'UV_THREADPOOL_SIZE=8', size: 8 },
    { name: 'UV_THREADPOOL_SIZE=1 (A/A)', size: 1 },
  ];
  const calls = 8;
  const iterations = options.short ? 20_000 : 100_000;
  const runs = new Map<string, Awaited<ReturnType<typeof runPbkdf2Batch>>[]>();
  for (let r = 0; r < options.rounds; r++) {
    for (const v of r % 2 === 0 ? variants : [...variants].reverse()) runs.set(v.name, [...(runs.get(v.name) ?? []), await runPbkdf2Batch(v.size, { calls, iterations })]);
  }
  const results: VariantResult[] = variants.map((v) => {
    const rs = runs.get(v.name)!;
    const all = rs.flatMap((x) => x.doneMs).sort((a, b) => a - b);
    return {
      name: v.name,
      baseline: v === variants[0] ? undefined : 'UV_THREADPOOL_SIZE=1',
      rate: (calls * rs.length) / (rs.reduce((s, x) => s + x.wallMs, 0) / 1000),
      range: rangeOf(rs.map((x) => calls / (x.wallMs / 1000))),
      p50Ms: median(all),
      p99Ms: all[Math.min(all.length - 1, Math.ceil(all.length * 0.99) - 1)]!,
      errors: 0, non2xx: 0,
      extra: { 'wall ms': median(rs.map((x) => x.wallMs)) },
      // Each round's rate: what the harness pairs with the baseline's rounds for its interval.
      rounds: rs.map((x) => ({ ...x, rate: calls / (x.wallMs / 1000) })),
    };
  });
  console.log(`\n${calls} concurrent crypto.pbkdf2 (sha512, ${iterations.toLocaleString('en-US')} iterations), one child process per pool size and round; ${options.rounds} rounds, each one batch per variant (no warm-up: a child starts, hashes and exits); p50/p99 = when a call finished`);
  report(lesson, 'libuv pool size', 'hashes/s', options, results);
}

runBench(async () => {
  const { options, values } = parseBenchArgs(process.argv.slice(2), {}, { only: { type: 'string' }, 'heavy-connections': { type: 'string' } });
  const only = typeof values.only === 'string' ? values.only.split(',') : [...sections];
  const unknown = only.filter((s) => !(sections as readonly string[]).includes(s));
  if (unknown.length > 0) throw new UsageError(`--only takes ${sections.join(',')}; got "${unknown.join(',')}"`);
  const heavyConnections = Number(values['heavy-connections'] ?? 4);
  if (!Number.isInteger(heavyConnections) || heavyConnections < 1) throw new UsageError(`--heavy-connections must be a whole number >= 1, got "${String(values['heavy-connections'])}"`);
  if (only.includes('http')) await benchEndpoints(options, heavyConnections);
  if (only.includes('spawn')) await benchSpawn(options);
  if (only.includes('transfer')) await benchTransfer(options);
  if (only.includes('counter')) await benchCounter(options.short);
  if (only.includes('libuv')) await benchLibuv(options);
});
