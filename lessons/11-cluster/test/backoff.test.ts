/**
 * Crash-loop backoff: the delay doubles per consecutive crash up to a cap, and a worker that
 * stayed up long enough resets the count.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { nextCrashCount, restartDelay } from '../src/backoff.ts';
import { createPrimary, type Primary, type WorkerExit } from '../src/primary.ts';

const options = { initialMs: 100, maxMs: 1000, stableAfterMs: 5000 };

describe('restartDelay', () => {
  it('doubles with each consecutive crash and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => restartDelay(n, options))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('counts a crash after a long, stable run as the first in a row', () => {
    expect(nextCrashCount(4, 4999, options)).toBe(5);
    expect(nextCrashCount(4, 5000, options)).toBe(1);
  });
});

describe('a worker that crashes at start-up', () => {
  let primary: Primary | undefined;
  afterEach(async () => { await primary?.stop(); });

  it('is replaced again and again, each time after a longer delay', async () => {
    const delays: number[] = [];
    const exits: WorkerExit[] = [];
    primary = createPrimary({
      exec: fileURLToPath(new URL('./fixtures/crashing-worker.mjs', import.meta.url)),
      workers: 1,
      execArgv: [], // plain JS: no TypeScript loader, so each fork is quick
      backoff: { initialMs: 20, maxMs: 160, stableAfterMs: 60_000 },
      log: () => {},
    });
    primary.on('worker-exit', (exit: WorkerExit) => exits.push(exit));
    await new Promise<void>((resolve) => {
      primary!.on('restart-scheduled', ({ delayMs }: { delayMs: number }) => {
        delays.push(delayMs);
        if (delays.length === 6) resolve();
      });
    });

    expect(delays).toEqual([20, 40, 80, 160, 160, 160]);
    expect(exits.every((e) => e.code === 3 && !e.expected)).toBe(true);
  }, 60_000);
});
