/**
 * In-process benchmarks of functions (no HTTP): operations per second and per-operation
 * latency, two or more variants in one run, alternating.
 *
 * Operations are timed in batches: a batch size is calibrated so that one timed batch takes
 * at least ~1 ms, because around a sub-microsecond operation two hrtime calls and a histogram
 * record would measure the timer, not the operation. One batch size serves every variant of
 * a bench (the A/A row included), fixed before the rounds. Latency percentiles are then those of
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

/** The one batch of a bench: at most this many times the slowest variant's calibrated batch. */
export const maxBatchSpread = 100;

/** The batch every variant uses, from each variant's calibrated batch (see benchOps). */
export function oneBatch(calibrated: readonly number[]): number {
  return Math.min(Math.max(...calibrated), Math.min(...calibrated) * maxBatchSpread);
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
  for (let n = 1; ; n *= 2) {
    const started = clock();
    await runBatch(run, n);
    if (Number(clock() - started) >= minNs || n >= maxBatch) return n;
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
    // One batch size for every variant, fixed before any round: the A/A row then times exactly
    // what its baseline times, and no ratio mixes batch sizes. Each distinct variant is
    // calibrated (twice: a cold first call — a cache miss, the JIT not yet done — would make
    // the first estimate far too small). The batch is the fastest variant's, capped at
    // `maxBatchSpread` times the slowest's: timer overhead stays small for the fast ones
    // (the cap keeps their batch >= ~10 µs when they are 100x faster) while a batch of the
    // slowest lasts ~100 ms at most, so a round still holds many batches.
    const calibrated = new Map<string, number>();
    for (const v of variants) {
      if (variants.indexOf(v) > 0 && v.run === first?.run) continue;
      progress.step(`calibrate ${v.name}`, 0);
      await calibrateBatch(v.run);
      calibrated.set(v.name, await calibrateBatch(v.run));
    }
    const batch = oneBatch([...calibrated.values()]);
    const slowest = [...calibrated].reduce((a, b) => (b[1] < a[1] ? b : a))[0];
    for (const v of variants) {
      progress.step(`warm-up ${v.name}`, options.warmup);
      // The warm-up's collect() also discards what the calibration left in a variant's per-round counters.
      if (options.warmup > 0) await timed(v, options.warmup, batch);
      else await v.collect?.();
    }
    const rounds = new Map<string, Round[]>();
    for (let r = 0; r < options.rounds; r++) {
      const order = r % 2 === 0 ? variants : [...variants].reverse();
      for (const v of order) {
        progress.step(`round ${r + 1}/${options.rounds} ${v.name}`, options.duration);
        rounds.set(v.name, [...(rounds.get(v.name) ?? []), await timed(v, options.duration, batch)]);
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
        batch,
        percentiles: percentilePoints(latency),
        rounds: rs.map(({ histogram: _h, ...r }) => r),
      };
    });
    const header = calibrated.size > 1 ? [`batch: ${batch} operation(s) per timed batch for every variant (calibrated once before the rounds: the fastest variant's, at most ${maxBatchSpread}x the slowest's, ${slowest})`] : [];
    return report(spec.lesson, spec.title, unit, options, results, undefined, { header, conditions: { loadAverage, pinned: false } });
  } finally {
    progress.done();
    for (const v of spec.variants) await v.teardown?.();
  }
}
