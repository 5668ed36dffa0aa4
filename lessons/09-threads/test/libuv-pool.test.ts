import { describe, expect, it } from 'vitest';
import { runPbkdf2Batch } from '../src/libuv/pool-sizes.ts';

describe('pbkdf2 batch in a child process', () => {
  it('runs with the UV_THREADPOOL_SIZE it was given and reports every call', async () => {
    const report = await runPbkdf2Batch(2, { calls: 4, iterations: 1000 });
    expect(report.poolSize).toBe(2);
    expect(report.doneMs).toHaveLength(4);
    expect(Math.max(...report.doneMs)).toBeLessThanOrEqual(report.wallMs);
  });
});
