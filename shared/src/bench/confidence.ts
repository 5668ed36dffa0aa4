/**
 * How sure a ratio is: a 95% confidence interval for "variant / baseline" from paired rounds.
 *
 * Rounds are paired by index (round i of the variant ran next to round i of its baseline, in
 * alternating order), so machine drift common to both cancels in each pair's ratio. The
 * interval is a Student t interval on the pairs' log ratios, exponentiated back: an interval
 * for the geometric mean ratio. Why t and not a bootstrap: with the 6–10 pairs a bench can
 * afford, a percentile bootstrap resamples too few distinct values and its "95%" interval is
 * about 30% narrower than it should be (it ignores that the spread itself is estimated from
 * six numbers: 1.96 × 0.91 standard errors instead of 2.57); the t quantile (2.57 for 6 pairs) accounts for that, and logs make a
 * ratio's noise symmetric (1.1x and 1/1.1x are the same distance from 1). Deterministic: the
 * same rounds always give the same interval.
 */

/** A two-sided 95% confidence interval. */
export interface Interval { low: number; high: number }

/** A ratio of two variants with its interval (absent with fewer than two pairs). */
export interface RatioEstimate {
  /** Geometric mean of the per-pair ratios. */
  ratio: number;
  ci?: Interval;
  /** Pairs it was computed from. */
  pairs: number;
}

/** Fewer pairs than this: the interval is printed with a warning that it is wide and unreliable. */
export const minReliablePairs = 6;

/** Two-sided 95% Student t quantiles (0.975) for 1–30 degrees of freedom. */
const t975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
  2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086,
  2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** The 0.975 quantile of Student's t with `df` degrees of freedom (Cornish–Fisher beyond 30). */
export function tQuantile975(df: number): number {
  if (!Number.isInteger(df) || df < 1) throw new RangeError(`degrees of freedom must be a whole number >= 1, got ${df}`);
  if (df <= t975.length) return t975[df - 1]!;
  const z = 1.959964;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2);
}

/**
 * The ratio `variant / baseline` from per-round values paired by index, with its 95% CI.
 * Pairs where either side is missing, zero, negative or not finite are left out.
 */
export function pairedRatio(variant: readonly (number | undefined)[], baseline: readonly (number | undefined)[]): RatioEstimate | undefined {
  const logs: number[] = [];
  for (let i = 0; i < Math.min(variant.length, baseline.length); i++) {
    const v = variant[i];
    const b = baseline[i];
    if (v === undefined || b === undefined || !(v > 0) || !(b > 0) || !Number.isFinite(v) || !Number.isFinite(b)) continue;
    logs.push(Math.log(v / b));
  }
  if (logs.length === 0) return undefined;
  const n = logs.length;
  const mean = logs.reduce((s, x) => s + x, 0) / n;
  if (n < 2) return { ratio: Math.exp(mean), pairs: n };
  const variance = logs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1);
  const half = tQuantile975(n - 1) * Math.sqrt(variance / n);
  return { ratio: Math.exp(mean), ci: { low: Math.exp(mean - half), high: Math.exp(mean + half) }, pairs: n };
}

/** 1 when the interval lies above 1, -1 below, 0 when it contains 1 (no direction shown). */
export function intervalDirection(ci: Interval): -1 | 0 | 1 {
  return ci.low > 1 ? 1 : ci.high < 1 ? -1 : 0;
}

/** True when the intervals share any value (touching counts). */
export function intervalsOverlap(a: Interval, b: Interval): boolean {
  return a.low <= b.high && b.low <= a.high;
}

/** Width on the log scale: ln(high / low), the same for 2x (1.8–2.2) and 0.5x (0.45–0.55 ≈). */
export function logWidth(ci: Interval): number {
  return Math.log(ci.high / ci.low);
}

/**
 * Rounds needed for an interval of `width` (log scale) from `rounds` rounds to shrink to
 * `target`: the half-width falls as 1/sqrt(pairs), so rounds scale with (width / target)^2.
 */
export function roundsFor(rounds: number, width: number, target: number): number {
  if (!(target > 0) || !Number.isFinite(width)) return Number.POSITIVE_INFINITY;
  return Math.max(rounds, Math.ceil(rounds * (width / target) ** 2));
}

/**
 * A small seeded PRNG (mulberry32): uniform in [0, 1), the same sequence for the same seed.
 * For tests and simulations that must not depend on Math.random.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw from `random` (Box–Muller). */
export function normal(random: () => number): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}
