/**
 * `npm run scoreboard [-- --short] [--only 02,03] [--workloads by-id,mixed] [--repeats N] [--seconds S] [--bisections N] [--max R] [--slo MS]`
 *
 * Every stage of the course's service on the same three workloads: capacity at a latency
 * objective (p99 <= 25 ms, no failed request; open loop, Poisson arrivals, searched over rates,
 * repeated) and server CPU per request at one fixed moderate rate. Writes results/scoreboard.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '@course/shared';
import { fmt, machineCores, snapshotTree, table, waitUntilIdle } from '@course/shared/bench';
import type { OpenLoopSummary } from 'lesson-05';
import { meanInterval } from './interval.ts';
import { startGenerator, type Generator } from './load-child.ts';
import { findCapacity, type Probe, type SearchResult } from './search.ts';
import { stages, type RunningStage } from './stages.ts';
import type { Scoreboard, ScoreboardCell } from './types.ts';
import { workloads, type WorkloadId } from './workloads.ts';

interface Settings {
  short: boolean;
  only?: string[];
  workloads: WorkloadId[];
  repeats: number;
  /** Measured seconds per probe, after `warmup` unrecorded seconds at the same rate. */
  seconds: number;
  warmup: number;
  start: number;
  max: number;
  bisections: number;
  sloP99Ms: number;
  cpuRate: number;
  cpuSeconds: number;
}

export function parseScoreboardArgs(argv: readonly string[]): Settings {
  const { values } = parseArgs({
    args: argv.filter((a) => a !== '--'),
    options: {
      short: { type: 'boolean' }, only: { type: 'string' }, workloads: { type: 'string' }, repeats: { type: 'string' },
      seconds: { type: 'string' }, bisections: { type: 'string' }, max: { type: 'string' }, slo: { type: 'string' },
    },
    strict: true,
  });
  const short = values.short === true;
  const number = (name: string, raw: string | undefined, fallback: number, min: number, max: number): number => {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || n > max) throw new Error(`--${name} must be a number from ${min} to ${max}, got "${raw}"`);
    return n;
  };
  const only = values.only?.split(',').map((s) => s.trim()).filter(Boolean);
  for (const id of only ?? []) if (!stages.some((s) => s.id === id)) throw new Error(`--only: no stage "${id}" (have ${stages.map((s) => s.id).join(', ')})`);
  const chosen = values.workloads?.split(',').map((s) => s.trim()) ?? workloads.map((w) => w.id);
  for (const id of chosen) if (!workloads.some((w) => w.id === id)) throw new Error(`--workloads: no workload "${id}" (have ${workloads.map((w) => w.id).join(', ')})`);
  return {
    short,
    only,
    workloads: chosen as WorkloadId[],
    repeats: Math.round(number('repeats', values.repeats, short ? 1 : 3, 1, 10)),
    seconds: number('seconds', values.seconds, short ? 1 : 3, 0.5, 60),
    warmup: 1,
    start: short ? 100 : 800,
    // The generator is one Node process: beyond this it may be late itself (judge() says so).
    max: number('max', values.max, short ? 400 : 25_600, 10, 100_000),
    bisections: Math.round(number('bisections', values.bisections, short ? 1 : 3, 0, 8)),
    sloP99Ms: number('slo', values.slo, 25, 1, 10_000),
    // High enough that a stage's fixed background work (timers, monitors, pm2's daemon) is a
    // small part of each request's share; low enough for every stage to serve it easily.
    cpuRate: short ? 100 : 1000,
    cpuSeconds: short ? 1 : 5,
  };
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Requests a summary counts as failed: errors, timeouts, and answers other than 2xx. */
export function failedRequests(s: Pick<OpenLoopSummary, 'errors' | 'timeouts' | 'statuses'>): number {
  const non2xx = Object.entries(s.statuses).filter(([code]) => !code.startsWith('2')).reduce((sum, [, n]) => sum + n, 0);
  return s.errors + s.timeouts + non2xx;
}

/** Pass or fail of one run against the objective, with the reason. */
export function judge(s: OpenLoopSummary, sloP99Ms: number): Probe {
  const failed = failedRequests(s);
  const p99Ms = s.latencyMs.p99;
  let reason: string | undefined;
  if (failed > 0) reason = `${failed} failed`;
  // A generator that sent late measures itself: the latency it reports includes its own lag.
  else if (s.sendLagP99Ms > sloP99Ms / 2) reason = `generator late (send lag p99 ${fmt(s.sendLagP99Ms)} ms)`;
  else if (p99Ms > sloP99Ms) reason = `p99 ${fmt(p99Ms)} ms`;
  return { rate: s.offeredRate, ok: reason === undefined, p99Ms, failed, reason };
}

async function measureCell(generator: Generator, stage: RunningStage, workload: WorkloadId, workloadIndex: number, settings: Settings, keys: number): Promise<{ cell: Omit<ScoreboardCell, 'stage' | 'workload'>; searches: SearchResult[] }> {
  const searches: SearchResult[] = [];
  for (let repeat = 0; repeat < settings.repeats; repeat++) {
    // The same seed for a repeat on every stage: each stage is offered the same requests.
    const seed = 1000 * (repeat + 1) + workloadIndex;
    const search = await findCapacity(async (rate) => {
      // A run where the generator itself fell behind says nothing about the server: run it
      // again (twice at most; not in a smoke run) before counting it as a failure.
      let probe: Probe | undefined;
      for (let attempt = 0; attempt < (settings.short ? 1 : 3) && (!probe || probe.reason?.startsWith('generator late')); attempt++) {
        await waitUntilIdle([stage.url], { timeoutMs: 10_000, path: '/items/1' });
        const summary = await generator.run({ url: stage.url, workload, keys, seed, rate, seconds: settings.seconds, warmupSeconds: settings.warmup, timeoutMs: 5_000 });
        probe = judge(summary, settings.sloP99Ms);
        process.stderr.write(`  ${workload} repeat ${repeat + 1}: ${rate} req/s → p99 ${fmt(probe.p99Ms)} ms, ${probe.failed} failed: ${probe.ok ? 'pass' : `fail (${probe.reason})`}\n`);
        await pause(300);
      }
      return probe!;
    }, { start: settings.start, max: settings.max, min: 10, bisections: settings.bisections });
    searches.push(search);
  }
  const repeats = searches.map((s) => s.capacity);
  const notes: string[] = [];
  if (searches.some((s) => s.capped)) notes.push(`reached the search's ceiling (--max ${settings.max} req/s) in ${searches.filter((s) => s.capped).length} of ${searches.length} searches: capacity is at least this`);
  const generatorLimited = searches.filter((s) => s.probes.some((p) => p.reason?.startsWith('generator late')));
  if (generatorLimited.length > 0) notes.push(`the generator fell behind its schedule in ${generatorLimited.length} search(es): those failures measure the generator, not the server`);
  const { mean, ci } = meanInterval(repeats);

  // CPU per request at one moderate rate, whole process tree, from /proc.
  await waitUntilIdle([stage.url], { timeoutMs: 10_000, path: '/items/1' });
  const before = snapshotTree(stage.pids());
  const summary = await generator.run({ url: stage.url, workload, keys, seed: 99, rate: settings.cpuRate, seconds: settings.cpuSeconds, warmupSeconds: settings.warmup, timeoutMs: 5_000 });
  const after = snapshotTree(stage.pids());
  const requests = summary.sent + Math.round(settings.cpuRate * settings.warmup);
  const cpuPerRequestUs = before && after ? ((after.cpuSeconds - before.cpuSeconds) * 1e6) / requests : undefined;
  const cpuFailed = failedRequests(summary);
  if (cpuFailed > 0) notes.push(`${cpuFailed} requests failed during the CPU run at ${settings.cpuRate} req/s`);
  if (!before) notes.push('no /proc: CPU not measured');
  return {
    cell: { capacity: { rps: Math.round(mean), ci: { low: Math.round(ci.low), high: Math.round(ci.high) }, repeats }, cpuPerRequestUs, cpuRateRps: settings.cpuRate, ...(notes.length > 0 ? { note: notes.join('; ') } : {}) },
    searches,
  };
}

async function main(): Promise<number> {
  let settings: Settings;
  try {
    settings = parseScoreboardArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`scoreboard: ${(error as Error).message}`);
    return 2;
  }
  const chosen = stages.filter((s) => !settings.only || settings.only.includes(s.id));
  const keys = 10_000;
  const dir = join(repoRoot, 'tmp', 'scoreboard');
  mkdirSync(dir, { recursive: true });
  if (settings.short) console.log('SMOKE RUN (--short): one repeat, few rates, about a second each: shows that the scoreboard works; its numbers are not a measurement and claim no capacity');
  console.log(`objective: p99 <= ${settings.sloP99Ms} ms from the intended send time, no failed request; open loop, Poisson arrivals, ${settings.seconds} s per rate after ${settings.warmup} s unrecorded; ${settings.repeats} repeat(s)`);

  const board: Scoreboard & { searches: Record<string, SearchResult[]>; conditions: { loadAverageStart: number[]; loadAverageEnd: number[] } } = {
    date: new Date().toISOString(), node: process.version, cores: machineCores(), smoke: settings.short, sloP99Ms: settings.sloP99Ms,
    stages: chosen.map((s) => ({ id: s.id, label: s.label })),
    workloads: workloads.filter((w) => settings.workloads.includes(w.id)).map((w) => ({ id: w.id, label: w.label })),
    cells: [],
    searches: {},
    // A shared machine's load moves capacities: say what it was.
    settings: { repeats: settings.repeats, seconds: settings.seconds, warmupSeconds: settings.warmup, startRps: settings.start, maxRps: settings.max, bisections: settings.bisections, cpuRateRps: settings.cpuRate, cpuSeconds: settings.cpuSeconds },
    conditions: { loadAverageStart: loadavg().map((n) => Math.round(n * 100) / 100), loadAverageEnd: [] as number[] },
  };
  // Saved after every cell (with `complete: false` until the end), so a run stopped early
  // still leaves what it measured.
  const out = join(repoRoot, 'results', 'scoreboard.json');
  mkdirSync(join(repoRoot, 'results'), { recursive: true });
  const save = (complete: boolean): void => writeFileSync(out, `${JSON.stringify({ ...board, complete }, null, 2)}\n`);
  let current: RunningStage | undefined;
  const generator = startGenerator();
  const onSignal = (): void => { void Promise.all([current?.stop(), generator.close()]).finally(() => process.exit(130)); };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  for (const stage of chosen) {
    const why = stage.unavailable?.();
    if (why) {
      console.log(`stage ${stage.label}: not run: ${why}`);
      for (const w of settings.workloads) board.cells.push({ stage: stage.id, workload: w, note: `not run: ${why}` });
      save(false);
      continue;
    }
    process.stderr.write(`stage ${stage.label}: starting\n`);
    try {
      current = await stage.start({ dir, seedCount: keys, short: settings.short });
    } catch (error) {
      const message = (error as Error).message.split('\n')[0];
      console.log(`stage ${stage.label}: not run: it did not start: ${message}`);
      for (const w of settings.workloads) board.cells.push({ stage: stage.id, workload: w, note: `not run: it did not start: ${message}` });
      save(false);
      continue;
    }
    try {
      for (const [index, workload] of settings.workloads.entries()) {
        try {
          const { cell, searches } = await measureCell(generator, current, workload, index, settings, keys);
          board.cells.push({ stage: stage.id, workload, ...cell });
          board.searches[`${stage.id}/${workload}`] = searches;
        } catch (error) {
          board.cells.push({ stage: stage.id, workload, note: `not measured: ${(error as Error).message.split('\n')[0]}` });
        }
        save(false);
      }
    } finally {
      await current.stop();
      current = undefined;
    }
  }

  await generator.close();
  board.conditions.loadAverageEnd = loadavg().map((n) => Math.round(n * 100) / 100);

  const cellText = (stage: string, workload: string): string => {
    const cell = board.cells.find((c) => c.stage === stage && c.workload === workload);
    if (!cell?.capacity) return cell?.note?.startsWith('not run') ? 'not run' : 'n/a';
    const c = cell.capacity;
    const atLeast = board.searches[`${stage}/${workload}`]?.every((s) => s.capped) ?? false;
    const capacity = settings.short ? `(${c.rps})` : atLeast ? `>= ${c.rps}` : `${c.rps} [${c.ci.low}–${c.ci.high}]`;
    return `${capacity} · ${cell.cpuPerRequestUs === undefined ? '?' : fmt(cell.cpuPerRequestUs)} µs`;
  };
  console.log(`\nscoreboard · ${board.date.slice(0, 10)} · ${board.cores} cores · Node ${board.node} · load average ${board.conditions.loadAverageStart.join(' ')} at the start, ${board.conditions.loadAverageEnd.join(' ')} at the end`);
  console.log(`each cell: capacity req/s at p99 <= ${settings.sloP99Ms} ms (mean of repeats [95% interval]) · server CPU µs/request at ${settings.cpuRate} req/s`);
  if (settings.short) console.log('SMOKE RUN: capacities in parentheses are not measurements');
  console.log(table([['stage', ...board.workloads.map((w) => w.id)], ...board.stages.map((s) => [s.label, ...board.workloads.map((w) => cellText(s.id, w.id))])]));
  for (const cell of board.cells.filter((c) => c.note)) console.log(`${cell.stage} ${cell.workload}: ${cell.note}`);

  save(true);
  console.log(`wrote ${relative(repoRoot, out)}`);
  return 0;
}

const isMain = process.argv[1] !== undefined && import.meta.filename === process.argv[1];
if (isMain) process.exit(await main());
