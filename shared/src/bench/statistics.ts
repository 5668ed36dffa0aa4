/**
 * Spread across rounds and what it allows a reader to conclude: a ratio whose two variants'
 * per-round rates overlap is within the noise of this run, whatever its value.
 */

/** Lowest and highest per-round rate of a variant. */
export interface Range { min: number; max: number }

/** The range of a non-empty list of per-round rates. */
export function rangeOf(rates: readonly number[]): Range {
  return { min: Math.min(...rates), max: Math.max(...rates) };
}

/** True when two variants' per-round ranges share any value (touching counts). */
export function rangesOverlap(a: Range, b: Range): boolean {
  return a.min <= b.max && b.min <= a.max;
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
