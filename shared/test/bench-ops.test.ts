import { describe, expect, it, vi } from 'vitest';
import { benchOps, calibrate, calibrateBatch, maxBatchNs, minBatchNs, oneBatch, parseBenchArgs } from '../src/bench/index.ts';

describe('ops benches time sub-microsecond operations in batches', { timeout: 30_000 }, () => {
  it('calibrates the first power-of-two batch that takes at least 1 ms', async () => {
    // A clock that advances 100 ns per operation: 8192 ops = 0.82 ms, 16384 = 1.64 ms.
    let now = 0n;
    const clock = (): bigint => now;
    expect(await calibrateBatch(() => { now += 100n; }, minBatchNs, 1 << 24, clock)).toBe(16_384);
    // An operation of 1.5 ms is timed one at a time.
    expect(await calibrateBatch(() => { now += 1_500_000n; }, minBatchNs, 1 << 24, clock)).toBe(1);
    // Async operations are awaited one after another.
    expect(await calibrateBatch(async () => { now += 300_000n; }, minBatchNs, 1 << 24, clock)).toBe(4);
  });

  it('counts operations, not batches, and reports the batch size', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    let calls = 0;
    try {
      const options = parseBenchArgs(['--duration', '0.1', '--warmup', '0', '--rounds', '1', '--no-save', '--short']).options;
      const report = await benchOps({ lesson: 'test', title: 'tiny', options, variants: [{ name: 'tiny', run: () => { calls++; } }] });
      const v = report.variants[0]!;
      expect(v.batch).toBeGreaterThan(1);
      const round = (v.rounds as { ops: number }[])[0]!;
      expect(round.ops % v.batch!).toBe(0);
      // Calls = calibration (two passes) + the measured ops.
      expect(calls).toBeGreaterThan(round.ops);
      expect(log.mock.calls.flat().join('\n')).toMatch(/\bbatch\b/);
    } finally {
      log.mockRestore();
    }
  });

  it('times every variant, the A/A row included, with one batch fixed before the rounds', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const options = parseBenchArgs(['--duration', '0.05', '--warmup', '0', '--rounds', '2', '--no-save']).options;
      // About 10x apart: the fast one's batch takes the slow one well under 100 ms.
      const spin = (n: number) => (): number => { let x = 0; for (let i = 0; i < n; i++) x += i; return x; };
      const report = await benchOps({ lesson: 'test', title: 'batches', options, variants: [{ name: 'slow', run: spin(2000) }, { name: 'fast', run: spin(200) }] });
      expect(report.variants.map((v) => v.name)).toEqual(['slow', 'fast', 'slow (A/A)']);
      const batches = report.variants.flatMap((v) => (v.rounds as { batch: number }[]).map((r) => r.batch));
      expect(batches).toHaveLength(6);
      expect(new Set(batches).size).toBe(1);
      expect(new Set(report.variants.map((v) => v.batch))).toEqual(new Set([batches[0]]));
      expect(log.mock.calls.flat().join('\n')).toMatch(new RegExp(`batch: ${batches[0]} operation\\(s\\) per timed batch for every variant`));
    } finally {
      log.mockRestore();
    }
  });

  it('picks the fastest variant\'s batch when the slowest runs it in ~100 ms, else none', async () => {
    expect(maxBatchNs).toBe(100_000_000);
    // 60 ns and 1 µs per operation: the fast one's 16,384 takes the slow one 16 ms.
    expect(oneBatch([{ batch: 16_384, nsPerOp: 60 }, { batch: 1024, nsPerOp: 1000 }])).toBe(16_384);
    // 130 ms against 70 ns per operation: no one batch serves both.
    expect(oneBatch([{ batch: 1, nsPerOp: 130e6 }, { batch: 16_384, nsPerOp: 70 }])).toBeUndefined();
    expect(oneBatch([{ batch: 8, nsPerOp: 200_000 }])).toBe(8);
    let now = 0n;
    expect(await calibrate(() => { now += 300_000n; }, minBatchNs, 1 << 24, () => now)).toEqual({ batch: 4, nsPerOp: 300_000 });
  });

  it('variants too far apart keep their own batches, and the A/A row times exactly its baseline\'s', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const options = parseBenchArgs(['--duration', '0.05', '--warmup', '0', '--rounds', '2', '--no-save']).options;
      const busy = (ms: number) => (): void => { const until = performance.now() + ms; while (performance.now() < until) { /* spin */ } };
      const report = await benchOps({ lesson: 'test', title: 'apart', options, variants: [{ name: 'slow', run: busy(3) }, { name: 'fast', run: () => 1 }] });
      const batchesOf = (name: string): number[] => (report.variants.find((v) => v.name === name)!.rounds as { batch: number }[]).map((r) => r.batch);
      expect(batchesOf('slow')).toEqual([1, 1]);
      expect(batchesOf('slow (A/A)')).toEqual([1, 1]);
      expect(batchesOf('fast')[0]).toBeGreaterThan(100);
      expect(log.mock.calls.flat().join('\n')).toContain('batch: one per variant, fixed before the rounds');
    } finally {
      log.mockRestore();
    }
  });
});
