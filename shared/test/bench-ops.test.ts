import { describe, expect, it, vi } from 'vitest';
import { benchOps, calibrateBatch, minBatchNs, parseBenchArgs } from '../src/bench/index.ts';

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
});
