import { describe, expect, it } from 'vitest';
import { createObjectPool } from '../src/object-pool.ts';

describe('createObjectPool', () => {
  it('reuses a released object, reset, instead of creating a new one', () => {
    const pool = createObjectPool({ create: () => ({ n: 0 }), reset: (o) => { o.n = 0; }, max: 4 });
    const a = pool.acquire();
    a.n = 42;
    pool.release(a);
    const b = pool.acquire();
    expect(b).toBe(a);
    expect(b.n).toBe(0);
    expect(pool.created).toBe(1);
  });

  it('keeps at most max idle objects after a burst', () => {
    const pool = createObjectPool({ create: () => Buffer.alloc(16), reset: (b) => b.fill(0), max: 3 });
    const burst = Array.from({ length: 10 }, () => pool.acquire());
    for (const b of burst) pool.release(b);
    expect(pool.created).toBe(10);
    expect(pool.idle).toBe(3);
  });

  it('rejects a max that is not a positive integer', () => {
    expect(() => createObjectPool({ create: () => 1, reset: () => undefined, max: 0 })).toThrow(RangeError);
  });
});
