/**
 * Latency across rounds: every response of every measured round goes into one HdrHistogram,
 * so a variant's p99 is the p99 of all its requests (a median of per-round p99s is not a p99).
 * Node's own `perf_hooks.createHistogram` is that HdrHistogram (the same C library, the same
 * 3 significant digits) and merges with `add()`, so the course needs no second implementation
 * beside the one `/metrics` already uses.
 */
import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';

/** 60 s in microseconds: a latency beyond it is recorded as 60 s (and the max says so). */
const highestUs = 60_000_000;

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
  /** The underlying node:perf_hooks histogram (microseconds). */
  readonly hdr: RecordableHistogram;
}

/** A new, empty latency histogram. */
export function createLatencyHistogram(): LatencyHistogram {
  const hdr = createHistogram({ lowest: 1, highest: highestUs, figures: 3 });
  return {
    hdr,
    recordMs: (ms) => hdr.record(Math.min(highestUs, Math.max(1, Math.round(ms * 1000)))),
    add: (other) => hdr.add(other.hdr),
    percentileMs: (p) => (hdr.count === 0 ? Number.NaN : hdr.percentile(p) / 1000),
    maxMs: () => (hdr.count === 0 ? Number.NaN : hdr.max / 1000),
    get count() { return hdr.count; },
  };
}

/** One histogram holding every value of `parts`. */
export function mergeHistograms(parts: readonly LatencyHistogram[]): LatencyHistogram {
  const merged = createLatencyHistogram();
  for (const part of parts) merged.add(part);
  return merged;
}
