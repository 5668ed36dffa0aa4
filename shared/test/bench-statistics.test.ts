import { describe, expect, it } from 'vitest';
import { createLatencyHistogram, mergeHistograms, rangeOf, rangesOverlap, median } from '../src/bench/index.ts';

describe('bench statistics', () => {
  it('merges rounds into one histogram whose percentiles are those of all requests together', () => {
    // Round 1: 980 fast requests (1 ms) and 20 slow (100 ms); round 2: 1000 at 2 ms.
    const one = createLatencyHistogram();
    const two = createLatencyHistogram();
    const all = createLatencyHistogram();
    for (let i = 0; i < 980; i++) { one.recordMs(1); all.recordMs(1); }
    for (let i = 0; i < 20; i++) { one.recordMs(100); all.recordMs(100); }
    for (let i = 0; i < 1000; i++) { two.recordMs(2); all.recordMs(2); }
    const merged = mergeHistograms([one, two]);
    expect(merged.count).toBe(2000);
    for (const p of [50, 90, 99, 99.9]) expect(merged.percentileMs(p)).toBe(all.percentileMs(p));
    // 20 of 2000 requests took 100 ms: the merged p99 is 2 ms, p99.9 is 100 ms. The median of
    // the per-round p99s (100 ms and 2 ms → 51 ms) describes no request at all.
    expect(merged.percentileMs(99)).toBeCloseTo(2, 2);
    expect(merged.percentileMs(99.9)).toBeCloseTo(100, 0);
    expect(median([one.percentileMs(99), two.percentileMs(99)])).toBeCloseTo(51, 0);
  });

  it('keeps microseconds and reports NaN, not 0, when nothing was recorded', () => {
    const h = createLatencyHistogram();
    expect(h.percentileMs(99)).toBeNaN();
    h.recordMs(0.0374);
    expect(h.percentileMs(50)).toBeCloseTo(0.037, 3);
  });

  it('finds the spread of per-round rates and whether two variants overlap', () => {
    expect(rangeOf([120, 100, 110])).toEqual({ min: 100, max: 120 });
    expect(rangesOverlap({ min: 100, max: 120 }, { min: 115, max: 130 })).toBe(true);
    expect(rangesOverlap({ min: 100, max: 120 }, { min: 120, max: 130 })).toBe(true);
    expect(rangesOverlap({ min: 100, max: 120 }, { min: 121, max: 130 })).toBe(false);
    expect(rangesOverlap({ min: 200, max: 210 }, { min: 100, max: 120 })).toBe(false);
  });
});
