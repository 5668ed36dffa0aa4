/**
 * A 95% interval for the mean of a few repeats: mean ± t·s/√n with Student's t, because with
 * 3 to 5 repeats the normal's 1.96 would claim far more certainty than the data carries.
 */
import type { Interval } from './types.ts';

/** Two-sided 97.5% quantiles of Student's t, by degrees of freedom 1…10. */
const t975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228];

export function meanInterval(values: readonly number[]): { mean: number; ci: Interval } {
  const n = values.length;
  if (n === 0) throw new Error('meanInterval: no values');
  const mean = values.reduce((s, v) => s + v, 0) / n;
  if (n === 1) return { mean, ci: { low: mean, high: mean } };
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1));
  const half = (t975[n - 2] ?? 1.96) * (sd / Math.sqrt(n));
  return { mean, ci: { low: Math.max(0, mean - half), high: mean + half } };
}
