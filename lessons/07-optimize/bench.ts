/**
 * Lesson 07: every optimisation against its baseline, in one run.
 *
 *   cd lessons/07-optimize && npm run bench             # everything (a few minutes)
 *   npm run bench -- --short                            # about a second per variant (CI)
 *   npm run bench -- --part addon                       # one part: catalogue csv files stats memo addon hit
 *   npm run bench -- --part hit                         # where a cache hit of GET /items/:id spends its time
 *   npm run bench -- --part fastify                     # the same API on fastify, three workloads
 *   npm run bench -- --part files --mb 200
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { categories, createRandom, generateItems } from '@course/shared';
import { entries as lesson01 } from 'lesson-01';
import { benchHttp, benchOps, fmt, formatRatio, table, parseBenchArgs, prepareBenchDatabase, runBench, spawnServer, UsageError, type BenchOptions, type OpsVariant, type Target } from '@course/shared/bench';
import { hitSteps } from './src/hit-steps.ts';
import { csvWithConcat, csvWithJoin, csvWithPlus } from './src/assemble.ts';
import { defaultFilesDir, makeFile } from './src/files.ts';
import { boundedMemo, suggest } from './src/memo.ts';
import { loadNative } from './src/native.ts';
import { pathLength, randomPath, segmentLength } from './src/path-length.ts';

const entry = fileURLToPath(new URL('./src/server.ts', import.meta.url));
const hitStepEntry = fileURLToPath(new URL('./src/hit-step-server.ts', import.meta.url));
const fastifyEntry = fileURLToPath(new URL('./src/fastify-server.ts', import.meta.url));
const parts = ['catalogue', 'csv', 'files', 'stats', 'memo', 'addon', 'hit', 'fastify'] as const;
type Part = (typeof parts)[number];

// A full GC on demand, to read the memo's footprint without garbage in the number.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** A server process for one variant (or several sharing it). */
function server(env: Record<string, string>): () => Promise<Target> {
  return async () => {
    const child = await spawnServer(entry, { env });
    return { url: child.url, close: () => child.close() };
  };
}

async function metric<T>(t: Target, pick: (m: any) => T): Promise<T> {
  return pick(await (await fetch(`${t.url}/metrics`)).json());
}

async function catalogue(options: BenchOptions): Promise<void> {
  const target = server({ DB_PATH: ':memory:', SEED_COUNT: '0', BIG_FILE_MB: '1' });
  await benchHttp({
    lesson: 'lesson-07', title: 'catalogue: JSON string per request vs pre-encoded Buffer', options,
    variants: [
      { name: 'string', target, request: { path: '/catalogue/string' } },
      { name: 'buffer', target, request: { path: '/catalogue/buffer' } },
    ],
  });
}

async function csv(options: BenchOptions): Promise<void> {
  const items = [...generateItems(10_000)];
  await benchOps({
    lesson: 'lesson-07', title: 'CSV export of 10k items: += vs join vs Buffer.concat', unit: 'exports/s', options,
    variants: [
      { name: 'buffer-concat', run: () => csvWithConcat(items) },
      { name: 'string-plus', run: () => csvWithPlus(items), baseline: 'buffer-concat' },
      { name: 'array-join', run: () => csvWithJoin(items), baseline: 'buffer-concat' },
    ],
  });
}

async function files(options: BenchOptions, mb: number, concurrent: number): Promise<void> {
  const name = `big-${mb}mb.bin`;
  await makeFile(join(defaultFilesDir, name), mb * 1024 * 1024, (message) => console.error(`lesson-07 bench: ${message}`));
  // The server refuses buffered downloads beyond MAX_BUFFERED_DOWNLOADS (1 by default): allow
  // the bench's concurrent ones, whose memory is what it measures.
  const env = { DB_PATH: ':memory:', SEED_COUNT: '0', BIG_FILE_MB: String(mb), FILES_DIR: defaultFilesDir, MAX_BUFFERED_DOWNLOADS: String(concurrent) };
  const targets: Target[] = [];
  // One process per variant: peak RSS (getrusage maxrss) is per process, for its lifetime.
  const variant = (label: string, mode: string): OpsVariant => {
    let target: Target | undefined;
    return {
      name: label,
      setup: async () => { target = await server(env)(); targets.push(target); },
      // One op: `concurrent` downloads at once, each body read to the end and discarded.
      run: () => Promise.all(Array.from({ length: concurrent }, () => download(`${target!.url}/files/${name}/${mode}`))),
      collect: async () => ({ 'peak RSS MB': await metric(target!, (m) => m.custom.optimize.maxRssBytes / 1e6) }),
      teardown: () => target?.close?.(),
    };
  };
  const result = await benchOps({
    lesson: 'lesson-07', title: `download a ${mb} MiB file, ${concurrent} at a time: readFile vs stream`, unit: 'batches/s', options,
    variants: [variant('readFile', 'buffered'), variant('stream', 'stream')],
  });
  for (const v of result.variants) console.log(`${v.name}: ${(v.rate * concurrent * mb * 1.048576).toFixed(0)} MB/s over ${concurrent} concurrent downloads`);
}

/** GETs `url` and drains the body; resolves with its byte count, rejects on a non-200. */
function download(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      if (res.statusCode !== 200) { res.resume(); reject(new Error(`${url}: HTTP ${res.statusCode}`)); return; }
      let bytes = 0;
      res.on('data', (chunk: Buffer) => { bytes += chunk.length; });
      res.on('end', () => resolve(bytes));
      res.on('error', reject);
    }).on('error', reject);
  });
}

async function stats(options: BenchOptions): Promise<void> {
  const dbPath = prepareBenchDatabase('lesson-07-bench', 100_000);
  const target = server({ DB_PATH: dbPath, BIG_FILE_MB: '1' });
  // One write in ten: every write throws the kept statistics away, so the next read scans.
  const withWrites = (path: string) => ({
    requests: Array.from({ length: 10 }, (_, i) => (i === 9
      ? { method: 'PATCH' as const, path: '/items/1', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ priceCents: 4200 }) }
      : { method: 'GET' as const, path })),
  });
  // When autocannon stops, the recompute variant still owes one scan per connection; wait
  // until the server answers /health promptly so no round pays for the previous one's backlog.
  const beforeRound = async (t: Target): Promise<void> => {
    for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
      const started = performance.now();
      await fetch(`${t.url}/health`);
      if (performance.now() - started < 20) break;
    }
  };
  await benchHttp({
    lesson: 'lesson-07', title: 'category stats (100k rows): recompute per request vs once per write', options,
    variants: [
      { name: 'recompute', target, beforeRound, request: { path: '/stats/recompute' } },
      { name: 'cached', target, beforeRound, request: { path: '/stats/cached' }, baseline: 'recompute' },
      { name: 'recompute+writes', target, beforeRound, request: withWrites('/stats/recompute') },
      { name: 'cached+writes', target, beforeRound, request: withWrites('/stats/cached'), baseline: 'recompute+writes' },
    ],
  });
}

async function memo(options: BenchOptions): Promise<void> {
  const vocabulary = [...generateItems(200)].map((item) => item.name.toLowerCase());
  const random = createRandom(7);
  // Queries follow a skewed distribution, as real search terms do: a few are very common.
  const pool = Array.from({ length: 5000 }, (_, i) => `${vocabulary[i % vocabulary.length]!.slice(0, 6)}${i}`);
  const skewed = Array.from({ length: 100_000 }, () => pool[Math.floor(pool.length * random() ** 4)]!);
  // Keys never seen before, shaped like the skewed ones (same prefixes, same lengths).
  const fresh = (n: number) => `${vocabulary[n % vocabulary.length]!.slice(0, 6)}${5000 + (n % 5000)}#${Math.floor(n / 5000)}`;
  let i = 0;
  let u = 0;
  let v = 0;
  const plain = (q: string) => suggest(q, vocabulary);
  const memoSkewed = boundedMemo(plain, 1000);
  const memoUnique = boundedMemo(plain, 1000);
  const footprint = () => {
    gc();
    const before = process.memoryUsage().heapUsed;
    const probe = boundedMemo(plain, 1000);
    for (let k = 0; k < 1000; k++) probe(fresh(k));
    gc();
    const kb = (process.memoryUsage().heapUsed - before) / 1024;
    probe.clear();
    return { 'memo KB': kb, entries: memoSkewed.size };
  };
  await benchOps({
    lesson: 'lesson-07', title: '"did you mean" over 200 names: no memo vs bounded memo (1000 entries)', unit: 'queries/s', options,
    variants: [
      { name: 'no-memo', run: () => plain(skewed[i++ % skewed.length]!) },
      { name: 'memo', run: () => memoSkewed(skewed[i++ % skewed.length]!), collect: footprint, baseline: 'no-memo' },
      // Every key new: the memo can only add its own cost (a lookup, an insert, an eviction).
      { name: 'no-memo-unique', run: () => plain(fresh(u++)) },
      { name: 'memo-unique', run: () => memoUnique(fresh(v++)), baseline: 'no-memo-unique', collect: () => ({ entries: memoUnique.size }) },
    ],
  });
  console.log(`memo hit rate: ${((100 * memoSkewed.hits) / Math.max(1, memoSkewed.hits + memoSkewed.misses)).toFixed(1)}%`);
}

async function addon(options: BenchOptions): Promise<void> {
  const native = loadNative();
  const small = randomPath(1000, 11);
  const segments = (fn: (a: number, b: number, c: number, d: number) => number) => () => {
    let total = 0;
    for (let k = 2; k + 1 < small.length; k += 2) total += fn(small[k - 2]!, small[k - 1]!, small[k]!, small[k + 1]!);
    return total;
  };
  await benchOps({
    lesson: 'lesson-07', title: 'addon, many small calls: 999 segmentLength calls per op', unit: 'paths/s', options,
    variants: [
      { name: 'js-calls', run: segments(segmentLength) },
      { name: 'native-calls', run: segments(native.segmentLength) },
    ],
  });

  const big = randomPath(2_000_000, 13);
  await benchOps({
    lesson: 'lesson-07', title: 'addon, one batched call over 2M points (Float64Array)', unit: 'paths/s', options,
    variants: [
      { name: 'js-batch', run: () => pathLength(big) },
      { name: 'native-batch', run: () => native.pathLength(big) },
    ],
  });

  // Event-loop delay while the work runs: a 1 ms timer records how late it fires.
  const loop = monitorEventLoopDelay({ resolution: 1 });
  const delay = () => {
    const p99 = loop.count > 0 ? loop.percentile(99) / 1e6 - 1 : 0;
    const max = loop.count > 0 ? loop.max / 1e6 - 1 : 0;
    loop.reset();
    return { 'loop p99 ms': Math.max(0, p99), 'loop max ms': Math.max(0, max) };
  };
  // How long each call held the main thread: for pathLengthAsync, the copy of the input.
  const held: number[] = [];
  const timedCall = <T>(call: () => T): T => {
    const started = performance.now();
    const result = call();
    held.push(performance.now() - started);
    return result;
  };
  const heldMs = () => {
    const sorted = held.splice(0).sort((a, b) => a - b);
    return { 'call ms': sorted[sorted.length >> 1] ?? 0 };
  };
  await benchOps({
    lesson: 'lesson-07', title: 'addon on the main thread vs AsyncWorker (libuv pool), 2M points', unit: 'paths/s', options,
    variants: [
      // Yield after each call so timers can fire at all; the delay is then one call long.
      { name: 'native-sync', run: async () => { timedCall(() => native.pathLength(big)); await yieldToLoop(); }, setup: () => { loop.enable(); }, collect: () => ({ ...delay(), ...heldMs() }), teardown: () => { loop.disable(); } },
      { name: 'native-async', run: () => timedCall(() => native.pathLengthAsync(big)), collect: () => ({ ...delay(), ...heldMs() }), baseline: 'native-sync' },
      { name: 'native-async-x2', run: () => Promise.all([timedCall(() => native.pathLengthAsync(big)), timedCall(() => native.pathLengthAsync(big))]), collect: () => ({ ...delay(), ...heldMs() }), baseline: 'native-sync' },
    ],
  });
  await pool(native, options);
}

/**
 * An AsyncWorker occupies one of libuv's pool threads (4 by default) for its whole run, and
 * fs, dns.lookup, crypto and zlib queue for the same threads. fs.promises.readFile of a
 * small file alone, and while four 2M-point jobs keep every pool thread busy.
 */
async function pool(native: ReturnType<typeof loadNative>, options: BenchOptions): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lesson-07-pool-'));
  const file = join(dir, 'small.json');
  writeFileSync(file, JSON.stringify({ hello: 'pool' }).repeat(100));
  const threads = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
  let active = false;
  let loops: Promise<void>[] = [];
  const held: number[] = [];
  // Each job gets a fresh (zero-filled) array and takes it with pathLengthAsyncTransfer: no
  // copy, so the main thread stays free and only the pool is busy.
  const keepBusy = async (): Promise<void> => {
    while (active) {
      const started = performance.now();
      const job = native.pathLengthAsyncTransfer(new Float64Array(4_000_000));
      held.push(performance.now() - started);
      await job;
    }
  };
  const start = () => { if (!active) { active = true; loops = Array.from({ length: threads }, keepBusy); } };
  const stop = async () => { active = false; await Promise.all(loops); };
  try {
    await benchOps({
      lesson: 'lesson-07', title: `fs.promises.readFile (5 KB) alone vs while ${threads} AsyncWorker jobs hold the libuv pool`, unit: 'reads/s', options,
      variants: [
        // If the jobs still run (warm-up, calibration), end them first: this variant needs an idle pool.
        { name: 'readFile', run: async () => { if (active) await stop(); return readFile(file); } },
        {
          name: `readFile+${threads}-jobs`, baseline: 'readFile',
          run: () => { start(); return readFile(file); },
          // Collected after each round: stop the jobs so the other variant runs on an idle pool.
          collect: async () => {
            await stop();
            const sorted = held.splice(0).sort((a, b) => a - b);
            return { 'job call ms': sorted[sorted.length >> 1] ?? 0 };
          },
        },
      ],
    });
  } finally {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Where a cache hit's time goes: lesson 01's bare node:http hello, then the same cached
 * `GET /items/1` on servers that each add one step (src/hit-steps.ts). Same connections, one
 * process each; the harness's `srv µs/req` is each server's CPU per request, so the difference
 * between neighbours is what that step costs. `--profile` adds the what-changed view.
 */
/** Starts `entryFile` once per variant function that uses it (benchHttp starts each function once). */
const spawned = (entryFile: string, env: Record<string, string> = {}) => async (): Promise<Target> => {
  const child = await spawnServer(entryFile, { env });
  return { url: child.url, close: () => child.close() };
};

async function hit(options: BenchOptions): Promise<void> {
  const result = await benchHttp({
    lesson: 'lesson-07', title: 'a cache hit of GET /items/:id, step by step, against bare node:http hello', options,
    variants: [
      { name: 'node-http hello', target: spawned(lesson01.http), request: { path: '/index' } },
      ...hitSteps.map((step) => ({
        name: step, target: spawned(hitStepEntry, { HIT_STEP: step, SEED_COUNT: '1000' }), request: { path: '/items/1' },
      })),
    ],
  });
  const hello = result.variants[0]!;
  const rows = [['step', 'req/s', 'x hello', 'srv us/req', '+us vs previous']];
  let previous: number | undefined;
  for (const v of result.variants) {
    if (v.name.endsWith('(A/A)')) continue;
    const us = v.attribution?.serverCpuUsPerRequest;
    rows.push([v.name, v.rate.toFixed(0), formatRatio(v.rate / hello.rate), us === undefined ? '-' : fmt(us), us === undefined || previous === undefined ? '' : fmt(us - previous)]);
    previous = us;
  }
  console.log(`\nattribution (each step adds one thing to the one above; srv us/req is the server's CPU per request):\n${table(rows)}`);
}

/**
 * The same API on fastify beside the Express service, on three workloads: a cached read by id,
 * a cached category page (20 items), a write (PATCH, which also drops the cached pages). Same
 * store (lesson 03's cache over SQLite), same seed, one process each. By id, the Express service
 * runs twice: through Express alone and behind the hot path (what `npm start` serves).
 */
async function fastify(options: BenchOptions): Promise<void> {
  const env = { SEED_COUNT: '1000' };
  const expressService = spawned(hitStepEntry, { ...env, HIT_STEP: 'service' });
  const expressHot = spawned(hitStepEntry, { ...env, HIT_STEP: 'hot-path' });
  const onFastify = spawned(fastifyEntry, env);
  const byId = { path: '/items/1' };
  const page = { path: `/items?category=${encodeURIComponent(categories[0]!)}&limit=20` };
  const write = { method: 'PATCH' as const, path: '/items/2', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ priceCents: 4200 }) };
  await benchHttp({
    lesson: 'lesson-07', title: 'the items API: Express service vs fastify (by id, a category page, a write)', options,
    variants: [
      { name: 'express by-id', target: expressService, request: byId },
      { name: 'express+hot-path by-id', target: expressHot, request: byId, baseline: 'express by-id' },
      { name: 'fastify by-id', target: onFastify, request: byId, baseline: 'express by-id' },
      { name: 'express page', target: expressHot, request: page },
      { name: 'fastify page', target: onFastify, request: page, baseline: 'express page' },
      { name: 'express write', target: expressHot, request: write },
      { name: 'fastify write', target: onFastify, request: write, baseline: 'express write' },
    ],
  });
}

runBench(async () => {
  const { options, values } = parseBenchArgs(process.argv.slice(2), {}, { part: { type: 'string', multiple: true }, mb: { type: 'string' } });
  const wanted = (values.part as string[] | undefined) ?? [...parts];
  for (const p of wanted) if (!parts.includes(p as Part)) throw new UsageError(`--part must be one of ${parts.join(', ')}, got "${p}"`);
  // --short (CI) downloads a 32 MiB file; the full run uses 200 MiB, as the README reports.
  const mb = Number(values.mb ?? (options.short ? 32 : 200));
  if (!Number.isInteger(mb) || mb < 1 || mb > 1024) throw new UsageError(`--mb must be a whole number from 1 to 1024, got "${values.mb}"`);
  const has = (p: Part) => wanted.includes(p);
  if (has('catalogue')) await catalogue(options);
  if (has('csv')) await csv(options);
  // Two downloads at a time: with readFile that is two whole files in memory per process.
  if (has('files')) await files(options, mb, values.connections === undefined ? 2 : options.connections);
  if (has('stats')) await stats({ ...options, connections: values.connections === undefined ? 4 : options.connections });
  if (has('memo')) await memo(options);
  if (has('addon')) await addon(options);
  if (has('hit')) await hit(options);
  if (has('fastify')) await fastify(options);
});
