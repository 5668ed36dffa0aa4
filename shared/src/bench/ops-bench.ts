/**
 * In-process benchmarks of functions (no HTTP): operations per second and per-operation
 * latency, two or more variants in one run, alternating.
 *
 * Operations are timed in batches: a batch size is calibrated so that one timed batch takes
 * at least ~1 ms, because around a sub-microsecond operation two hrtime calls and a histogram
 * record would measure the timer, not the operation. Batches are fixed before the rounds: one
 * size for every variant of a bench (the A/A row included) unless they are too far apart
 * (see {@link oneBatch}); the A/A row always times exactly its baseline's batch. Latency percentiles are then those of
 * the per-operation mean of each batch (the `batch` column says how many were averaged).
 */
import { loadavg } from 'node:os';
import { parseBenchArgs, type BenchOptions } from './bench-args.ts';
import { createLatencyHistogram, mergeHistograms, type LatencyHistogram } from './latency-histogram.ts';
import { createProgress } from './progress.ts';
import { percentilePoints, report, type BenchReport, type VariantResult } from './report.ts';
import { median, rangeOf } from './statistics.ts';

/** One contender: `run` performs one operation (sync or async). */
export interface OpsVariant {
  name: string;
  run: () => unknown;
  /** Once before warm-up (open a database, build input). */
  setup?: () => void | Promise<void>;
  /** Once at the end. */
  teardown?: () => void | Promise<void>;
  /** Compare with this variant (default: the first). */
  baseline?: string;
  /** Extra numbers read after each round (e.g. peak RSS). */
  collect?: () => Record<string, number> | Promise<Record<string, number>>;
}

/** What {@link benchOps} takes. */
export interface OpsBenchSpec {
  lesson: string;
  title: string;
  /** What one operation is, for the table header: `ops/s` by default, e.g. `batches/s`. */
  unit?: string;
  variants: OpsVariant[];
  defaults?: Partial<BenchOptions>;
  options?: BenchOptions;
}

interface Round { ops: number; seconds: number; rate: number; batch: number; p50Ms: number; p99Ms: number; extra: Record<string, number>; cpuUsPerOp: number; histogram: LatencyHistogram }

/** Smallest timed batch, ns: well above hrtime's own cost (tens of ns). */
export const minBatchNs = 1_000_000;

/** Longest a batch of the slowest variant may take, ns: a round still holds many batches. */
export const maxBatchNs = 100_000_000;

/**
 * The batch every variant uses: the fastest variant's calibrated batch (so that its timer
 * overhead stays negligible), when the slowest variant runs that many in at most `maxNs`
 * (~100 ms). Undefined when the variants are too far apart for one batch to be both (lesson
 * 03's cache hit and a 100 ms aggregate are 10^5 apart): then each keeps its own calibrated
 * batch, every batch lasts >= 1 ms so the timer costs < 0.1% of any of them, and the A/A row
 * still uses exactly its baseline's. `calibrated`: each variant's batch and ns per operation.
 */
export function oneBatch(calibrated: readonly { batch: number; nsPerOp: number }[], maxNs = maxBatchNs): number | undefined {
  const fastest = Math.max(...calibrated.map((c) => c.batch));
  const slowestNs = Math.max(...calibrated.map((c) => c.nsPerOp));
  return fastest * slowestNs <= maxNs ? fastest : undefined;
}

/** Runs `n` operations one after another; awaits those that return a promise. */
async function runBatch(run: () => unknown, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const pending = run();
    if (pending instanceof Promise) await pending;
  }
}

/**
 * The number of operations per timed batch: doubled from 1 until one batch takes at least
 * `minNs` (the operations run for real, so calibration doubles as extra warm-up).
 */
export async function calibrateBatch(run: () => unknown, minNs = minBatchNs, maxBatch = 1 << 24, clock: () => bigint = process.hrtime.bigint): Promise<number> {
  return (await calibrate(run, minNs, maxBatch, clock)).batch;
}

/** {@link calibrateBatch}, with the ns per operation its last batch took. */
export async function calibrate(run: () => unknown, minNs = minBatchNs, maxBatch = 1 << 24, clock: () => bigint = process.hrtime.bigint): Promise<{ batch: number; nsPerOp: number }> {
  const time = async (n: number): Promise<number> => {
    const started = clock();
    await runBatch(run, n);
    return Number(clock() - started);
  };
  for (let n = 1; ; n *= 2) {
    let ns = await time(n);
    // A batch that looks long enough is timed twice more and the fastest kept: a busy machine
    // can only add time (a batch preempted once would stop the doubling far too early, and
    // make the variants look further apart than they are).
    for (let again = 0; again < 2 && ns >= minNs && n < maxBatch; again++) ns = Math.min(ns, await time(n));
    if (ns >= minNs || n >= maxBatch) return { batch: n, nsPerOp: ns / n };
  }
}

async function timed(variant: OpsVariant, seconds: number, batch: number): Promise<Round> {
  const histogram = createLatencyHistogram();
  const end = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  let ops = 0;
  let now = started;
  // At least one batch, even when a single one outlasts the round.
  do {
    const before = now;
    await runBatch(variant.run, batch);
    now = process.hrtime.bigint();
    histogram.recordMs(Number(now - before) / 1e6 / batch);
    ops += batch;
  } while (now < end);
  const used = process.cpuUsage(cpu);
  const elapsed = Number(now - started) / 1e9;
  return {
    ops,
    seconds: elapsed,
    rate: ops / elapsed,
    batch,
    p50Ms: histogram.percentileMs(50),
    p99Ms: histogram.percentileMs(99),
    cpuUsPerOp: (used.user + used.system) / ops,
    extra: (await variant.collect?.()) ?? {},
    histogram,
  };
}

/** Runs every variant for the configured rounds, alternating order, and reports. */
export async function benchOps(spec: OpsBenchSpec): Promise<BenchReport> {
  const options = spec.options ?? parseBenchArgs(process.argv.slice(2), spec.defaults).options;
  const first = spec.variants[0];
  const explicit = spec.variants.some((v) => v.baseline);
  // A full run compares the first variant with itself too (A/A): the noise floor.
  const variants: OpsVariant[] = options.short || !first
    ? spec.variants
    : [first, ...spec.variants.slice(1).map((v) => (explicit ? v : { ...v, baseline: first.name })),
      { name: `${first.name} (A/A)`, run: first.run, collect: first.collect, baseline: first.name }];
  // Same function, same batch, same collect: the A/A row is the first variant's configuration exactly.
  const unit = spec.unit ?? 'ops/s';
  const loadAverage = loadavg() as [number, number, number];
  const progress = createProgress(`${spec.lesson} · ${spec.title}`, variants.length * (options.warmup + options.rounds * options.duration));
  try {
    for (const v of spec.variants) await v.setup?.();
    // Batches fixed before any round: the A/A row then times exactly what its baseline times
    // (before, it was calibrated anew and could time 16 calls against its baseline's 128).
    // Each distinct variant is calibrated (twice: a cold first call — a cache miss, the JIT
    // not yet done — would make the first estimate far too small); see oneBatch for the choice.
    const calibrated = new Map<string, { batch: number; nsPerOp: number }>();
    for (const v of variants) {
      if (variants.indexOf(v) > 0 && v.run === first?.run) continue;
      progress.step(`calibrate ${v.name}`, 0);
      await calibrateBatch(v.run);
      calibrated.set(v.name, await calibrate(v.run));
    }
    const common = oneBatch([...calibrated.values()]);
    const slowest = [...calibrated].reduce((a, b) => (b[1].nsPerOp > a[1].nsPerOp ? b : a))[0];
    // The A/A row (and any variant sharing a function) takes its original's batch.
    const batchOf = (v: OpsVariant): number => common ?? calibrated.get(v.name)?.batch ?? calibrated.get(variants.find((o) => o.run === v.run && calibrated.has(o.name))!.name)!.batch;
    for (const v of variants) {
      progress.step(`warm-up ${v.name}`, options.warmup);
      // The warm-up's collect() also discards what the calibration left in a variant's per-round counters.
      if (options.warmup > 0) await timed(v, options.warmup, batchOf(v));
      else await v.collect?.();
    }
    const rounds = new Map<string, Round[]>();
    for (let r = 0; r < options.rounds; r++) {
      const order = r % 2 === 0 ? variants : [...variants].reverse();
      for (const v of order) {
        progress.step(`round ${r + 1}/${options.rounds} ${v.name}`, options.duration);
        rounds.set(v.name, [...(rounds.get(v.name) ?? []), await timed(v, options.duration, batchOf(v))]);
      }
    }
    progress.done();
    const results: VariantResult[] = variants.map((v) => {
      const rs = rounds.get(v.name)!;
      const keys = [...new Set(rs.flatMap((r) => Object.keys(r.extra)))];
      const latency = mergeHistograms(rs.map((r) => r.histogram));
      return {
        name: v.name,
        baseline: v.baseline,
        rate: rs.reduce((s, r) => s + r.ops, 0) / rs.reduce((s, r) => s + r.seconds, 0),
        p50Ms: latency.percentileMs(50),
        p99Ms: latency.percentileMs(99),
        errors: 0,
        non2xx: 0,
        extra: Object.fromEntries(keys.map((k) => [k, median(rs.filter((r) => k in r.extra).map((r) => r.extra[k]!))])),
        range: rangeOf(rs.map((r) => r.rate)),
        batch: batchOf(v),
        percentiles: percentilePoints(latency),
        rounds: rs.map(({ histogram: _h, ...r }) => r),
      };
    });
    const header = calibrated.size < 2 ? [] : common !== undefined
      ? [`batch: ${common} operation(s) per timed batch for every variant${options.short ? '' : ', the A/A row included'} (fixed before the rounds: the fastest variant's calibrated batch; the slowest, ${slowest}, runs it in <= ~${maxBatchNs / 1e6} ms)`]
      : [`batch: one per variant, fixed before the rounds (the variants are too far apart for one batch to last >= 1 ms for the fastest and <= ${maxBatchNs / 1e6} ms for the slowest, ${slowest}); every batch lasts >= 1 ms, so the timer costs < 0.1% of it; the A/A row uses its baseline's batch`];
    return report(spec.lesson, spec.title, unit, options, results, undefined, { header, conditions: { loadAverage, pinned: false } });
  } finally {
    progress.done();
    for (const v of spec.variants) await v.teardown?.();
  }
}
