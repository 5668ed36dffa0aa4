/**
 * Lesson 05's bench, in one run:
 *  1. reads vs writes on the same SQLite-backed API (closed loop, the course's harness, with
 *     attribution: where each request's CPU went);
 *  2. open-loop latency against offered load for two fixed service times (2 ms, 0.5 ms), under
 *     Poisson and evenly spaced arrivals, beside the M/D/1 model, as a table and an SVG chart
 *     (results/lesson-05/latency-vs-offered-load.svg);
 *  3. a server that stalls 500 ms every 5 s, measured closed-loop (autocannon, wrk) and
 *     open-loop (this lesson's generator, httperf) side by side: coordinated omission, seen.
 *
 *   npm run bench [-- --short] [--profile] [--part rw|sweep|stall] [--arrivals poisson|fixed]
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '@course/shared';
import {
  benchHttp, canPin, cpuSplit, createLatencyHistogram, pinGenerator, environmentLine, fmt, parseBenchArgs, pinServer, runAutocannon, runBench,
  spawnServer, table, UsageError, waitUntilIdle, type BenchOptions, type RequestSpec, type Target,
} from '@course/shared/bench';
import { installed, runHttperf, runWrk, type ToolLatency } from './src/open-loop/external-tools.ts';
import type { Arrivals } from './src/open-loop/open-loop.ts';
import { openLoopInChild, type OpenLoopSummary } from './src/open-loop/run-child.ts';
import { latencyChart, type Series } from './src/open-loop/svg-chart.ts';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
const seedCount = 100_000;
const parts = ['rw', 'sweep', 'stall'] as const;

/** 1. GET /items/:id against POST /items with a unique sku per request. */
async function readsVsWrites(options: BenchOptions): Promise<void> {
  const dbPath = join(repoRoot, 'data', 'lesson-05-bench.db');
  let sequence = 0;
  const server = (path: string, env: Record<string, string> = {}) => async (): Promise<Target> => {
    // A fresh database each run: the writes of the last run must not change this one.
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
    const child = await spawnServer(here('./src/server.ts'), { env: { DB_PATH: path, SEED_COUNT: String(seedCount), ...env }, timeoutMs: 120_000 });
    return { url: child.url, pid: child.pid, close: () => child.close() };
  };
  const target = server(dbPath);
  // The same server with SQLite's automatic checkpoints off: if the write tail is the commit
  // that runs a checkpoint, it goes away here (the WAL just grows during the run).
  const noCheckpoint = server(dbPath.replace(/\.db$/, '-nocheckpoint.db'), { WAL_AUTOCHECKPOINT: '0' });
  const write: RequestSpec = {
    requests: [{
      method: 'POST',
      path: '/items',
      headers: { 'content-type': 'application/json' },
      // LESSON: a unique sku per request, or the API answers 409 after the first insert.
      setupRequest: (req) => ({
        ...req,
        body: JSON.stringify({ sku: `BENCH-${process.pid}-${++sequence}`, name: 'Bench lamp', category: 'tools', priceCents: 1999, tags: ['bulk'] }),
      }),
    }],
  };
  await benchHttp({
    lesson: 'lesson-05',
    title: 'SQLite reads vs writes',
    options,
    variants: [
      {
        name: 'read GET /items/:id',
        target,
        request: { requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/items/${1 + Math.floor(Math.random() * seedCount)}` }) }] },
      },
      { name: 'write POST /items', target, request: write, baseline: 'read GET /items/:id' },
      { name: 'write, no autocheckpoint', target: noCheckpoint, request: write, baseline: 'write POST /items' },
    ],
  });
}

/**
 * Pins a one-process server to its own CPU and this process (autocannon) to the others;
 * returns the CPU list for generator child processes, or undefined when it could not pin.
 */
function isolate(pid: number): string | undefined {
  if (!canPin() || !pinServer(pid)) return undefined;
  pinGenerator(true);
  return cpuSplit().generator;
}

/** Mean time in an M/D/1 system (Poisson arrivals, fixed service time 1/capacity) at `rate`. */
function mD1MeanMs(rate: number, capacity: number): number | undefined {
  const rho = rate / capacity;
  if (rho >= 1) return undefined;
  const serviceMs = 1000 / capacity;
  return serviceMs * (1 + rho / (2 * (1 - rho)));
}

/**
 * 2. Latency from the intended send time against offered load, for two fixed service times
 * (2 ms and 0.5 ms of busy work per request), each under Poisson and evenly spaced arrivals.
 */
async function sweep(options: BenchOptions, arrivalsToRun: readonly Arrivals[]): Promise<void> {
  const server = await spawnServer(here('./src/open-loop/fixed-cost-server.ts'));
  try {
    const cpu = isolate(server.pid);
    const variants = [
      { name: '2 ms', path: '/spin?us=2000' },
      { name: '0.5 ms', path: '/spin?us=500' },
    ];
    const fractions = options.short ? [0.5, 1.0] : [0.25, 0.5, 0.7, 0.8, 0.9, 1.0, 1.1];
    const seconds = options.short ? 1 : Math.min(options.duration, 4);
    type Row = { variant: string; arrivals: Arrivals; capacity: number; fraction: number; r: OpenLoopSummary };
    const rows: Row[] = [];
    for (const v of variants) {
      const url = `${server.url}${v.path}`;
      // Capacity: what a closed loop of 10 connections gets, after a warm-up.
      if (options.warmup > 0) await runAutocannon(server.url, options.warmup, 10, { path: v.path });
      const closed = await runAutocannon(server.url, options.short ? 1 : 3, 10, { path: v.path });
      const capacity = closed.requests.total / closed.duration;
      for (const arrivals of arrivalsToRun) {
        for (const fraction of fractions) {
          await waitUntilIdle([server.url], { timeoutMs: 60_000 });
          const rate = Math.max(1, Math.round(capacity * fraction));
          process.stderr.write(`lesson-05 · open loop · ${v.name} at ${rate} req/s (${fraction}x capacity), ${arrivals} arrivals, for ${seconds} s\n`);
          rows.push({ variant: v.name, arrivals, capacity, fraction, r: await openLoopInChild(url, rate, seconds, { timeoutMs: 30_000, cpu, arrivals }) });
        }
      }
    }
    console.log(`\nlesson-05 · open-loop latency vs offered load (a fixed service time per request) · ${environmentLine()}`);
    console.log(`each point: 1 s unrecorded then ${seconds} s of arrivals at the offered rate from a separate generator process (keep-alive, no socket limit), latency from the intended send time; capacity = closed-loop req/s at 10 connections; M/D/1 = the model's mean for Poisson arrivals with service time 1/capacity`);
    if (options.short) console.log('SMOKE RUN (--short): shows that the bench works; its numbers are not a measurement');
    console.log(cpu ? `isolation: server pinned to CPU ${cpuSplit().server}, generators to CPU ${cpu} (taskset)` : 'isolation: none (no taskset or one CPU)');
    console.log(table([
      ['service', 'arrivals', 'capacity', 'offered', 'achieved', 'mean ms', 'M/D/1 ms', 'p50 ms', 'p99 ms', 'p99.9 ms', 'failed', 'send lag p99 ms'],
      ...rows.map(({ variant, arrivals, capacity, fraction, r }) => [
        variant, arrivals, fmt(capacity), `${fmt(r.offeredRate)} (${fraction}x)`, fmt(r.achievedRate), fmt(r.latencyMs.mean),
        // The model is of a steady state, which a queue at or past capacity never reaches.
        arrivals === 'poisson' && fraction < 1 ? fmt(mD1MeanMs(r.offeredRate, capacity)) : '–', fmt(r.latencyMs.p50), fmt(r.latencyMs.p99), fmt(r.latencyMs.p999),
        String(r.errors + r.timeouts), fmt(r.sendLagP99Ms),
      ]),
    ]));
    const lagging = rows.filter(({ r }) => r.sendLagP99Ms > 5);
    if (lagging.length) console.log(`warning: the generator fell behind its schedule (send lag p99 > 5 ms) at ${lagging.map((x) => `${x.variant} ${x.arrivals} ${x.fraction}x`).join(', ')}: those points measure the generator too`);
    const series: Series[] = variants.flatMap((v) => arrivalsToRun.flatMap((arrivals) => (['p50', 'p99'] as const).map((percentile) => ({
      variant: `${v.name} ${arrivals}`,
      percentile,
      points: rows.filter((row) => row.variant === v.name && row.arrivals === arrivals).map(({ r }) => ({ x: r.offeredRate, y: percentile === 'p50' ? r.latencyMs.p50 : r.latencyMs.p99 })),
    }))));
    const dir = join(repoRoot, 'results', 'lesson-05');
    mkdirSync(dir, { recursive: true });
    const svg = join(dir, 'latency-vs-offered-load.svg');
    writeFileSync(svg, latencyChart(series, `open-loop latency vs offered load · fixed service time · ${environmentLine()}`));
    console.log(`chart: ${relative(repoRoot, svg)}`);
  } finally {
    pinGenerator(false);
    await server.close();
  }
}

/** 3. The stalling server under closed- and open-loop generators. */
async function stall(options: BenchOptions, arrivals: Arrivals): Promise<void> {
  const everyMs = options.short ? 1000 : 5000;
  const stallMs = options.short ? 100 : 500;
  const seconds = options.short ? 2 : 10;
  const rate = 1000;
  const server = await spawnServer(here('./src/open-loop/stall-server.ts'), { env: { STALL_EVERY_MS: String(everyMs), STALL_MS: String(stallMs) } });
  try {
    const cpu = isolate(server.pid);
    const url = `${server.url}/`;
    type Row = { tool: string; loop: string; result: ToolLatency | undefined; note?: string };
    const rows: Row[] = [];
    const fromSummary = (s: OpenLoopSummary, which: 'latencyMs' | 'serviceMs'): ToolLatency => ({
      rate: s.achievedRate, requests: s.completed, p50: s[which].p50, p99: s[which].p99, p999: s[which].p999, max: s[which].max, mean: s[which].mean, errors: s.errors + s.timeouts,
    });
    const step = (what: string): void => { process.stderr.write(`lesson-05 · stall demo · ${what} for ${seconds} s\n`); };

    step('autocannon -c 50');
    const histogram = createLatencyHistogram();
    const ac = await runAutocannon(server.url, seconds, 50, { path: '/' }, histogram);
    rows.push({ tool: 'autocannon -c 50', loop: 'closed', result: { rate: ac.requests.total / ac.duration, requests: ac.requests.total, p50: histogram.percentileMs(50), p99: histogram.percentileMs(99), p999: histogram.percentileMs(99.9), max: histogram.maxMs(), mean: Number(histogram.hdr.mean) / 1000, errors: ac.errors + ac.timeouts } });
    if (installed('wrk')) {
      step('wrk -t1 -c50');
      rows.push({ tool: 'wrk -t1 -c50', loop: 'closed', result: await runWrk(url, seconds, 50, cpu), note: 'no p99.9 without a script' });
    } else {
      rows.push({ tool: 'wrk', loop: 'closed', result: undefined, note: 'skipped: not installed (apt-get install wrk)' });
    }
    step(`open loop ${rate} req/s, keep-alive`);
    const open = await openLoopInChild(url, rate, seconds, { cpu, arrivals });
    rows.push({ tool: `open loop ${rate}/s (this lesson)`, loop: 'open', result: fromSummary(open, 'latencyMs') });
    rows.push({ tool: '  same run, from actual send', loop: 'open', result: fromSummary(open, 'serviceMs'), note: `sent on time (lag p99 ${fmt(open.sendLagP99Ms)} ms)` });
    step(`open loop ${rate} req/s, new connection each`);
    const fresh = await openLoopInChild(url, rate, seconds, { cpu, newConnections: true, arrivals });
    rows.push({ tool: `open loop ${rate}/s, new conn. each`, loop: 'open', result: fromSummary(fresh, 'latencyMs') });
    if (installed('httperf')) {
      step(`httperf --rate ${rate}`);
      rows.push({ tool: `httperf --rate ${rate} (new conn. each)`, loop: 'open', result: await runHttperf(url, rate, seconds, cpu), note: 'median is of 1 ms bins; no p99' });
    } else {
      rows.push({ tool: 'httperf', loop: 'open', result: undefined, note: 'skipped: not installed (apt-get install httperf)' });
    }
    const f = stallMs / everyMs;
    console.log(`\nlesson-05 · a server that stalls ${stallMs} ms every ${everyMs / 1000} s: closed vs open loop · ${environmentLine()}`);
    console.log(`${seconds} s per generator, one after another, same server (pid ${server.pid}); latencies in ms`);
    console.log(cpu ? `isolation: server pinned to CPU ${cpuSplit().server}, generators to CPU ${cpu} (taskset)` : 'isolation: none (no taskset or one CPU)');
    if (options.short) console.log('SMOKE RUN (--short): shows that the bench works; its numbers are not a measurement');
    console.log(table([
      ['generator', 'loop', 'req/s', 'p50', 'p99', 'p99.9', 'max', 'mean', 'failed', 'note'],
      ...rows.map(({ tool, loop, result: r, note }) => [tool, loop, fmt(r?.rate), fmt(r?.p50), fmt(r?.p99), fmt(r?.p999), fmt(r?.max), fmt(r?.mean), r ? String(r.errors) : '–', note ?? '']),
    ]));
    // A request arriving at a uniformly random time lands in a stall with probability f and
    // then waits up to stallMs: P(wait > x) = f·(1 − x/stallMs), see NOTES.md.
    console.log(`model: ${(f * 100).toFixed(0)}% of arrivals land in a stall; open-loop p99 ≈ ${fmt(stallMs * (1 - 0.01 / f))} ms, mean ≈ ${fmt((f * stallMs) / 2)} ms added`);
  } finally {
    pinGenerator(false);
    await server.close();
  }
}

runBench(async () => {
  const { options, values } = parseBenchArgs(process.argv.slice(2), {}, { part: { type: 'string' }, arrivals: { type: 'string' } });
  const part = values.part as string | undefined;
  if (part !== undefined && !(parts as readonly string[]).includes(part)) throw new UsageError(`--part must be one of ${parts.join(', ')}, got "${part}"`);
  // Both arrival processes by default: the sweep compares them; --arrivals keeps one (and sets
  // the stall demo's, Poisson otherwise).
  const chosen = values.arrivals as string | undefined;
  if (chosen !== undefined && chosen !== 'fixed' && chosen !== 'poisson') throw new UsageError(`--arrivals must be fixed or poisson, got "${chosen}"`);
  const sweepArrivals: Arrivals[] = chosen ? [chosen as Arrivals] : ['poisson', 'fixed'];
  const arrivals: Arrivals = (chosen as Arrivals | undefined) ?? 'poisson';
  if (!part || part === 'rw') await readsVsWrites(options);
  if (!part || part === 'sweep') await sweep(options, sweepArrivals);
  if (!part || part === 'stall') await stall(options, arrivals);
});
