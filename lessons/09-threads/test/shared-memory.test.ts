import { describe, expect, it } from 'vitest';
import { countWithThreads } from '../src/shared-memory/shared-counter.ts';

describe('a counter in a SharedArrayBuffer', () => {
  it('loses no update when four threads increment it with Atomics.add at the same time', async () => {
    const result = await countWithThreads({ threads: 4, increments: 250_000, atomic: true });
    expect(result).toEqual({ expected: 1_000_000, actual: 1_000_000, lost: 0 });
  });
});
