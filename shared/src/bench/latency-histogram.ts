/**
 * Latency across rounds: every response of every measured round goes into one HdrHistogram
 * (hdr-histogram-js, the library autocannon itself uses), so a variant's p99 is the p99 of all
 * its requests. The median of per-round p99s, which the course printed before, is not a p99.
 */
import { build, type Histogram } from 'hdr-histogram-js';

/** A latency histogram recording microseconds (3 significant digits), reporting ms. */
export interface LatencyHistogram {
  /** Records one latency in milliseconds (fractions kept to the microsecond). */
  recordMs(ms: number): void;
  /** Adds every value of `other` (merging rounds). */
  add(other: LatencyHistogram): void;
  /** Percentile (0–100) in milliseconds; NaN when empty. */
  percentileMs(p: number): number;
  maxMs(): number;
  readonly count: number;
  /** The underlying hdr-histogram-js histogram. */
  readonly hdr: Histogram;
}

/** A new, empty latency histogram. */
export function createLatencyHistogram(): LatencyHistogram {
  const hdr = build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3, autoResize: true });
  return {
    hdr,
    recordMs: (ms) => hdr.recordValue(Math.max(1, Math.round(ms * 1000))),
    add: (other) => hdr.add(other.hdr),
    percentileMs: (p) => (hdr.totalCount === 0 ? Number.NaN : hdr.getValueAtPercentile(p) / 1000),
    maxMs: () => (hdr.totalCount === 0 ? Number.NaN : hdr.maxValue / 1000),
    get count() { return hdr.totalCount; },
  };
}

/** One histogram holding every value of `parts`. */
export function mergeHistograms(parts: readonly LatencyHistogram[]): LatencyHistogram {
  const merged = createLatencyHistogram();
  for (const part of parts) merged.add(part);
  return merged;
}
