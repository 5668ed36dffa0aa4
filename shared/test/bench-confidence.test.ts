import { describe, expect, it } from 'vitest';
import { intervalDirection, intervalsOverlap, normal, pairedRatio, roundsFor, seededRandom, tQuantile975 } from '../src/bench/index.ts';

/** `n` per-round rates around `mean` with relative noise `sd` (log scale), from a seeded PRNG. */
function rounds(random: () => number, n: number, mean: number, sd: number): number[] {
  return Array.from({ length: n }, () => mean * Math.exp(sd * normal(random)));
}

describe('confidence intervals for a ratio from paired rounds', () => {
  it('identical pairs give a degenerate interval at the ratio', () => {
    const r = pairedRatio([200, 220, 180, 210, 190, 205], [100, 110, 90, 105, 95, 102.5])!;
    expect(r.ratio).toBeCloseTo(2, 10);
    expect(r.ci!.low).toBeCloseTo(2, 10);
    expect(r.ci!.high).toBeCloseTo(2, 10);
    expect(r.pairs).toBe(6);
  });

  it('computes the t interval on log ratios: known input, known interval', () => {
    // log ratios ln(2), ln(2)+0.1, ln(2)-0.1 → mean ln 2, sd 0.1, t(2 df) = 4.303.
    const r = pairedRatio([2 * Math.exp(0), 2 * Math.exp(0.1), 2 * Math.exp(-0.1)], [1, 1, 1])!;
    const half = 4.303 * 0.1 / Math.sqrt(3);
    expect(r.ratio).toBeCloseTo(2, 10);
    expect(r.ci!.low).toBeCloseTo(2 * Math.exp(-half), 10);
    expect(r.ci!.high).toBeCloseTo(2 * Math.exp(half), 10);
  });

  it('a constant 2x shift with noise gives an interval around 2 that excludes 1', () => {
    const random = seededRandom(42);
    const base = rounds(random, 8, 10_000, 0.05);
    const fast = base.map((b) => 2 * b * Math.exp(0.03 * normal(random)));
    const r = pairedRatio(fast, base)!;
    expect(r.ci!.low).toBeLessThan(2);
    expect(r.ci!.high).toBeGreaterThan(2);
    expect(r.ci!.low).toBeGreaterThan(1.9);
    expect(r.ci!.high).toBeLessThan(2.1);
    expect(intervalDirection(r.ci!)).toBe(1);
  });

  it('an A/A of one distribution finds no difference, and 95% intervals contain 1 about 95% of the time', () => {
    const random = seededRandom(7);
    const r = pairedRatio(rounds(random, 6, 5000, 0.08), rounds(random, 6, 5000, 0.08))!;
    expect(intervalDirection(r.ci!)).toBe(0);
    let contains = 0;
    const runs = 2000;
    for (let i = 0; i < runs; i++) {
      const ci = pairedRatio(rounds(random, 6, 5000, 0.08), rounds(random, 6, 5000, 0.08))!.ci!;
      if (intervalDirection(ci) === 0) contains++;
    }
    expect(contains / runs).toBeGreaterThan(0.93);
    expect(contains / runs).toBeLessThan(0.97);
  });

  it('is deterministic: the same rounds give the same interval', () => {
    const a = [101, 99, 104, 97, 100, 103];
    const b = [120, 118, 125, 110, 119, 121];
    expect(pairedRatio(b, a)).toEqual(pairedRatio(b, a));
  });

  it('leaves out pairs with a missing or zero side, and has no interval from one pair', () => {
    expect(pairedRatio([2, undefined, 0], [1, 1, 1])).toEqual({ ratio: 2, pairs: 1 });
    expect(pairedRatio([], [])).toBeUndefined();
  });

  it('uses Student t quantiles, approaching 1.96 for many pairs', () => {
    expect(tQuantile975(5)).toBe(2.571);
    expect(tQuantile975(60)).toBeCloseTo(2.0003, 3);
    expect(tQuantile975(10_000)).toBeCloseTo(1.96, 2);
    expect(() => tQuantile975(0)).toThrow(RangeError);
  });

  it('overlap, and rounds needed scale with the square of the width ratio', () => {
    expect(intervalsOverlap({ low: 1, high: 2 }, { low: 2, high: 3 })).toBe(true);
    expect(intervalsOverlap({ low: 1, high: 2 }, { low: 2.1, high: 3 })).toBe(false);
    expect(roundsFor(6, 0.4, 0.2)).toBe(24);
    expect(roundsFor(6, 0.1, 0.2)).toBe(6);
  });
});
