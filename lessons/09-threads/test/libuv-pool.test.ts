import { describe, expect, it } from 'vitest';
import { runQueueOrder } from '../src/libuv/pool-sizes.ts';

describe('the libuv thread pool (UV_THREADPOOL_SIZE, one child process per size)', () => {
  it('with one thread, a fast pbkdf2 waits in the queue behind a slow one submitted first', async () => {
    const report = await runQueueOrder(1);
    expect(report.order).toEqual(['slow', 'fast']);
    expect(report.doneMs.fast).toBeGreaterThanOrEqual(report.doneMs.slow);
  });

  it('with two threads, the fast pbkdf2 runs beside the slow one and finishes first', async () => {
    const report = await runQueueOrder(2);
    expect(report.order).toEqual(['fast', 'slow']);
  });
});
