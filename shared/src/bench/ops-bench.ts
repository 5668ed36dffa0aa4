/**
 * In-process benchmarks of functions (no HTTP): operations per second and per-operation
 * latency, two or more variants in one run, alternating.
 */
import { createHistogram } from 'node:perf_hooks';
import { parseBenchArgs, type BenchOptions } from './bench-args.ts';
import { median, report, type BenchReport, type VariantResult } from './report.ts';

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

interface Round { ops: number; seconds: number; p50Ms: number; p99Ms: number; extra: Record<string, number> }

async function timed(variant: OpsVariant, seconds: number): Promise<Round> {
  const histogram = createHistogram();
  const end = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
  const started = process.hrtime.bigint();
  let ops = 0;
  let now = started;
  // At least one operation, even when a single one outlasts the round.
  do {
    const before = now;
    const pending = variant.run();
    if (pending instanceof Promise) await pending;
    now = process.hrtime.bigint();
    histogram.record(Math.max(1, Number(now - before)));
    ops++;
  } while (now < end);
  return {
    ops,
    seconds: Number(now - started) / 1e9,
    p50Ms: histogram.percentile(50) / 1e6,
    p99Ms: histogram.percentile(99) / 1e6,
    extra: (await variant.collect?.()) ?? {},
  };
}

/** Runs every variant for the configured rounds, alternating order, and reports. */
export async function benchOps(spec: OpsBenchSpec): Promise<BenchReport> {
  const options = spec.options ?? parseBenchArgs(process.argv.slice(2), spec.defaults).options;
  try {
    for (const v of spec.variants) await v.setup?.();
    if (options.warmup > 0) for (const v of spec.variants) await timed(v, options.warmup);
    const rounds = new Map<string, Round[]>();
    for (let r = 0; r < options.rounds; r++) {
      const order = r % 2 === 0 ? spec.variants : [...spec.variants].reverse();
      for (const v of order) rounds.set(v.name, [...(rounds.get(v.name) ?? []), await timed(v, options.duration)]);
    }
    const results: VariantResult[] = spec.variants.map((v) => {
      const rs = rounds.get(v.name)!;
      const keys = [...new Set(rs.flatMap((r) => Object.keys(r.extra)))];
      return {
        name: v.name,
        baseline: v.baseline,
        rate: rs.reduce((s, r) => s + r.ops, 0) / rs.reduce((s, r) => s + r.seconds, 0),
        p50Ms: median(rs.map((r) => r.p50Ms)),
        p99Ms: median(rs.map((r) => r.p99Ms)),
        errors: 0,
        non2xx: 0,
        extra: Object.fromEntries(keys.map((k) => [k, median(rs.map((r) => r.extra[k] ?? 0))])),
        rounds: rs,
      };
    });
    return report(spec.lesson, spec.title, spec.unit ?? 'ops/s', options, results);
  } finally {
    for (const v of spec.variants) await v.teardown?.();
  }
}
